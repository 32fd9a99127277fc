import type { Fixtures } from '../fixtures.js';
import { problem, send, type LoadRequest } from '../load/http-load.js';
import { interleaved } from '../load/rounds.js';
import { body, contractOperation } from '../operations.js';
import type { BenchOptions } from '../options.js';
import type { ServerProcess } from '../processes.js';
import type { Check, Measurement, ScenarioResult, Target } from '../results.js';
import { PEER_EVENT_PAGE, PEER_EXPLORE_GROUPS, PEER_GROUP_PAGE } from '../servers/peer-schema.js';

/** One read scenario: the request each target gets. */
interface Page {
  scenario: 'eventPage' | 'groupPage' | 'exploreGroups';
  requests: Record<Target, LoadRequest>;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The contract's operation, verbatim, for Gather and the ceiling; PostGraphile's own query for the same data. */
export function pages(f: Fixtures): Page[] {
  const event = { id: f.eventPage.eventId };
  const ev = f.eventPage.viewer;
  const gv = f.groupPage.viewer;
  const explore = { search: f.explore.search, near: f.explore.near, first: f.explore.first };
  const same = (operation: string, vars: Record<string, unknown>, token: string | null): LoadRequest => ({
    path: '/graphql',
    body: body(contractOperation(operation), operation, vars),
    headers: token ? bearer(token) : {},
  });
  return [
    {
      scenario: 'eventPage',
      requests: {
        gather: same('EventPage', event, ev.token),
        ceiling: same('EventPage', event, ev.token),
        peer: { path: '/graphql', body: body(PEER_EVENT_PAGE, 'PeerEventPage', { ...event, viewerId: ev.id, tokenHash: ev.tokenHash }) },
      },
    },
    {
      scenario: 'groupPage',
      requests: {
        gather: same('GroupPage', { slug: f.groupPage.slug }, gv.token),
        ceiling: same('GroupPage', { slug: f.groupPage.slug }, gv.token),
        peer: { path: '/graphql', body: body(PEER_GROUP_PAGE, 'PeerGroupPage', { slug: f.groupPage.slug, viewerId: gv.id, tokenHash: gv.tokenHash }) },
      },
    },
    {
      scenario: 'exploreGroups',
      requests: {
        gather: same('ExploreGroups', explore, null),
        ceiling: same('ExploreGroups', explore, null),
        peer: {
          path: '/graphql',
          body: body(PEER_EXPLORE_GROUPS, 'PeerExploreGroups', { search: explore.search, lat: explore.near.lat, lng: explore.near.lng, radiusKm: 50, first: 20 }),
        },
      },
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
 * Each page at `connections` concurrent connections on Gather, the ceiling and PostGraphile in turn. First, one
 * request each: all must answer without errors, and Gather's data must equal the ceiling's field for field.
 */
export async function runPages(options: BenchOptions, fixtures: Fixtures, servers: Record<Target, ServerProcess>, only: (s: string) => boolean, log: (m: string) => void): Promise<ScenarioResult> {
  const measurements: Measurement[] = [];
  const checks: Check[] = [];
  for (const page of pages(fixtures)) {
    if (!only(page.scenario)) continue;
    const answers: Partial<Record<Target, unknown>> = {};
    for (const target of ['gather', 'ceiling', 'peer'] as Target[]) {
      const { status, body: text } = await send(servers[target].base, page.requests[target]);
      const failure = problem(status, text);
      checks.push({ scenario: page.scenario, what: `${target} answers without errors`, ok: failure === null, detail: failure ?? undefined });
      answers[target] = failure ? null : JSON.parse(text).data;
    }
    const difference = firstDifference(answers.gather, answers.ceiling);
    checks.push({ scenario: page.scenario, what: 'Gather and the ceiling answer the same data', ok: difference === null, detail: difference ?? undefined });
    const targets = (['gather', 'ceiling', 'peer'] as Target[]).map((key) => ({
      key,
      server: servers[key],
      connections: options.connections,
      next: () => page.requests[key],
    }));
    const results = await interleaved(targets, options);
    for (const target of ['gather', 'ceiling', 'peer'] as Target[]) {
      const result = results[target];
      log(`  ${page.scenario} ${target}: ${result.throughput} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${result.cpuMsPerRequest} ms CPU per request${result.errors ? `, ${result.errors} errors: ${result.firstError}` : ''}`);
      measurements.push({
        scenario: page.scenario,
        target,
        samples: result.requests,
        errors: result.errors,
        firstError: result.firstError,
        metrics: { throughput: result.throughput, p50: result.latency.p50, p99: result.latency.p99, cpuMsPerRequest: result.cpuMsPerRequest },
      });
    }
  }
  return { measurements, checks };
}
