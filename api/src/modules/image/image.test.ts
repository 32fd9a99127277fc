import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { createGroup, ok, signUp, sql, type TestGroup, type TestUser } from '../../test/factories.js';
import { deleteCover, expectHttpError, getPicture, picture, putCover } from './image.fixtures.js';
import { MAX_IMAGE_BYTES } from './image.process.js';

// Uploading, checking, resizing and serving cover pictures, through HTTP on a real database.

let t: TestApi;
let organizer: TestUser;
beforeAll(async () => {
  t = await startTestApi();
  organizer = await signUp(t, 'Organizer');
});
afterAll(() => t?.close());

const GROUP_COVER = `query ($slug: String!) { group(slug: $slug) { coverImage { id width height thumb: url(size: THUMB) small: url(size: SMALL) url srcset } } }`;

async function coverOf(group: TestGroup) {
  return ok(await t.gql(GROUP_COVER, { slug: group.slug })).group.coverImage;
}

const storedRows = async (groupId: string) =>
  (await sql(t, 'select count(*)::int as n from image_variants v join images i on i.id = v.image_id where i.group_id = ?', [groupId]))[0].n;

describe('a cover upload', () => {
  it('stores a PNG in four WebP sizes, shown by Group.coverImage and served with caching headers', async () => {
    const group = await createGroup(t, organizer.token);
    const res = await putCover(t, 'groups', group.id, await picture(1200, 800));
    expect(res.status).toBe(401); // no session: nothing happens
    const up = await putCover(t, 'groups', group.id, await picture(1200, 800), organizer.token);
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    expect(up.body.coverImage).toMatchObject({ width: 1200, height: 800 });

    const cover = await coverOf(group);
    expect(cover).toMatchObject({ id: up.body.coverImage.id, width: 1200, height: 800, small: up.body.coverImage.urls.SMALL });
    expect(cover.url).toBe(up.body.coverImage.urls.MEDIUM); // MEDIUM unless asked
    expect(cover.small).toMatch(new RegExp(`^/images/${cover.id}/small\\.[0-9a-f]{16}\\.webp$`));
    expect(cover.srcset.split(', ').map((s: string) => s.split(' ')[1])).toEqual(['160w', '480w', '960w', '1200w']);

    const served = await getPicture(t, cover.small);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/webp');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = served.headers.get('etag');
    expect(etag).toBe(`"${cover.small.split('.')[1]}"`);
    const meta = await sharp(Buffer.from(await served.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 480, height: 320 });

    const again = await getPicture(t, cover.small, null, { 'if-none-match': etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    const stale = await getPicture(t, cover.small.replace(/\.[0-9a-f]{16}\./, '.0123456789abcdef.'));
    expect(stale.status).toBe(404);
    expect(stale.headers.get('cache-control')).toBe('no-store');
    expect(await storedRows(group.id)).toBe(4);
  });

  it('turns a JPEG upright by its EXIF orientation and drops its metadata (camera, GPS)', async () => {
    const group = await createGroup(t, organizer.token);
    const sideways = await sharp(await picture(600, 300, 'jpeg')).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect((await sharp(sideways).metadata()).exif).toBeDefined();
    const up = await putCover(t, 'groups', group.id, sideways, organizer.token, 'image/jpeg');
    expect(up.body.coverImage).toMatchObject({ width: 300, height: 600 });
    const served = Buffer.from(await (await getPicture(t, up.body.coverImage.urls.LARGE)).arrayBuffer());
    const meta = await sharp(served).metadata();
    expect(meta).toMatchObject({ width: 300, height: 600 });
    expect(meta.exif).toBeUndefined();
  });

  it('never enlarges a small picture: every size is at most the upload', async () => {
    const group = await createGroup(t, organizer.token);
    await putCover(t, 'groups', group.id, await picture(300, 150, 'webp'), organizer.token, 'image/webp');
    const cover = await coverOf(group);
    expect(cover).toMatchObject({ width: 300, height: 150 });
    expect(cover.srcset.split(', ').map((s: string) => s.split(' ')[1])).toEqual(['160w', '300w']);
  });
});

describe('what is refused, with an error naming the image field and nothing stored', () => {
  let group: TestGroup;
  beforeAll(async () => {
    group = await createGroup(t, organizer.token);
  });

  it('bytes that are not a picture, though called image/png', async () => {
    const res = await putCover(t, 'groups', group.id, Buffer.from('<html><script>alert(1)</script></html>'), organizer.token);
    expect(expectHttpError(res, 400, 'BAD_USER_INPUT', 'image').message).toMatch(/not a picture we can read.*JPEG, PNG/);
  });

  it('an SVG (a document, not a picture) and an empty body', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect width="200" height="200"/></svg>');
    expect(expectHttpError(await putCover(t, 'groups', group.id, svg, organizer.token, 'image/svg+xml'), 400, 'BAD_USER_INPUT', 'image').message).toMatch(
      /SVG file, which we do not take/,
    );
    expect(expectHttpError(await putCover(t, 'groups', group.id, Buffer.alloc(0), organizer.token), 400, 'BAD_USER_INPUT', 'image').message).toMatch(/empty/);
  });

  it('a PNG cut short (a broken upload)', async () => {
    const whole = await picture(800, 600);
    const res = await putCover(t, 'groups', group.id, whole.subarray(0, Math.floor(whole.length / 2)), organizer.token);
    expect(expectHttpError(res, 400, 'BAD_USER_INPUT', 'image').message).toMatch(/damaged or incomplete/);
  });

  it('a body over 5 MB (413) and huge or tiny dimensions, judged from the header before decoding', async () => {
    const big = Buffer.concat([await picture(200, 200), Buffer.alloc(MAX_IMAGE_BYTES)]);
    expect(expectHttpError(await putCover(t, 'groups', group.id, big, organizer.token), 413, 'BAD_USER_INPUT', 'image').message).toMatch(/over 5 MB/);
    const wide = await sharp({ create: { width: 9000, height: 120, channels: 3, background: '#000' } }).png().toBuffer();
    expect(expectHttpError(await putCover(t, 'groups', group.id, wide, organizer.token), 400, 'BAD_USER_INPUT', 'image').message).toMatch(/9000 × 120 pixels/);
    const bomb = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: '#000' } }).toColourspace('b-w').png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(MAX_IMAGE_BYTES); // 49 megapixels in a small file
    expect(expectHttpError(await putCover(t, 'groups', group.id, bomb, organizer.token), 400, 'BAD_USER_INPUT', 'image').message).toMatch(/40 megapixels/);
    const tiny = await picture(64, 64);
    expect(expectHttpError(await putCover(t, 'groups', group.id, tiny, organizer.token), 400, 'BAD_USER_INPUT', 'image').message).toMatch(/at least 100 pixels/);
  });

  it('a form-encoded, multipart or text body, or none typed at all (cross-site forms cannot send anything else)', async () => {
    const png = await picture(200, 200);
    for (const type of ['multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'text/plain;charset=UTF-8', null]) {
      expectHttpError(await putCover(t, 'groups', group.id, png, organizer.token, type), 415, 'BAD_REQUEST');
    }
    const post = await fetch(`${t.api.url.replace(/\/graphql$/, '')}/images/groups/${group.id}/cover`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${organizer.token}` },
      body: new Uint8Array(png),
    });
    expect(post.status).toBe(404);
  });

  it('left no row behind', async () => {
    expect(await storedRows(group.id)).toBe(0);
    expect(await coverOf(group)).toBeNull();
  });
});

describe('replacing and removing', () => {
  it('a new upload replaces the cover: new id and URLs, the old ones 404', async () => {
    const group = await createGroup(t, organizer.token);
    const first = (await putCover(t, 'groups', group.id, await picture(800, 600), organizer.token)).body.coverImage;
    const second = (await putCover(t, 'groups', group.id, await picture(800, 600, 'png', '#a33'), organizer.token)).body.coverImage;
    expect(second.id).not.toBe(first.id);
    expect((await getPicture(t, first.urls.SMALL)).status).toBe(404);
    expect((await getPicture(t, second.urls.SMALL)).status).toBe(200);
    expect((await coverOf(group)).id).toBe(second.id);
    expect(await storedRows(group.id)).toBe(4);
  });

  it('two uploads racing leave exactly one cover, one of the two', async () => {
    const group = await createGroup(t, organizer.token);
    const [a, b] = await Promise.all([
      putCover(t, 'groups', group.id, await picture(700, 500, 'png', '#123'), organizer.token),
      putCover(t, 'groups', group.id, await picture(700, 500, 'png', '#456'), organizer.token),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const rows = await sql(t, 'select id from images where group_id = ?', [group.id]);
    expect(rows).toHaveLength(1);
    expect([a.body.coverImage.id, b.body.coverImage.id]).toContain(rows[0].id);
    expect(await storedRows(group.id)).toBe(4);
  });

  it('many uploads at once all finish (at most two are resized at a time; the rest wait their turn)', async () => {
    const groups = await Promise.all(Array.from({ length: 5 }, () => createGroup(t, organizer.token)));
    const png = await picture(900, 600);
    const answers = await Promise.all(groups.map((g) => putCover(t, 'groups', g.id, png, organizer.token)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (const g of groups) expect(await storedRows(g.id)).toBe(4);
  });

  it('DELETE removes the cover and its bytes (204, and 204 again when there is none)', async () => {
    const group = await createGroup(t, organizer.token);
    const cover = (await putCover(t, 'groups', group.id, await picture(400, 400), organizer.token)).body.coverImage;
    expect((await deleteCover(t, 'groups', group.id, organizer.token)).status).toBe(204);
    expect(await coverOf(group)).toBeNull();
    expect((await getPicture(t, cover.urls.THUMB)).status).toBe(404);
    expect(await storedRows(group.id)).toBe(0);
    expect((await deleteCover(t, 'groups', group.id, organizer.token)).status).toBe(204);
  });
});
