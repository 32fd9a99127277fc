import type pg from 'pg';
import { attendanceViolations } from '../dataset/checks.js';
import { createBenchEvent, type BenchUser, type Fixtures } from '../fixtures.js';
import type { LoadRequest } from '../load/http-load.js';
import { interleaved } from '../load/rounds.js';
import { body, contractOperation } from '../operations.js';
import type { BenchOptions } from '../options.js';
import type { ServerProcess } from '../processes.js';
import type { Check, Measurement, ScenarioResult, Target } from '../results.js';

/** Seats of the hot event: small enough that answers fill it, wait, and get promoted when others say no. */
const HOT_CAPACITY = 50;
/** People each virtual user answers for on the hot event, in turn. */
const PER_VU = 20;

/** A person's next answer: YES and NO in turn, so every request changes something. */
interface Answerer {
  user: BenchUser;
  eventId: string;
  yes: boolean;
  guests: number;
}

const rsvpRequest = (a: Answerer): LoadRequest => ({
  path: '/graphql',
  body: body(contractOperation('Rsvp'), 'Rsvp', { eventId: a.eventId, response: a.yes ? 'YES' : 'NO', guests: a.yes ? a.guests : null }),
  headers: { authorization: `Bearer ${a.user.token}` },
});

/** Virtual users each cycling through their own answerers. */
function answering(vus: Answerer[][]) {
  const next = vus.map(() => 0);
  return (vu: number): LoadRequest => {
    const mine = vus[vu];
    const a = mine[next[vu]++ % mine.length];
    const req = rsvpRequest(a);
    a.yes = !a.yes;
    return req;
  };
}

/**
 * RSVP mutations at `connections` concurrent connections, on Gather and on the ceiling (the same transaction in raw
 * SQL), in alternating rounds: `rsvpHot` answers one new event with few seats (one per server; every answer takes its
 * row lock; waitlist and promotions included), `rsvpSpread` answers many events. Afterwards the events answered must
 * keep every attendance invariant: counts equal to their rows and nobody over capacity.
 */
export async function runRsvp(
  options: BenchOptions,
  fixtures: Fixtures,
  pool: pg.Pool,
  servers: Record<Target, ServerProcess>,
  only: (s: string) => boolean,
  log: (m: string) => void,
): Promise<ScenarioResult> {
  const measurements: Measurement[] = [];
  const checks: Check[] = [];
  const targets: Target[] = ['gather', 'ceiling'];
  const measure = async (scenario: string, vus: Record<'gather' | 'ceiling', Answerer[][]>, eventIds: Record<'gather' | 'ceiling', string[]>) => {
    const results = await interleaved(
      targets.map((key) => ({ key, server: servers[key], connections: vus[key as 'gather'].length, next: answering(vus[key as 'gather']) })),
      options,
    );
    for (const target of targets) {
      const result = results[target];
      const events = eventIds[target as 'gather'];
      const broken = await attendanceViolations(pool, events);
      const oversold = Number(
        (await pool.query('select count(*) as n from events where id = any($1) and capacity is not null and going_count > capacity', [events])).rows[0].n,
      );
      log(`  ${scenario} ${target}: ${result.throughput} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.cpuMsPerRequest} ms CPU per request, oversold ${oversold}${result.errors ? `, ${result.errors} errors: ${result.firstError}` : ''}`);
      checks.push({
        scenario,
        what: `${target}: every attendance invariant holds on the ${events.length} event(s) answered (no oversell)`,
        ok: Object.keys(broken).length === 0 && oversold === 0,
        detail: Object.keys(broken).length ? JSON.stringify(broken) : undefined,
      });
      measurements.push({
        scenario,
        target,
        samples: result.requests,
        errors: result.errors,
        firstError: result.firstError,
        metrics: { throughput: result.throughput, p50: result.latency.p50, p99: result.latency.p99, cpuMsPerRequest: result.cpuMsPerRequest, oversold },
      });
    }
  };
  const members = fixtures.hotGroup.members;
  const perVu = Math.max(1, Math.min(PER_VU, Math.floor(members.length / options.connections)));
  if (only('rsvpHot')) {
    const vus = {} as Record<'gather' | 'ceiling', Answerer[][]>;
    const events = {} as Record<'gather' | 'ceiling', string[]>;
    for (const target of ['gather', 'ceiling'] as const) {
      const { eventId } = await createBenchEvent(pool, fixtures, { title: `Bench hot RSVPs (${target})`, capacity: HOT_CAPACITY, guestLimit: 1 });
      events[target] = [eventId];
      vus[target] = Array.from({ length: options.connections }, (_, vu) =>
        Array.from({ length: perVu }, (_, k) => {
          const user = members[(vu * perVu + k) % members.length];
          return { user, eventId, yes: true, guests: user.index % 2 };
        }),
      );
    }
    await measure('rsvpHot', vus, events);
  }
  if (only('rsvpSpread')) {
    const spreadVus = () => {
      const vus: Answerer[][] = Array.from({ length: options.connections }, () => []);
      fixtures.spread.forEach((pair, i) => vus[i % vus.length].push({ user: pair.user, eventId: pair.eventId, yes: true, guests: 0 }));
      return vus.filter((v) => v.length > 0);
    };
    const eventIds = [...new Set(fixtures.spread.map((p) => p.eventId))];
    await measure('rsvpSpread', { gather: spreadVus(), ceiling: spreadVus() }, { gather: eventIds, ceiling: eventIds });
  }
  return { measurements, checks };
}
