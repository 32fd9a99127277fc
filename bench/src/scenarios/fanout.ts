import type pg from 'pg';
import { createBenchEvent, type BenchUser, type Fixtures } from '../fixtures.js';
import { send } from '../load/http-load.js';
import { now, round, Samples } from '../load/stats.js';
import { openSubscribers, waitFor } from '../load/ws-clients.js';
import { body, contractOperation, webOperation } from '../operations.js';
import type { BenchOptions } from '../options.js';
import type { ServerProcess } from '../processes.js';
import type { Check, Measurement, ScenarioResult, Target } from '../results.js';

const wsUrl = (server: ServerProcess) => `${server.base.replace(/^http/, 'ws')}/graphql`;

/** Answers YES for `user` (the change every subscriber then hears about). */
export const answerYes = (server: ServerProcess, eventId: string, user: BenchUser) =>
  send(server.base, {
    path: '/graphql',
    body: body(contractOperation('Rsvp'), 'Rsvp', { eventId, response: 'YES', guests: 0 }),
    headers: { authorization: `Bearer ${user.token}` },
  });

/**
 * `fanout.subscribers` EventAttendance subscriptions on one event (`perSocket` per socket, each socket signed in
 * as a member), on a fresh Gather process and a fresh ceiling process in turn. Memory per idle subscriber is the
 * server's growth (after garbage collection) from before the first socket to all subscribed and idle, over the
 * subscriber count. Then bursts of RSVPs. Each update is sent right after its transaction commits, first to one
 * subscriber, so "commit → last" is measured from the first subscriber receiving it to the last (it leaves out
 * under a millisecond before the first send); the time from sending the RSVP is reported beside it, which also
 * holds the transaction and the wait for the row lock behind the rest of the burst.
 */
export async function runFanout(
  options: BenchOptions,
  fixtures: Fixtures,
  pool: pg.Pool,
  start: Record<'gather' | 'ceiling', () => Promise<ServerProcess>>,
  log: (m: string) => void,
): Promise<ScenarioResult> {
  const measurements: Measurement[] = [];
  const checks: Check[] = [];
  const { subscribers, perSocket, bursts, burstSize } = options.fanout;
  const members = fixtures.hotGroup.members;
  for (const target of ['gather', 'ceiling'] as const) {
    const server = await start[target]();
    try {
      const { eventId } = await createBenchEvent(pool, fixtures, { title: `Bench fan-out (${target})`, capacity: null, guestLimit: 0 });
      const received = new Map<number, { count: number; first: number; last: number }>();
      const before = await server.memory();
      const subs = await openSubscribers({
        url: wsUrl(server),
        count: subscribers,
        perSocket,
        token: (socket) => members[socket % members.length].token,
        payload: { query: webOperation('EventAttendance'), operationName: 'EventAttendance', variables: { eventId } },
        onNext: (text, at) => {
          const version = Number(/"version":(\d+)/.exec(text)?.[1]);
          const seen = received.get(version);
          if (seen) {
            seen.count++;
            seen.last = at;
          } else received.set(version, { count: 1, first: at, last: at });
        },
      });
      // Subscriptions are set up asynchronously: answer until every subscriber has heard one update.
      let answered = 0;
      let lastWarmup = -Infinity;
      const ready = await waitFor(() => {
        if (subs.seen() === subscribers) return true;
        if (now() - lastWarmup > 2000) {
          lastWarmup = now();
          void answerYes(server, eventId, members[answered++ % members.length]);
        }
        return false;
      }, 120_000);
      await new Promise((r) => setTimeout(r, 1000));
      const idle = await server.memory();
      const latency = new Samples();
      const fromSend = new Samples();
      let version = Number((await pool.query('select attendance_version from events where id = $1', [eventId])).rows[0].attendance_version);
      let complete = ready;
      for (let b = 0; b < bursts && complete; b++) {
        const burst = members.slice(answered, answered + burstSize);
        answered += burstSize;
        const sentAt = now();
        const answers = await Promise.all(burst.map((user) => answerYes(server, eventId, user)));
        const versions = Array.from({ length: burstSize }, (_, i) => version + 1 + i);
        version += burstSize;
        complete = await waitFor(() => versions.every((v) => (received.get(v)?.count ?? 0) >= subscribers), 60_000);
        for (const v of versions) {
          const seen = received.get(v);
          if (seen && seen.count >= subscribers) {
            latency.add(seen.last - seen.first);
            fromSend.add(seen.last - sentAt);
          }
        }
        if (answers.some((a) => a.status !== 200 || a.body.includes('"errors"'))) complete = false;
        await new Promise((r) => setTimeout(r, 200));
      }
      const failures = subs.failures();
      const summary = latency.summary();
      const sent = fromSend.summary();
      const metrics = {
        p50: summary.p50,
        p99: summary.p99,
        max: summary.max,
        sendToLastP50: sent.p50,
        sendToLastP99: sent.p99,
        rssPerSubscriber: Math.round((idle.rss - before.rss) / subscribers),
        heapPerSubscriber: Math.round((idle.heapUsed - before.heapUsed) / subscribers),
        sockets: subs.sockets,
      };
      log(`  fanout ${target}: ${subscribers} subscribers on ${subs.sockets} sockets, commit→last p50 ${metrics.p50} ms, p99 ${metrics.p99} ms (from sending the RSVP: p50 ${sent.p50}, p99 ${sent.p99} ms), ${round(metrics.rssPerSubscriber / 1024, 1)} KiB RSS and ${round(metrics.heapPerSubscriber / 1024, 1)} KiB heap per idle subscriber`);
      checks.push({
        scenario: 'fanout',
        what: `${target}: every subscriber received every update of ${bursts} bursts of ${burstSize}`,
        ok: ready && complete && failures.count === 0,
        detail: !ready ? 'not every subscriber heard the warm-up update' : failures.first ?? (complete ? undefined : 'an update did not reach everyone'),
      });
      measurements.push({ scenario: 'fanout', target, samples: summary.samples, errors: failures.count, firstError: failures.first, metrics });
      await subs.close();
    } finally {
      await server.stop();
    }
  }
  return { measurements, checks };
}
