import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { addMember, createGroup, ok, signUp, sql } from '../../test/factories.js';
import { checkInvariants, sqlOf } from '../../test/invariants.js';

// A ban (banFromGroup) and the banned member's posts, sent by real clients 0–8 ms apart, many times over. On
// PostgreSQL (DATABASE_URL, a pool of 20) the transactions truly overlap. Whoever wins, no message (nor thread) of
// the person may be written (or edited) after the ban: a post either commits before the ban, or reads the ban and is
// refused. The ban stamps the membership's updated_at once it holds the membership's lock; a post stamps its
// created_at (an edit its edited_at) once its transaction began: written after the ban committed, it is the later.

const BAN = `mutation ($groupId: ID!, $userId: ID!) { banFromGroup(groupId: $groupId, userId: $userId) { id status } }`;
const POST = `mutation ($threadId: ID!, $body: String!) { postMessage(threadId: $threadId, body: $body) { id } }`;
const EDIT = `mutation ($id: ID!, $body: String!) { editMessage(id: $id, body: $body) { id } }`;
const START = `mutation ($input: CreateThreadInput!) { createThread(input: $input) { id } }`;
/** Races per run: on the embedded database transactions run one at a time, so fewer show as much. */
const TRIALS = process.env.DATABASE_URL ? 40 : 10;
/** The codes a refused post may carry once the ban won. */
const REFUSALS = ['FORBIDDEN', 'NOT_FOUND'];

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ DB_POOL_MAX: 20 });
});
afterAll(() => t?.close());

describe('a ban racing the banned member’s posts', () => {
  it('never writes a message or thread of the person after the ban committed, whichever is sent first', async () => {
    const organizer = await signUp(t, 'Organizer');
    const group = await createGroup(t, organizer.token);
    const threadId: string = ok(await t.gql(START, { input: { groupId: group.id, title: 'Chat', body: 'Hello' } }, organizer.token)).createThread.id;
    for (let trial = 0; trial < TRIALS; trial++) {
      const member = await addMember(t, organizer.token, group.id);
      const earlier: string = ok(await t.gql(POST, { threadId, body: 'before' }, member.token)).postMessage.id;
      const banFirst = trial % 2 === 0;
      const gap = trial % 5;
      const ban = async () => {
        if (!banFirst) await sleep(gap);
        return t.gql(BAN, { groupId: group.id, userId: member.id }, organizer.token);
      };
      // Several posts a millisecond apart, so some land just around the ban's commit.
      const post = async (i: number) => {
        await sleep((banFirst ? gap : 0) + i);
        return t.gql(POST, { threadId, body: `post ${i}` }, member.token);
      };
      const start = async () => {
        if (banFirst) await sleep(gap);
        return t.gql(START, { input: { groupId: group.id, title: 'Mine', body: 'New topic' } }, member.token);
      };
      const edit = async () => {
        await sleep(banFirst ? gap + 2 : 0);
        return t.gql(EDIT, { id: earlier, body: 'after' }, member.token);
      };
      const [banned, ...answers] = await Promise.all([ban(), start(), edit(), ...[0, 1, 2, 3, 4].map(post)]);

      expect(ok(banned).banFromGroup.status).toBe('BANNED');
      for (const res of answers) {
        if (res.errors) expect(REFUSALS, JSON.stringify(res.errors)).toContain(res.errors[0].extensions?.code);
      }
      const late = await sql(
        t,
        `select msg.body, msg.created_at, msg.edited_at, m.updated_at as banned_at from messages msg
         join threads th on th.id = msg.thread_id
         join memberships m on m.group_id = th.group_id and m.user_id = msg.author_id
         where msg.author_id = ? and m.status = 'BANNED' and (msg.created_at > m.updated_at or msg.edited_at > m.updated_at)`,
        [member.id],
      );
      expect(late, `trial ${trial} (${banFirst ? 'ban' : 'posts'} sent first, ${gap} ms apart)`).toEqual([]);
    }
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  }, 240_000);
});
