import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { waitUntil } from '../../test/api-process.js';
import { createEvent } from '../../test/events.js';
import { addMember, createGroup, signUp } from '../../test/factories.js';

// Without SMTP_URL, emails are .eml files in MAIL_DIR, written on a thread of their own (mail-writer.ts).

let t: TestApi;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gather-mail-'));
  t = await startTestApi({ MAIL_DIR: join(dir, 'mail'), JOBS_POLL_MS: 200 });
});
afterAll(async () => {
  await t?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('emails without SMTP_URL', () => {
  it('are whole .eml files in MAIL_DIR, one per notification, with the unsubscribe headers', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const people = [await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id)];
    await createEvent(t, organizer.token, group.id, { title: 'Picnic by the lake' });
    const folder = join(dir, 'mail');
    const files = async () => (await readdir(folder).catch(() => [] as string[])).sort();
    await waitUntil(async () => (await files()).filter((f) => f.endsWith('.eml')).length >= 2, 'two .eml files');
    const names = await files();
    expect(names.filter((f) => f.endsWith('.part'))).toEqual([]);
    const texts = await Promise.all(names.map((f) => readFile(join(folder, f), 'utf8')));
    for (const person of people) {
      const mine = texts.filter((m) => m.includes(`To: ${person.email}`));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatch(/Subject: New event in .*Picnic by the lake/);
      expect(mine[0]).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    }
  });
});
