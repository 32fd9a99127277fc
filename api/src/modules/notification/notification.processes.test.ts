import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../../db/database.js';
import type { TestApi } from '../../test/api.js';
import { apiAt, ensureBuilt, startApiProcess, waitUntil, type ApiProcess } from '../../test/api-process.js';
import { freshDatabase } from '../../test/database.js';
import { bulkMembers, createEvent } from '../../test/events.js';
import { createGroup, signUp, sql } from '../../test/factories.js';
import { requireOrSkip } from '../../test/require.js';
import { startSmtp, type TestSmtp } from '../../test/smtp.js';
import { queueSettled } from './notification.testkit.js';

const { describe, it } = requireOrSkip(Boolean(process.env.DATABASE_URL), 'two API processes on one database need a PostgreSQL server (DATABASE_URL)');

describe('two API processes working one queue', () => {
  let db: Database;
  let a: TestApi;
  let b: TestApi;
  let smtp: TestSmtp;
  const processes: ApiProcess[] = [];

  beforeAll(async () => {
    const built = ensureBuilt();
    smtp = await startSmtp();
    const fresh = await freshDatabase();
    db = fresh.db;
    await built;
    const env = { DATABASE_URL: fresh.url!, SMTP_URL: smtp.url, JOBS_POLL_MS: '200' };
    processes.push(...(await Promise.all([startApiProcess(env), startApiProcess(env)])));
    a = apiAt(processes[0].url, db, fresh.config);
    b = apiAt(processes[1].url, db, fresh.config);
  }, 300_000); // may build dist/ first
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db?.close();
    await smtp?.close();
  });

  it('tells each person once and emails each notification once, whichever process ran the job', async () => {
    const organizer = await signUp(a, 'Olga');
    const group = await createGroup(a, organizer.token);
    const people = await bulkMembers(a, group.id, 50);
    // Causes on both processes at once; each process wakes its own worker, both poll the shared queue.
    await Promise.all([createEvent(a, organizer.token, group.id), createEvent(b, organizer.token, group.id), createEvent(a, organizer.token, group.id), createEvent(b, organizer.token, group.id)]);
    await queueSettled(a, 60_000);
    const [row] = await sql(a, `select count(*)::int as n, count(distinct (user_id, subject))::int as d from notifications where user_id in (?)`, [people.map((p) => p.id)]);
    expect(row).toEqual({ n: 200, d: 200 });
    await waitUntil(() => smtp.mails.filter((m) => m.to.startsWith('racer.')).length >= 200, '200 emails', 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    const mails = smtp.mails.filter((m) => m.to.startsWith('racer.'));
    expect(mails).toHaveLength(200);
    expect(new Set(mails.map((m) => `${m.to} ${m.subject}`)).size).toBe(200);
    const [sent] = await sql(a, `select count(*)::int as n from notifications where email_sent_at is not null and user_id in (?)`, [people.map((p) => p.id)]);
    expect(sent.n).toBe(200);
    for (const p of processes) expect(p.output()).not.toMatch(/"level":50/); // no errors logged
  });
});
