import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../server/app.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { apiAt, waitUntil } from '../../test/api-process.js';
import { bulkMembers, createEvent, rsvp } from '../../test/events.js';
import { addMember, createGroup, ok, signUp, sql } from '../../test/factories.js';
import { startSmtp, type TestSmtp } from '../../test/smtp.js';
import { kindsOf, queueSettled } from './notification.testkit.js';

// The job queue under notifications (docs/ARCHITECTURE.md, "Jobs"): idempotent under reruns and two workers,
// retried with backoff, surviving the process that enqueued, and reminders that follow their event.

let t: TestApi;
let second: RunningApi;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApi({ SMTP_URL: smtp.url, JOBS_POLL_MS: 200 });
  second = await startApi(t.config, { db: t.api.db }); // a second API process's worth: its own runner (and pool on PostgreSQL)
});
afterAll(async () => {
  await second?.close();
  await t?.close();
  await smtp?.close();
});

const UPDATE = 'mutation ($id: ID!, $input: UpdateEventInput!) { updateEvent(id: $id, input: $input) { id startsAt } }';
const CANCEL = 'mutation ($id: ID!) { cancelEvent(id: $id) { id status } }';

async function jobData(name: string, where: string, params: unknown[]): Promise<any> {
  const [row] = await sql(t, `select data from pgboss.job where name = ? and ${where} order by created_on desc limit 1`, [name, ...params]);
  return row?.data;
}

describe('idempotency', () => {
  it('tells each person once however often a job runs, and in however many workers at once', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const [ann, bob] = [await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id)];
    const event = await createEvent(t, organizer.token, group.id);
    await queueSettled(t);
    await smtp.waitFor(bob.email, 1);
    const payload = await jobData('notify', `data->>'id' = ? and data->>'kind' = 'EVENT_CREATED'`, [event.id]);
    expect(payload).toBeDefined();

    await t.api.jobs.runNow('notify', payload);
    await Promise.all([t.api.jobs.runNow('notify', payload), second.jobs.runNow('notify', payload), t.api.jobs.runNow('notify', payload)]);
    const [{ id: notificationId }] = await sql(t, `select id from notifications where user_id = ? and kind = 'EVENT_CREATED'`, [ann.id]);
    await Promise.all([t.api.jobs.runNow('notification-email', { notificationId }), second.jobs.runNow('notification-email', { notificationId })]);
    await queueSettled(t);
    expect(await kindsOf(t, ann.id)).toEqual(['EVENT_CREATED']);
    expect(await kindsOf(t, bob.id)).toEqual(['EVENT_CREATED']);
    expect(smtp.to(ann.email)).toHaveLength(1);
    expect(smtp.to(bob.email)).toHaveLength(1);
  });

  it('shares the work between two workers and still delivers each notification and email exactly once', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const people = await bulkMembers(t, group.id, 40);
    await Promise.all(Array.from({ length: 4 }, () => createEvent(t, organizer.token, group.id)));
    await queueSettled(t, 60_000);
    const [{ n, distinct }] = await sql(t, `select count(*)::int as n, count(distinct (user_id, subject))::int as distinct from notifications where user_id in (?)`, [people.map((p) => p.id)]);
    expect({ n, distinct }).toEqual({ n: 160, distinct: 160 });
    await waitUntil(() => smtp.mails.filter((m) => m.to.startsWith('racer.')).length >= 160, '160 emails', 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const racerMails = smtp.mails.filter((m) => m.to.startsWith('racer.'));
    expect(racerMails).toHaveLength(160);
    expect(new Set(racerMails.map((m) => `${m.to} ${m.subject}`)).size).toBe(160);
  });
});

describe('durability', () => {
  it('retries a failed email with backoff, then delivers it once', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const ann = await addMember(t, organizer.token, group.id);
    smtp.failNext(ann.email, 1);
    await createEvent(t, organizer.token, group.id);
    await waitUntil(async () => (await sql(t, `select 1 from pgboss.job where name = 'notification-email' and state = 'retry'`)).length > 0, 'a retry');
    const [job] = await sql(t, `select output, extract(epoch from start_after - now()) as wait from pgboss.job where name = 'notification-email' and state = 'retry'`);
    expect(JSON.stringify(job.output)).toMatch(/try again later/);
    expect(Number(job.wait)).toBeGreaterThan(10); // backing off, not hammering the mail server
    expect(smtp.to(ann.email)).toEqual([]);
    await sql(t, `update pgboss.job set start_after = now() where name = 'notification-email' and state = 'retry'`); // time passes
    await smtp.waitFor(ann.email, 1);
    await queueSettled(t);
    expect(smtp.to(ann.email)).toHaveLength(1);
  });

  it('runs a job whose process stopped before it was due, in another process', async () => {
    const third = await startApi(t.config, { db: t.api.db });
    const thirdClient = apiAt(third.url, t.api.db, t.config, third);
    const organizer = await signUp(thirdClient, 'Olga');
    const group = await createGroup(thirdClient, organizer.token);
    const ann = await addMember(thirdClient, organizer.token, group.id);
    const event = await createEvent(thirdClient, organizer.token, group.id, { startsAt: new Date(Date.now() + 24 * 3600_000 + 3000).toISOString() });
    ok(await rsvp(thirdClient, ann.token, event.id, 'YES'));
    await third.close(); // the reminder, due in 3 s, outlives the process that scheduled it
    await waitUntil(async () => (await kindsOf(t, ann.id)).includes('EVENT_REMINDER'), 'the reminder', 20_000);
  });
});

describe('reminders', () => {
  it('come 24 hours before across a change to summer time, move with their event and go with its cancellation', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token, { timezone: 'Europe/Oslo' });
    const [going, waiting, no] = [await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id)];
    // Sunday 28 March 2027, 19:00 in Oslo: summer time (UTC+2) began at 02:00 that morning.
    const event = await createEvent(t, organizer.token, group.id, { startsAt: '2027-03-28T17:00:00Z', capacity: 1 });
    ok(await rsvp(t, going.token, event.id, 'YES'));
    ok(await rsvp(t, waiting.token, event.id, 'YES'));
    ok(await rsvp(t, no.token, event.id, 'NO'));
    const waitingJobs = () => sql(t, `select data, start_after from pgboss.job where name = 'event-reminder' and singleton_key = ? and state = 'created'`, [`event:${event.id}`]);
    const [scheduled] = await waitingJobs();
    // 24 elapsed hours: Saturday 18:00 on Oslo's winter clock (23 hours on the wall clock).
    expect(new Date(scheduled.start_after).toISOString()).toBe('2027-03-27T17:00:00.000Z');

    await queueSettled(t); // the announcement of the new event (EVENT_CREATED) is a job of its own
    await t.api.jobs.runNow('event-reminder', scheduled.data); // as if the day had come
    await t.api.jobs.runNow('event-reminder', scheduled.data);
    expect(await kindsOf(t, going.id)).toEqual(['EVENT_CREATED', 'EVENT_REMINDER']);
    expect(await kindsOf(t, waiting.id)).toEqual(['EVENT_CREATED']);
    expect(await kindsOf(t, no.id)).toEqual(['EVENT_CREATED']);
    const [reminder] = await sql(t, `select title, body from notifications where user_id = ? and kind = 'EVENT_REMINDER'`, [going.id]);
    expect(reminder.body).toContain('Sun, 28 Mar 2027, 19:00 CEST');

    // Moved an hour later: one waiting reminder, an hour later; the old one, if it ran anyway, says nothing.
    ok(await t.gql(UPDATE, { id: event.id, input: { startsAt: '2027-03-28T18:00:00Z' } }, organizer.token));
    const moved = await waitingJobs();
    expect(moved.map((j) => new Date(j.start_after).toISOString())).toEqual(['2027-03-27T18:00:00.000Z']);
    await t.api.jobs.runNow('event-reminder', scheduled.data);
    expect((await kindsOf(t, going.id)).filter((k) => k === 'EVENT_REMINDER')).toHaveLength(1);
    await t.api.jobs.runNow('event-reminder', moved[0].data);
    expect((await kindsOf(t, going.id)).filter((k) => k === 'EVENT_REMINDER')).toHaveLength(2); // a new time, a new reminder

    ok(await t.gql(CANCEL, { id: event.id }, organizer.token));
    expect(await waitingJobs()).toEqual([]);
    await t.api.jobs.runNow('event-reminder', moved[0].data);
    expect((await kindsOf(t, going.id)).filter((k) => k === 'EVENT_REMINDER')).toHaveLength(2);
  });
});
