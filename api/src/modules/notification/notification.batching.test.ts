import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { createEvent } from '../../test/events.js';
import { addMember, createGroup, ok, signUp, sql } from '../../test/factories.js';
import { startSmtp, type TestSmtp } from '../../test/smtp.js';

// How much queue work a burst causes (docs/ARCHITECTURE.md, "Notifications"): a lively chat is one waiting `notify`
// job per thread, and one delivery is one `notification-email` job however many people it tells. Counted in the
// jobs table with nothing working the queue, then run by hand.

let t: TestApi;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApi({ SMTP_URL: smtp.url, JOBS_WORK: false });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const POST = 'mutation ($threadId: ID!, $body: String!) { postMessage(threadId: $threadId, body: $body) { id } }';
const THREAD = 'query ($id: ID!) { event(id: $id) { thread { id } } }';

/** The waiting jobs of `name` created since `since`, their payloads. */
const jobsSince = async (name: string, since: Date) =>
  (await sql(t, `select data from pgboss.job where name = ? and created_on >= ? and state = 'created' order by created_on`, [name, since])).map((r) => r.data);

describe('a burst of replies in one thread', () => {
  it('is one waiting notify job for all its messages, which tells each person once, with one email job', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const [ann, bob, cat] = [await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id), await addMember(t, organizer.token, group.id)];
    const event = await createEvent(t, organizer.token, group.id);
    const threadId = ok(await t.gql(THREAD, { id: event.id }, ann.token)).event.thread.id;
    const since = new Date(Date.now() - 1000);
    const post = async (who: { token: string }, body: string) => ok(await t.gql(POST, { threadId, body }, who.token)).postMessage.id as string;

    const ids = [await post(ann, 'Who is coming?'), await post(bob, 'Me!'), await post(cat, 'Me too!')];
    ids.push(...(await Promise.all([post(ann, 'Great.'), post(bob, 'See you.'), post(cat, 'Bye.')]))); // racing posts too
    const jobs = (await jobsSince('notify', since)).filter((d) => d.kind === 'THREAD_REPLY');
    expect(jobs).toHaveLength(1);
    expect([...jobs[0].items].sort()).toEqual([...ids].sort());

    await t.api.jobs.runNow('notify', jobs[0]);
    await t.api.jobs.runNow('notify', jobs[0]); // again: nothing more
    const told = await sql(t, `select user_id, body from notifications where kind = 'THREAD_REPLY' and user_id in (?, ?, ?, ?)`, [ann.id, bob.id, cat.id, organizer.id]);
    const bodyOf = (id: string) => told.filter((n) => n.user_id === id).map((n) => n.body);
    // The first reply each person got within the hour: Ann hears of Bob's, Bob of Cat's; Cat of the first after she wrote.
    expect(bodyOf(ann.id)).toEqual(['Me!']);
    expect(bodyOf(bob.id)).toEqual(['Me too!']);
    expect(bodyOf(cat.id)).toHaveLength(1);
    expect(bodyOf(organizer.id)).toEqual([]);

    const emails = await jobsSince('notification-email', since);
    expect(emails).toHaveLength(1);
    await t.api.jobs.runNow('notification-email', emails[0]);
    await t.api.jobs.runNow('notification-email', emails[0]); // again: nobody mailed twice
    for (const person of [ann, bob, cat]) expect(smtp.to(person.email)).toHaveLength(1);
    expect(smtp.to(ann.email)[0].text).toContain('Me!');
  });
});
