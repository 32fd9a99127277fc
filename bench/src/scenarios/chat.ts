import type pg from 'pg';
import { createBenchEvent, type Fixtures } from '../fixtures.js';
import { send } from '../load/http-load.js';
import { now, Samples } from '../load/stats.js';
import { openSubscribers, waitFor } from '../load/ws-clients.js';
import { body, contractOperation, webOperation } from '../operations.js';
import type { BenchOptions } from '../options.js';
import type { ServerProcess } from '../processes.js';
import type { Check, Measurement, ScenarioResult, Target } from '../results.js';

/**
 * `chat.subscribers` ThreadActivity subscriptions on one event chat, then `perSecond` messages a second for
 * `seconds`, posted by members in turn, on Gather and on the ceiling: delivery time of every message to every
 * subscriber (p50/p99), and to the last subscriber of each message.
 */
export async function runChat(
  options: BenchOptions,
  fixtures: Fixtures,
  pool: pg.Pool,
  servers: Record<Target, ServerProcess>,
  log: (m: string) => void,
): Promise<ScenarioResult> {
  const measurements: Measurement[] = [];
  const checks: Check[] = [];
  const { subscribers, perSecond, seconds } = options.chat;
  const members = fixtures.hotGroup.members;
  for (const target of ['gather', 'ceiling'] as Target[]) {
    const server = servers[target];
    const { threadId } = await createBenchEvent(pool, fixtures, { title: `Bench chat (${target})`, capacity: null, guestLimit: 0 });
    const sentAt: number[] = [];
    const arrivals: number[] = [];
    const lastArrival: number[] = [];
    const deliveries = new Samples();
    const post = (n: number) =>
      send(server.base, {
        path: '/graphql',
        body: body(contractOperation('PostMessage'), 'PostMessage', { threadId, body: `bench message #${n}` }),
        headers: { authorization: `Bearer ${members[n % members.length].token}` },
      });
    const subs = await openSubscribers({
      url: `${server.base.replace(/^http/, 'ws')}/graphql`,
      count: subscribers,
      perSocket: 1,
      token: (socket) => members[socket % members.length].token,
      payload: { query: webOperation('ThreadActivity'), operationName: 'ThreadActivity', variables: { threadId } },
      onNext: (text, at) => {
        const n = Number(/bench message #(\d+)/.exec(text)?.[1]);
        if (!(n >= 0) || sentAt[n] === undefined) return;
        arrivals[n] = (arrivals[n] ?? 0) + 1;
        lastArrival[n] = at;
        if (n > 0) deliveries.add(at - sentAt[n]); // message 0 only warms up
      },
    });
    // Warm-up: message 0, sent again until every subscription is live.
    let lastWarmup = -Infinity;
    const ready = await waitFor(() => {
      if (subs.seen() === subscribers) return true;
      if (now() - lastWarmup > 2000) {
        lastWarmup = now();
        sentAt[0] = now();
        void post(0);
      }
      return false;
    }, 120_000);
    const total = Math.round(perSecond * seconds);
    const cpuBefore = server.cpu();
    const jobsFrom = new Date();
    let failed = 0;
    const posts: Array<Promise<void>> = [];
    const started = now();
    for (let n = 1; n <= total && ready; n++) {
      const due = started + ((n - 1) * 1000) / perSecond;
      if (due > now()) await new Promise((r) => setTimeout(r, due - now()));
      sentAt[n] = now();
      posts.push(post(n).then((r) => void (r.status !== 200 || r.body.includes('"errors"') ? failed++ : 0)));
    }
    await Promise.all(posts);
    const complete = ready && (await waitFor(() => Array.from({ length: total }, (_, i) => arrivals[i + 1] ?? 0).every((c) => c >= subscribers), 30_000));
    // What the messages cost the server in all: the fan-out, and (Gather) the notification jobs they caused.
    const settled = await queueSettled(pool, jobsFrom, 30_000);
    const cpuMsPerMessage = Math.round(((server.cpu() - cpuBefore) / total) * 100) / 100;
    const last = new Samples();
    for (let n = 1; n <= total; n++) if (lastArrival[n] !== undefined) last.add(lastArrival[n] - sentAt[n]);
    const all = deliveries.summary();
    const lastSummary = last.summary();
    const failures = subs.failures();
    log(
      `  chat ${target}: ${total} messages to ${subscribers} subscribers, delivery p50 ${all.p50} ms, p99 ${all.p99} ms (last subscriber p99 ${lastSummary.p99} ms), ` +
        `server CPU ${cpuMsPerMessage} ms per message${settled ? '' : ' (job queue not settled after 30 s)'}`,
    );
    checks.push({
      scenario: 'chat',
      what: `${target}: every subscriber received every message`,
      ok: complete && failed === 0 && failures.count === 0,
      detail: failed ? `${failed} posts failed` : failures.first ?? (complete ? undefined : 'a message did not reach everyone'),
    });
    measurements.push({
      scenario: 'chat',
      target,
      samples: all.samples,
      errors: failed + failures.count,
      firstError: failures.first,
      metrics: { p50: all.p50, p99: all.p99, lastP50: lastSummary.p50, lastP99: lastSummary.p99, messages: total, cpuMsPerMessage },
    });
    await subs.close();
  }
  return { measurements, checks };
}

/** Waits until no notification job created since `from` is due or running (the ceiling has none); false after `timeoutMs`. */
function queueSettled(pool: pg.Pool, from: Date, timeoutMs: number): Promise<boolean> {
  const busy = {
    text: `select count(*)::int as n from pgboss.job where name in ('notify', 'notification-email') and created_on >= $1
           and state in ('created', 'retry', 'active') and start_after <= now()`,
    values: [from],
  };
  let n = 1;
  let asking = false;
  return waitFor(() => {
    if (!asking) {
      asking = true;
      void pool.query(busy).then(
        (r) => void ((n = r.rows[0].n), (asking = false)),
        () => void (asking = false),
      );
    }
    return n === 0;
  }, timeoutMs);
}
