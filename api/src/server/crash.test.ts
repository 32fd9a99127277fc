import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../db/database.js';
import type { TestApi } from '../test/api.js';
import { apiAt, ensureBuilt, startApiProcess, waitUntil, type ApiProcess } from '../test/api-process.js';
import { freshDatabase } from '../test/database.js';
import { bulkMembers, contractOperation, createEvent, eventWithOrganizer } from '../test/events.js';
import { ok } from '../test/factories.js';
import { checkInvariants, sqlOf } from '../test/invariants.js';
import { requireOrSkip } from '../test/require.js';

const RSVP = contractOperation('Rsvp');
const POST = contractOperation('PostMessage');
const JOIN = contractOperation('JoinGroup');
const LEAVE = contractOperation('LeaveGroup');
const CREATE_THREAD = contractOperation('CreateThread');

const { describe, it } = requireOrSkip(
  Boolean(process.env.DATABASE_URL),
  'killing an API process mid-storm needs two processes on one PostgreSQL server (DATABASE_URL)',
);

/** Answers that a storm may get: data, or a refusal the rules make (full, not a member any more). Never an internal error. */
const EXPECTED_REFUSALS = new Set(['BAD_USER_INPUT', 'FORBIDDEN']);

describe('kill -9 of an API process in the middle of an RSVP storm', () => {
  let db: Database;
  let config: TestApi['config'];
  const processes: ApiProcess[] = [];

  beforeAll(async () => {
    const built = ensureBuilt();
    const fresh = await freshDatabase();
    db = fresh.db;
    config = fresh.config;
    await built;
    const env = { DATABASE_URL: fresh.url!, DB_POOL_MAX: '8' };
    processes.push(...(await Promise.all([startApiProcess(env), startApiProcess(env)])));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db?.close();
  });

  it('leaves every invariant of docs/ARCHITECTURE.md true, and the other process serving', async () => {
    const [victim, survivor] = processes;
    const a = apiAt(victim.url, db, config);
    const b = apiAt(survivor.url, db, config);
    const { organizer, group, event } = await eventWithOrganizer(b, { capacity: 6, guestLimit: 2 });
    const events = [event.id, (await createEvent(b, organizer.token, group.id, { capacity: 3, guestLimit: 1 })).id];
    const thread = ok(await b.gql(CREATE_THREAD, { input: { groupId: group.id, title: 'Storm', body: 'go' } }, organizer.token)).createThread;
    const people = await bulkMembers(b, group.id, 60);

    let killed = false;
    let answered = 0;
    const unexpected: string[] = [];
    // Each person sends one operation after another, alternating processes; the victim's refuse once it is dead.
    const storm = people.map(async (person, n) => {
      for (let i = 0; i < 40; i++) {
        const t = (n + i) % 2 ? a : b;
        if (t === a && killed) continue;
        const roll = (n * 31 + i * 17) % 11;
        const eventId = events[(n + i) % 2];
        const [query, variables] =
          roll < 5 ? [RSVP, { eventId, response: 'YES', guests: i % 3 }]
          : roll < 8 ? [RSVP, { eventId, response: 'NO', guests: null }]
          : roll < 9 ? [POST, { threadId: thread.id, body: `person ${n} says ${i}` }]
          : roll < 10 ? [LEAVE, { groupId: group.id }]
          : [JOIN, { groupId: group.id, answer: null }];
        try {
          const res = await t.gql(query, variables, person.token);
          answered++;
          for (const e of res.errors ?? []) if (!EXPECTED_REFUSALS.has(e.extensions?.code ?? '')) unexpected.push(`${e.extensions?.code}: ${e.message}`);
        } catch (error) {
          if (t !== a || !killed) unexpected.push(`no answer from ${t === a ? 'the victim' : 'the survivor'}: ${error}`);
        }
      }
    });
    await waitUntil(() => answered >= 300, 'the storm to be raging', 30_000);
    killed = true;
    victim.kill('SIGKILL');
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    await Promise.all(storm);

    expect(unexpected).toEqual([]);
    // The victim's open transactions died with its connections: nothing half done, no lock left behind.
    const sql = sqlOf(b);
    expect(await checkInvariants(sql)).toEqual([]);
    for (const eventId of events) {
      const someone = people[0];
      ok(await b.gql(JOIN, { groupId: group.id, answer: null }, someone.token));
      const answer = ok(await b.gql(RSVP, { eventId, response: 'NO', guests: null }, someone.token));
      expect(answer.rsvp.status).toBe('NOT_GOING');
    }
    ok(await b.gql(POST, { threadId: thread.id, body: 'still here' }, organizer.token));
    expect(await checkInvariants(sql)).toEqual([]);
  });
});
