import type { ServerProcess } from '../processes.js';
import { runLoad, type LoadRequest } from './http-load.js';
import { round, Samples, type LatencySummary } from './stats.js';

/** One throughput measurement over all its rounds. */
export interface Measured {
  requests: number;
  errors: number;
  firstError: string | null;
  throughput: number;
  latency: LatencySummary;
  /** The server process's CPU time (all threads) per request answered, in ms. */
  cpuMsPerRequest: number | null;
}

/** A server under load and how its virtual users make requests. */
export interface LoadTarget<K extends string> {
  key: K;
  server: ServerProcess;
  connections: number;
  next: (vu: number) => LoadRequest;
}

/**
 * Measures several servers in turn, `rounds` times over (A, B, C, A, B, C, …), `seconds` in all for each, so that a
 * change in the machine's load during the run falls on all of them alike. The first round of each warms up first.
 */
export async function interleaved<K extends string>(
  targets: Array<LoadTarget<K>>,
  options: { rounds: number; seconds: number; warmupSeconds: number },
): Promise<Record<K, Measured>> {
  const totals = new Map<K, { requests: number; errors: number; firstError: string | null; samples: Samples; cpu: number | null }>();
  for (let r = 0; r < options.rounds; r++) {
    for (const target of targets) {
      const result = await runLoad({
        base: target.server.base,
        connections: target.connections,
        seconds: options.seconds / options.rounds,
        warmupSeconds: r === 0 ? options.warmupSeconds : Math.min(0.3, options.warmupSeconds),
        next: target.next,
        probe: () => target.server.cpu(),
      });
      const total = totals.get(target.key) ?? { requests: 0, errors: 0, firstError: null, samples: new Samples(), cpu: 0 };
      total.requests += result.requests;
      total.errors += result.errors;
      total.firstError ??= result.firstError;
      total.samples.addAll(result.samples);
      total.cpu = total.cpu === null || result.probed === null ? null : total.cpu + result.probed;
      totals.set(target.key, total);
    }
  }
  const out = {} as Record<K, Measured>;
  for (const [key, t] of totals) {
    out[key] = {
      requests: t.requests,
      errors: t.errors,
      firstError: t.firstError,
      throughput: round(t.requests / options.seconds, 1),
      latency: t.samples.summary(),
      cpuMsPerRequest: t.cpu !== null && t.requests > 0 ? round(t.cpu / t.requests, 2) : null,
    };
  }
  return out;
}
