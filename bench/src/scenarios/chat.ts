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
    const last = new Samples();
    for (let n = 1; n <= total; n++) if (lastArrival[n] !== undefined) last.add(lastArrival[n] - sentAt[n]);
    const all = deliveries.summary();
    const lastSummary = last.summary();
    const failures = subs.failures();
    log(`  chat ${target}: ${total} messages to ${subscribers} subscribers, delivery p50 ${all.p50} ms, p99 ${all.p99} ms (last subscriber p99 ${lastSummary.p99} ms)`);
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
      metrics: { p50: all.p50, p99: all.p99, lastP50: lastSummary.p50, lastP99: lastSummary.p99, messages: total },
    });
    await subs.close();
  }
  return { measurements, checks };
}
