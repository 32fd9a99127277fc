import type pg from 'pg';
import { createBenchEvent, type BenchUser, type Fixtures } from '../fixtures.js';
import { send } from '../load/http-load.js';
import { now, round, Samples } from '../load/stats.js';
import { openSubscribers, waitFor } from '../load/ws-clients.js';
import { body, contractOperation, webOperation } from '../operations.js';
import type { BenchOptions } from '../options.js';
import type { ServerProcess } from '../processes.js';
import type { Check, Measurement, ScenarioResult } from '../results.js';

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
      let missed: string | undefined;
      for (let b = 0; b < bursts && complete; b++) {
        const burst = members.slice(answered, answered + burstSize);
        answered += burstSize;
        const sentAt = now();
        const answers = await Promise.all(burst.map((user) => answerYes(server, eventId, user)));
        const versions = Array.from({ length: burstSize }, (_, i) => version + 1 + i);
        version += burstSize;
        complete = await waitFor(() => versions.every((v) => (received.get(v)?.count ?? 0) >= subscribers), 60_000);
        const short = versions.find((v) => (received.get(v)?.count ?? 0) < subscribers);
        if (short !== undefined) missed ??= `version ${short} reached ${received.get(short)?.count ?? 0} of ${subscribers} subscribers in 60 s`;
        for (const v of versions) {
          const seen = received.get(v);
          if (seen && seen.count >= subscribers) {
            latency.add(seen.last - seen.first);
            fromSend.add(seen.last - sentAt);
          }
        }
        const failed = answers.find((a) => a.status !== 200 || a.body.includes('"errors"'));
        if (failed) {
          complete = false;
          missed ??= `an RSVP answered ${failed.status}: ${failed.body.slice(0, 200)}`;
        }
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
        detail: !ready ? 'not every subscriber heard the warm-up update' : failures.first ?? (complete ? undefined : `an update did not reach everyone (${missed})`),
      });
      measurements.push({ scenario: 'fanout', target, samples: summary.samples, errors: failures.count, firstError: failures.first, metrics });
      await subs.close();
      if (target === 'gather') {
        const cpu = await cpuPerRsvp(options, fixtures, pool, server);
        log(`  fanout CPU per RSVP with ${cpu.subscribers} subscribers: ${cpu.metrics.cpuMsPerRsvpWeb} ms (web's EventAttendance) vs ${cpu.metrics.cpuMsPerRsvpCounts} ms (counts only), ${cpu.metrics.cpuRatio}×`);
        checks.push(cpu.check);
        measurements.push(cpu.measurement);
      }
    } finally {
      await server.stop();
    }
  }
  return { measurements, checks };
}

/** A subscription that selects only the event's counts: what the web's EventAttendance is compared with. */
const COUNTS_ONLY = `subscription EventCounts($eventId: ID!) {
  eventAttendance(eventId: $eventId) { version event { id goingCount waitlistCount } }
}`;

/**
 * The API process's CPU per RSVP (the mutation and its fan-out) with `fanout.cpuSubscribers` subscribers on a fresh
 * event, one signed-in socket each, sending the web's EventAttendance document, then the same with a document that
 * selects only counts: over `fanout.cpuRsvps` RSVPs made one at a time, each waited for until every subscriber has it.
 * Issue 10's target: the web's document costs at most 1.5× the counts-only one.
 */
async function cpuPerRsvp(options: BenchOptions, fixtures: Fixtures, pool: pg.Pool, server: ServerProcess) {
  const { cpuSubscribers: subscribers, cpuRsvps: rsvps, perSocket } = options.fanout;
  const members = fixtures.hotGroup.members;
  const perRsvp: Record<'web' | 'counts', number> = { web: 0, counts: 0 };
  let failures = 0;
  let first: string | null = null;
  let complete = true;
  for (const kind of ['web', 'counts'] as const) {
    const { eventId } = await createBenchEvent(pool, fixtures, { title: `Bench fan-out CPU (${kind})`, capacity: null, guestLimit: 0 });
    const received = new Map<number, number>();
    const subs = await openSubscribers({
      url: wsUrl(server),
      count: subscribers,
      perSocket,
      token: (socket) => members[socket % members.length].token,
      payload: { query: kind === 'web' ? webOperation('EventAttendance') : COUNTS_ONLY, operationName: kind === 'web' ? 'EventAttendance' : 'EventCounts', variables: { eventId } },
      onNext: (text) => {
        const version = Number(/"version":(\d+)/.exec(text)?.[1]);
        received.set(version, (received.get(version) ?? 0) + 1);
      },
    });
    let answered = 0;
    let lastWarmup = -Infinity;
    complete &&= await waitFor(() => {
      if (subs.seen() === subscribers) return true;
      if (now() - lastWarmup > 2000) {
        lastWarmup = now();
        void answerYes(server, eventId, members[answered++ % members.length]);
      }
      return false;
    }, 120_000);
    await new Promise((r) => setTimeout(r, 500));
    let version = Number((await pool.query('select attendance_version from events where id = $1', [eventId])).rows[0].attendance_version);
    const before = server.cpu();
    for (let i = 0; i < rsvps && complete; i++) {
      const answer = await answerYes(server, eventId, members[answered++ % members.length]);
      if (answer.status !== 200 || answer.body.includes('"errors"')) complete = false;
      const v = ++version;
      complete &&= await waitFor(() => (received.get(v) ?? 0) >= subscribers, 30_000);
    }
    perRsvp[kind] = round((server.cpu() - before) / rsvps, 2);
    const failed = subs.failures();
    failures += failed.count;
    first ??= failed.first;
    await subs.close();
  }
  const ratio = perRsvp.counts > 0 ? round(perRsvp.web / perRsvp.counts, 2) : null;
  return {
    subscribers,
    metrics: { cpuMsPerRsvpWeb: perRsvp.web, cpuMsPerRsvpCounts: perRsvp.counts, cpuRatio: ratio, subscribers, rsvps },
    measurement: {
      scenario: 'fanoutCpu',
      target: 'gather',
      samples: 2 * rsvps,
      errors: failures,
      firstError: first,
      metrics: { cpuMsPerRsvpWeb: perRsvp.web, cpuMsPerRsvpCounts: perRsvp.counts, cpuRatio: ratio, subscribers, rsvps },
    } satisfies Measurement,
    check: {
      scenario: 'fanoutCpu',
      what: `gather: every one of ${subscribers} subscribers of each document received each of ${rsvps} RSVPs`,
      ok: complete && failures === 0,
      detail: first ?? (complete ? undefined : 'an update did not reach everyone'),
    } satisfies Check,
  };
}
