import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { createEvent } from '../../test/events.js';
import { addMember, createGroup, ok, signUp, sql, unique, type TestUser } from '../../test/factories.js';
import { countQueries } from '../../test/query-counter.js';
import { deleteCover, expectHttpError, getPicture, picture, putCover } from './image.fixtures.js';

// Who may change covers, who may see them, and how many queries showing them costs.

let t: TestApi;
let organizer: TestUser;
let png: Buffer;
beforeAll(async () => {
  t = await startTestApi();
  organizer = await signUp(t, 'Organizer');
  png = await picture(640, 360);
});
afterAll(() => t?.close());

describe('who may change a cover', () => {
  it("a group's: its organizers only (members, event organizers and outsiders get FORBIDDEN, nobody signed in UNAUTHENTICATED)", async () => {
    const group = await createGroup(t, organizer.token);
    const member = await addMember(t, organizer.token, group.id);
    const eventOrganizer = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    const outsider = await signUp(t, 'Outsider');
    for (const who of [member, eventOrganizer, outsider]) {
      expect(expectHttpError(await putCover(t, 'groups', group.id, png, who.token), 403, 'FORBIDDEN').message).toMatch(/Only the group's organizers can/);
      expectHttpError(await deleteCover(t, 'groups', group.id, who.token), 403, 'FORBIDDEN');
    }
    expectHttpError(await putCover(t, 'groups', group.id, png), 401, 'UNAUTHENTICATED');
    expectHttpError(await putCover(t, 'groups', group.id, png, 'not-a-session'), 401, 'UNAUTHENTICATED');
    expectHttpError(await putCover(t, 'groups', '00000000-0000-4000-8000-000000000000', png, organizer.token), 404, 'NOT_FOUND');
    expectHttpError(await putCover(t, 'groups', 'nope', png, organizer.token), 404, 'NOT_FOUND');
    expect(await sql(t, 'select id from images where group_id = ?', [group.id])).toHaveLength(0);
    expect((await putCover(t, 'groups', group.id, png, organizer.token)).status).toBe(200);
  });

  it("an event's: whoever may change the event (organizers and event organizers)", async () => {
    const group = await createGroup(t, organizer.token);
    const event = await createEvent(t, organizer.token, group.id);
    const member = await addMember(t, organizer.token, group.id);
    const eventOrganizer = await addMember(t, organizer.token, group.id, 'EVENT_ORGANIZER');
    expect(expectHttpError(await putCover(t, 'events', event.id, png, member.token), 403, 'FORBIDDEN').message).toMatch(/event organizers can/);
    const up = await putCover(t, 'events', event.id, png, eventOrganizer.token);
    expect(up.status).toBe(200);
    const data = ok(await t.gql(`query ($id: ID!) { event(id: $id) { coverImage { id width height url(size: SMALL) } } }`, { id: event.id }));
    expect(data.event.coverImage).toEqual({ id: up.body.coverImage.id, width: 640, height: 360, url: up.body.coverImage.urls.SMALL });
    expect((await deleteCover(t, 'events', event.id, organizer.token)).status).toBe(204);
    expectHttpError(await putCover(t, 'events', '00000000-0000-4000-8000-000000000000', png, organizer.token), 404, 'NOT_FOUND');
  });
});

describe('who may see a cover', () => {
  it("a private group's cover is public, like its name; its events' covers only for its members (a guessed or leaked URL 404s)", async () => {
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const event = await createEvent(t, organizer.token, group.id);
    const member = await addMember(t, organizer.token, group.id); // joining a private group asks; approve below
    await sql(t, "update memberships set status = 'ACTIVE' where group_id = ? and user_id = ?", [group.id, member.id]);
    const outsider = await signUp(t, 'Outsider');
    const groupCover = (await putCover(t, 'groups', group.id, png, organizer.token)).body.coverImage;
    const eventCover = (await putCover(t, 'events', event.id, png, organizer.token)).body.coverImage;

    const seen = ok(await t.gql(`query ($slug: String!) { group(slug: $slug) { coverImage { id } } }`, { slug: group.slug }, outsider.token));
    expect(seen.group.coverImage.id).toBe(groupCover.id);
    const groupRes = await getPicture(t, groupCover.urls.SMALL);
    expect(groupRes.status).toBe(200);
    expect(groupRes.headers.get('cache-control')).toMatch(/^public,/);

    for (const who of [null, outsider.token]) {
      const res = await getPicture(t, eventCover.urls.SMALL, who);
      expect(res.status).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    const res = await getPicture(t, eventCover.urls.SMALL, member.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable'); // never kept by shared caches
    expect(res.headers.get('content-type')).toBe('image/webp');

    // Made public, the event's cover is anyone's.
    await sql(t, "update groups set visibility = 'PUBLIC' where id = ?", [group.id]);
    expect((await getPicture(t, eventCover.urls.SMALL)).headers.get('cache-control')).toMatch(/^public,/);
  });

  it('serving a public picture costs one query, signed in or not (the session is looked up only for private ones)', async () => {
    const group = await createGroup(t, organizer.token);
    const cover = (await putCover(t, 'groups', group.id, png, organizer.token)).body.coverImage;
    for (const who of [null, organizer.token]) {
      const { result, queries } = await countQueries(() => getPicture(t, cover.urls.SMALL, who));
      expect(result.status).toBe(200);
      expect(queries).toHaveLength(1);
    }
  });

  it('a session cookie works as well as a bearer token', async () => {
    const group = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const event = await createEvent(t, organizer.token, group.id);
    const cover = (await putCover(t, 'events', event.id, png, organizer.token)).body.coverImage;
    const res = await getPicture(t, cover.urls.THUMB, null, { cookie: `gather_session=${organizer.token}` });
    expect(res.status).toBe(200);
  });
});

describe('showing covers in lists', () => {
  it('loads the covers of a list of groups, and of events, in one query per list (a DataLoader, not one per card)', async () => {
    const word = `pix${unique()}`;
    const groups = await Promise.all(Array.from({ length: 4 }, (_, i) => createGroup(t, organizer.token, { name: `Club ${i} ${word}` })));
    const events = [];
    for (const group of groups.slice(0, 3)) {
      await putCover(t, 'groups', group.id, png, organizer.token);
      const event = await createEvent(t, organizer.token, group.id, { title: `Night ${word}` });
      await putCover(t, 'events', event.id, png, organizer.token);
      events.push(event);
    }
    events.push(await createEvent(t, organizer.token, groups[3].id, { title: `Night ${word}` }));
    const lists = `query ($word: String!) {
      groups(filter: { search: $word }) { edges { node { id coverImage { id srcset } } } }
      events(filter: { search: $word }) { edges { node { id coverImage { id url } } } }
    }`;
    const { result, queries } = await countQueries(() => t.gql(lists, { word }));
    const data = ok(result);
    const covered = (edges: Array<{ node: { id: string; coverImage: unknown } }>) => new Set(edges.filter((e) => e.node.coverImage).map((e) => e.node.id));
    expect(covered(data.groups.edges)).toEqual(new Set(groups.slice(0, 3).map((g) => g.id)));
    expect(data.groups.edges).toHaveLength(4);
    expect(covered(data.events.edges)).toEqual(new Set(events.slice(0, 3).map((e) => e.id)));
    expect(data.events.edges).toHaveLength(4);
    expect(queries.filter((q) => /from images/.test(q))).toHaveLength(2);
  });
});

describe('uploads are rate limited per user', () => {
  it('answers 429 RATE_LIMITED with Retry-After once the allowance is used up', async () => {
    const limited = await startTestApi({ RATE_LIMIT_IMAGES_PER_USER: { points: 2, seconds: 3600 } });
    try {
      const someone = await signUp(limited, 'Organizer');
      const group = await createGroup(limited, someone.token);
      for (let i = 0; i < 2; i++) expect((await putCover(limited, 'groups', group.id, png, someone.token)).status).toBe(200);
      const refused = await putCover(limited, 'groups', group.id, png, someone.token);
      expect(expectHttpError(refused, 429, 'RATE_LIMITED').message).toMatch(/uploading pictures too fast/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
