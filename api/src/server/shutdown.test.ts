import { afterAll, beforeAll, expect } from 'vitest';
import pg from 'pg';
import type { Database } from '../db/database.js';
import type { TestApi } from '../test/api.js';
import { apiAt, ensureBuilt, startApiProcess, waitUntil, type ApiProcess } from '../test/api-process.js';
import { freshDatabase } from '../test/database.js';
import { bulkMembers, contractOperation, eventWithOrganizer, createEvent } from '../test/events.js';
import { ok, sql } from '../test/factories.js';
import { checkInvariants, sqlOf } from '../test/invariants.js';
import { requireOrSkip } from '../test/require.js';
import { subscribe, wsClient } from '../test/ws.js';

const RSVP = contractOperation('Rsvp');
const POST = contractOperation('PostMessage');
const CREATE_THREAD = contractOperation('CreateThread');
const ATTENDANCE = contractOperation('EventAttendance');

const { describe, it } = requireOrSkip(
  Boolean(process.env.DATABASE_URL),
  'the shutdown tests run the API as its own process on a PostgreSQL server the test reads too (DATABASE_URL)',
);

/** One request of the load: what was asked, and what came back (nothing, when the connection failed). */
interface Attempt {
  userId: string;
  op: 'YES' | 'NO' | 'POST';
  body?: string;
  sentAt: number;
  answeredAt: number;
  status: number | null;
  data?: any;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
  networkError?: string;
}

async function send(url: string, token: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as { data?: any; errors?: Attempt['errors'] }) };
}

/** A pg connection that holds an event's row lock until released: RSVPs to that event wait in the API meanwhile. */
async function lockEventRow(url: string, eventId: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query('select id from events where id = $1 for update', [eventId]);
  const holder = (await client.query('select pg_backend_pid() as pid')).rows[0].pid as number;
  return {
    /** How many sessions wait for this lock: directly, or queued behind one that does. */
    waiters: async () => {
      const { rows } = await client.query('select pid, pg_blocking_pids(pid) as by from pg_stat_activity where cardinality(pg_blocking_pids(pid)) > 0');
      const blocked = new Set<number>([holder]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const row of rows) {
          if (!blocked.has(row.pid) && (row.by as number[]).some((pid) => blocked.has(pid))) {
            blocked.add(row.pid);
            grew = true;
          }
        }
      }
      return blocked.size - 1;
    },
    release: async () => {
      await client.query('rollback');
      await client.end();
    },
  };
}

describe('graceful shutdown (SIGTERM)', () => {
  let db: Database;
  let databaseUrl: string;
  let config: TestApi['config'];
  const processes: ApiProcess[] = [];

  beforeAll(async () => {
    const built = ensureBuilt();
    const fresh = await freshDatabase();
    db = fresh.db;
    databaseUrl = fresh.url!;
    config = fresh.config;
    await built;
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await db?.close();
  });

  async function start(env: Record<string, string> = {}): Promise<{ proc: ApiProcess; t: TestApi }> {
    const proc = await startApiProcess({ DATABASE_URL: databaseUrl, DB_POOL_MAX: '8', ...env });
    processes.push(proc);
    return { proc, t: apiAt(proc.url, db, config) };
  }

  it('under load: answers requests in flight, closes WebSockets with 1001 after their updates, exits 0 and loses no acknowledged write', async () => {
    const { proc, t } = await start();
    const { organizer, group, event: storm } = await eventWithOrganizer(t, { capacity: 15, guestLimit: 1 });
    const held = await createEvent(t, organizer.token, group.id, { capacity: 100 });
    const thread = ok(await t.gql(CREATE_THREAD, { input: { groupId: group.id, title: 'Load', body: 'first' } }, organizer.token)).createThread;
    const people = await bulkMembers(t, group.id, 49);
    const [blocked, racers, [declines]] = [people.slice(0, 6), people.slice(6, 48), people.slice(48)];

    // A watcher of the held event, seen to be live once a change reaches it (one person flips until one does).
    const sub = subscribe(wsClient(t.api.url), ATTENDANCE, { eventId: held.id });
    let flips = 0;
    await waitUntil(async () => {
      const response = flips++ % 2 ? 'YES' : 'NO';
      ok(await t.gql(RSVP, { eventId: held.id, response, guests: null }, declines.token));
      return sub.received.length > 0;
    }, 'the subscription to be live');
    const seen = sub.received.at(-1).eventAttendance.version as number;
    expect(seen).toBe(flips);

    // The load: every racer RSVPs and posts in a loop until the API stops answering.
    let sigtermAt = Infinity;
    const attempts: Attempt[] = [];
    const racer = async (person: { id: string; token: string }, n: number) => {
      for (let i = 0; ; i++) {
        const roll = (n * 7 + i * 13) % 5;
        const op: Attempt['op'] = roll < 2 ? 'YES' : roll < 4 ? 'NO' : 'POST';
        const body = `racer ${n} message ${i}`;
        const attempt: Attempt = { userId: person.id, op, body: op === 'POST' ? body : undefined, sentAt: Date.now(), answeredAt: 0, status: null };
        attempts.push(attempt);
        try {
          const answer =
            op === 'POST'
              ? await send(t.api.url, person.token, POST, { threadId: thread.id, body })
              : await send(t.api.url, person.token, RSVP, { eventId: storm.id, response: op, guests: op === 'YES' ? i % 2 : null });
          Object.assign(attempt, answer, { answeredAt: Date.now() });
        } catch (error) {
          attempt.networkError = String((error as Error).cause ?? error);
          attempt.answeredAt = Date.now();
          return;
        }
      }
    };
    const load = Promise.all(racers.map(racer));
    await waitUntil(() => attempts.filter((a) => a.status === 200).length >= 150, 'the load to get going', 20_000);

    // Six RSVPs in flight for as long as the test holds the event's row lock.
    const lock = await lockEventRow(databaseUrl, held.id);
    const inFlight = blocked.map((p) =>
      send(t.api.url, p.token, RSVP, { eventId: held.id, response: 'YES', guests: null }).then(
        (r) => ({ ...r, at: Date.now() }),
        (error) => ({ status: null, data: null, errors: [{ message: `no answer: ${(error as Error).cause ?? error}` }], at: Date.now() }),
      ),
    );
    await waitUntil(async () => (await lock.waiters()) >= blocked.length, 'the RSVPs to wait on the lock');

    sigtermAt = Date.now();
    proc.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await lock.release();
    const exit = await Promise.race([proc.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 12_000))]);
    const exitedAfter = Date.now() - sigtermAt;
    await load;

    expect(exit, proc.output()).toEqual({ code: 0, signal: null });
    expect(exitedAfter).toBeLessThan(10_000);
    expect(proc.output()).toContain('shut down cleanly');

    // In-flight operations finished, after the signal, and their live updates went out before the 1001.
    const answers = await Promise.all(inFlight);
    for (const answer of answers) {
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      expect(answer.data.rsvp.status).toBe('GOING');
      expect(answer.at).toBeGreaterThan(sigtermAt);
    }
    await waitUntil(() => sub.completed, 'the WebSocket to close');
    expect(sub.errors).toEqual([expect.stringMatching(/^close 1001/)]);
    const versions = sub.received.map((u) => u.eventAttendance.version);
    expect(versions.slice(-blocked.length)).toEqual(blocked.map((_, i) => seen + 1 + i));

    // Every answer was a real one; the only failures are refused connections after SIGTERM.
    for (const a of attempts) {
      if (a.networkError) expect(a.sentAt + 1000, a.networkError).toBeGreaterThan(sigtermAt);
      else expect(a.status, JSON.stringify(a)).toBe(200);
      for (const e of a.errors ?? []) expect(e.extensions?.code, e.message).toBe('BAD_USER_INPUT'); // guests that no longer fit
    }
    expect(attempts.filter((a) => a.status === 200 && a.answeredAt > sigtermAt).length).toBeGreaterThan(0);

    // Every acknowledged write is in the database.
    const posted = attempts.filter((a) => a.op === 'POST' && a.data?.postMessage);
    const stored = await sql(t, `select id, body from messages where thread_id = ?`, [thread.id]);
    const bodies = new Map(stored.map((m) => [m.id as string, m.body as string]));
    for (const a of posted) expect(bodies.get(a.data.postMessage.id)).toBe(a.body);
    const rsvps = new Map((await sql(t, `select user_id, status from rsvps where event_id = ?`, [storm.id])).map((r) => [r.user_id, r.status]));
    for (const person of racers) expect(possibleStatuses(attempts, person.id)).toContain(rsvps.get(person.id) ?? 'NONE');
    const heldRows = await sql(t, `select user_id from rsvps where event_id = ? and status = 'GOING'`, [held.id]);
    expect(heldRows.map((r) => r.user_id)).toEqual(expect.arrayContaining(blocked.map((p) => p.id)));
    // ...and nothing is half done.
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  });

  it('exits anyway, with status 1 and a log line, when in-flight work outlasts SHUTDOWN_TIMEOUT_MS; the cut work leaves nothing behind', async () => {
    const { proc, t } = await start({ SHUTDOWN_TIMEOUT_MS: '1500' });
    const { group, event } = await eventWithOrganizer(t, { capacity: 5 });
    const [stuck] = await bulkMembers(t, group.id, 1);
    const lock = await lockEventRow(databaseUrl, event.id);
    try {
      const answer = send(t.api.url, stuck.token, RSVP, { eventId: event.id, response: 'YES', guests: null }).catch((e) => ({ failed: String(e) }));
      await waitUntil(async () => (await lock.waiters()) >= 1, 'the RSVP to wait on the lock');
      const sentAt = Date.now();
      proc.kill('SIGTERM');
      const exit = await Promise.race([proc.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5000))]);
      const took = Date.now() - sentAt;
      expect(exit, proc.output()).toEqual({ code: 1, signal: null });
      expect(took).toBeGreaterThanOrEqual(1400);
      expect(took).toBeLessThan(3500);
      expect(proc.output()).toContain('shutdown did not finish within 1500 ms; exiting anyway');
      expect(await answer).toHaveProperty('failed');
    } finally {
      await lock.release();
    }
    expect(await sql(t, 'select id from rsvps where event_id = ?', [event.id])).toEqual([]);
    expect(await checkInvariants(sqlOf(t))).toEqual([]);
  });
});

/**
 * The RSVP states a racer may be left in: what its last answered RSVP made of it (a waitlisted one may since
 * have been promoted), or, when its last request got no answer, what that request would have made of it too.
 */
function possibleStatuses(attempts: Attempt[], userId: string): string[] {
  const mine = attempts.filter((a) => a.userId === userId && a.op !== 'POST');
  const answered = mine.filter((a) => a.data?.rsvp);
  const last = answered.at(-1);
  const states = new Set<string>();
  if (!last) states.add('NONE');
  else if (last.data.rsvp.status === 'WAITLISTED') ['WAITLISTED', 'GOING'].forEach((s) => states.add(s));
  else states.add(last.data.rsvp.status);
  const unanswered = mine.filter((a) => a.networkError && a.sentAt >= (last?.sentAt ?? 0));
  for (const a of unanswered) (a.op === 'YES' ? ['GOING', 'WAITLISTED'] : ['NOT_GOING']).forEach((s) => states.add(s));
  // A YES that was refused (BAD_USER_INPUT) changed nothing; the state before it stands.
  return [...states];
}
