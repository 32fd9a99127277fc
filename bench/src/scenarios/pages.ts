import type { BenchUser, Fixtures } from '../fixtures.js';
import { problem, send, type LoadRequest } from '../load/http-load.js';
import { cycle, firstOfCycle, type MixItem } from '../load/mix.js';
import { interleaved } from '../load/rounds.js';
import { body, contractOperation } from '../operations.js';
import type { BenchOptions } from '../options.js';
import type { ServerProcess } from '../processes.js';
import { TARGET_LABEL, type Check, type Measurement, type ScenarioResult, type Target } from '../results.js';
import { anonymous, PEER_EVENT_PAGE, PEER_EXPLORE_GROUPS, PEER_GROUP_PAGE } from '../servers/peer-schema.js';

/** Every server a page is measured on, in the order of each round. */
export const PAGE_TARGETS: Target[] = ['gather', 'ceiling', 'oneStatement', 'peer'];
/** The servers that answer the contract's documents themselves: their data must equal Gather's, field for field. */
const SAME_AS_GATHER: Target[] = ['ceiling', 'oneStatement'];
/** Requests of the mix checked before measuring: this many distinct items (or every item both ways, when fewer). */
const CHECKED = 24;

/** One read scenario: the items its requests cycle through. */
interface Page {
  scenario: 'eventPage' | 'eventPageHot' | 'groupPage' | 'exploreGroups';
  items: Array<MixItem<Target>>;
}

/** The contract's operation, verbatim, for Gather and both ceilings; PostGraphile's own query for the same data. */
function item(operation: string, vars: Record<string, unknown>, viewer: BenchUser, peer: { query: string; vars: Record<string, unknown> }): MixItem<Target> {
  return (key, signedIn): LoadRequest => {
    if (key === 'peer') {
      const query = signedIn ? peer.query : anonymous(peer.query);
      const who = signedIn ? { ...(query.includes('$viewerId') ? { viewerId: viewer.id } : {}), tokenHash: viewer.tokenHash } : {};
      return { path: '/graphql', body: body(query, /query (\w+)/.exec(query)![1], { ...peer.vars, ...who }) };
    }
    return {
      path: '/graphql',
      body: body(contractOperation(operation), operation, vars),
      headers: signedIn ? { authorization: `Bearer ${viewer.token}` } : ({} as Record<string, string>),
    };
  };
}

const eventItem = (eventId: string, viewer: BenchUser) => item('EventPage', { id: eventId }, viewer, { query: PEER_EVENT_PAGE, vars: { id: eventId } });

/**
 * The pages over the mix (fixtures.mix: many events, groups and searches, signed in and anonymous in turn), and the
 * most popular event alone, signed in, as `eventPageHot` (where counting its going rows weighs on every server alike).
 */
export function pages(f: Fixtures): Page[] {
  const hot = eventItem(f.eventPage.eventId, f.eventPage.viewer);
  return [
    { scenario: 'eventPage', items: f.mix.events.map((e) => eventItem(e.eventId, e.viewer)) },
    { scenario: 'eventPageHot', items: [(key) => hot(key, true)] },
    {
      scenario: 'groupPage',
      items: f.mix.groups.map((g) => item('GroupPage', { slug: g.slug }, g.viewer, { query: PEER_GROUP_PAGE, vars: { slug: g.slug } })),
    },
    {
      scenario: 'exploreGroups',
      items: f.mix.searches.map((s) =>
        item('ExploreGroups', { search: s.search, near: s.near, first: s.first }, s.viewer, {
          query: PEER_EXPLORE_GROUPS,
          vars: { search: s.search, lat: s.near.lat, lng: s.near.lng, radiusKm: s.near.radiusKm, first: s.first },
        }),
      ),
    },
  ];
}

/** The first place two JSON values differ, or null when they are the same. */
export function firstDifference(a: unknown, b: unknown, path = 'data'): string | null {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    return `${path}: ${JSON.stringify(a)?.slice(0, 120)} ≠ ${JSON.stringify(b)?.slice(0, 120)}`;
  }
  if (a && typeof a === 'object') {
    const keys = Object.keys(a as object);
    const other = Object.keys(b as object);
    if (keys.join() !== other.join()) return `${path}: fields ${keys.join()} ≠ ${other.join()}`;
    for (const key of keys) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
}

/**
 * Fields whose presence shows which cases a sample covered (the viewer's own data, links only some may see, lists
 * with rows, more pages).
 */
const CASES = ['viewerMembership', 'viewerRsvp', 'waitlistPosition', 'onlineUrl', 'totalCount', 'hasNextPage'];

/** Adds to `counts` each of CASES that `value` holds with a value (not null, false or 0), at any depth. */
function countCases(value: unknown, counts: Record<string, number>): void {
  if (!value || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (CASES.includes(key) && v !== null && v !== false && v !== 0) counts[key] = (counts[key] ?? 0) + 1;
    countCases(v, counts);
  }
}

/**
 * Before measuring: the first requests of the mix's cycle (CHECKED distinct items, signed in and anonymous in turn)
 * sent to every target one at a time. All must answer without errors, and each ceiling's data must equal Gather's.
 */
async function checkMix(page: Page, servers: Record<Target, ServerProcess>): Promise<Check[]> {
  const sample = firstOfCycle(page.items, page.items.length >= CHECKED ? CHECKED : 2 * page.items.length);
  const failures: Partial<Record<Target, string>> = {};
  const differences: Partial<Record<Target, string>> = {};
  const cases: Record<string, number> = {};
  for (const { index, signedIn, item: make } of sample) {
    const answers: Partial<Record<Target, unknown>> = {};
    for (const target of PAGE_TARGETS) {
      const req: LoadRequest = make(target, signedIn);
      const { status, body: text } = await send(servers[target].base, req);
      const failure = problem(status, text);
      if (failure) failures[target] ??= `item ${index}${signedIn ? ' signed in' : ''}: ${failure}`;
      answers[target] = failure ? null : JSON.parse(text).data;
    }
    countCases(answers.gather, cases);
    for (const target of SAME_AS_GATHER) {
      const difference = firstDifference(answers.gather, answers[target]);
      if (difference) differences[target] ??= `item ${index}${signedIn ? ' signed in' : ' anonymous'}: ${difference}`;
    }
  }
  const items = new Set(sample.map((s) => s.index)).size;
  const signedIn = sample.filter((s) => s.signedIn).length;
  const of = `${sample.length} requests of the mix (${items} items, ${signedIn} signed in)`;
  return [
    ...PAGE_TARGETS.map((target) => ({
      scenario: page.scenario,
      what: `${TARGET_LABEL[target]} answers ${of} without errors`,
      ok: !failures[target],
      detail: failures[target],
    })),
    ...SAME_AS_GATHER.map((target) => ({
      scenario: page.scenario,
      what: `Gather and the ${TARGET_LABEL[target]} answer the same data on ${of}`,
      ok: !differences[target],
      detail: differences[target] ?? `answers holding ${Object.entries(cases).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none of ' + CASES.join(', ')}`,
    })),
  ];
}

/**
 * Each page at `connections` concurrent connections on Gather, both ceilings and PostGraphile in turn, every target
 * cycling through the same mix (load/mix.ts). First the mix is checked (checkMix).
 */
export async function runPages(options: BenchOptions, fixtures: Fixtures, servers: Record<Target, ServerProcess>, only: (s: string) => boolean, log: (m: string) => void): Promise<ScenarioResult> {
  const measurements: Measurement[] = [];
  const checks: Check[] = [];
  for (const page of pages(fixtures)) {
    if (!only(page.scenario)) continue;
    checks.push(...(await checkMix(page, servers)));
    const targets = PAGE_TARGETS.map((key) => ({ key, server: servers[key], connections: options.connections, next: cycle(page.items, key) }));
    const results = await interleaved(targets, options);
    for (const target of PAGE_TARGETS) {
      const result = results[target];
      log(`  ${page.scenario} ${target}: ${result.throughput} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.cpuMsPerRequest} ms CPU per request${result.errors ? `, ${result.errors} errors: ${result.firstError}` : ''}`);
      measurements.push({
        scenario: page.scenario,
        target,
        samples: result.requests,
        errors: result.errors,
        firstError: result.firstError,
        metrics: {
          throughput: result.throughput,
          p50: result.latency.p50,
          p99: result.latency.p99,
          cpuMsPerRequest: result.cpuMsPerRequest,
          mixItems: page.items.length,
        },
      });
    }
  }
  return { measurements, checks };
}
