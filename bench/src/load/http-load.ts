import { Agent, request } from 'node:http';
import { now, round, Samples, type LatencySummary } from './stats.js';

/** One HTTP request of a load run. */
export interface LoadRequest {
  path: string;
  body: string;
  headers?: Record<string, string>;
}

/** What a throughput measurement found. */
export interface LoadResult {
  /** Requests answered in the measured window. */
  requests: number;
  /** Of those, answered with a non-200 status or a GraphQL error. */
  errors: number;
  firstError: string | null;
  seconds: number;
  /** Requests per second over the measured window (errors included, which a correct run has none of). */
  throughput: number;
  latency: LatencySummary;
  /** The latencies themselves, to merge several runs. */
  samples: Samples;
}

/** Sends one request and returns its status and body. */
export function send(base: string, req: LoadRequest, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(req.path, base);
    const payload = Buffer.from(req.body);
    const r = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, ...req.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(payload);
  });
}

/** A response that is not a success: its reason, or null when it is fine. */
export function problem(status: number, body: string): string | null {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 300)}`;
  if (body.includes('"errors"')) return body.slice(0, 300);
  return null;
}

/**
 * `connections` keep-alive connections, each sending its next request as soon as the previous answer is in,
 * for `warmupSeconds` unrecorded and then `seconds` recorded. `next(vu)` makes virtual user `vu`'s next request.
 */
export async function runLoad(options: {
  base: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  next: (vu: number) => LoadRequest;
  /** Extra checking of an answer (after the status and error check); returns the problem or null. */
  check?: (body: string) => string | null;
  /** Read when the measured window starts and ends (the server's CPU time); the difference is returned as `probed`. */
  probe?: () => number;
}): Promise<LoadResult & { probed: number | null }> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies = new Samples();
  let requests = 0;
  let errors = 0;
  let firstError: string | null = null;
  const start = now();
  const measureFrom = start + options.warmupSeconds * 1000;
  const end = measureFrom + options.seconds * 1000;
  let probedAt: number | null = null;
  let probedEnd: number | null = null;
  const probeStart = setTimeout(() => (probedAt = options.probe?.() ?? null), Math.max(0, measureFrom - now()));
  const probeEnd = setTimeout(() => (probedEnd = options.probe?.() ?? null), Math.max(0, end - now()));
  const vu = async (id: number) => {
    while (now() < end) {
      const req = options.next(id);
      const sent = now();
      let failure: string | null;
      try {
        const { status, body } = await send(options.base, req, agent);
        failure = problem(status, body) ?? options.check?.(body) ?? null;
      } catch (error) {
        failure = String(error);
      }
      const done = now();
      if (sent >= measureFrom && done <= end) {
        requests++;
        latencies.add(done - sent);
        if (failure) {
          errors++;
          firstError ??= failure;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, i) => vu(i)));
  clearTimeout(probeStart);
  clearTimeout(probeEnd);
  agent.destroy();
  return {
    requests,
    errors,
    firstError,
    seconds: options.seconds,
    throughput: round(requests / options.seconds, 1),
    latency: latencies.summary(),
    samples: latencies,
    probed: probedAt !== null && probedEnd !== null ? probedEnd - probedAt : null,
  };
}
