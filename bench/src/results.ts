/** Who answered: Gather's API, the ceiling (raw SQL / raw ws) or the peer (PostGraphile 4). */
export type Target = 'gather' | 'ceiling' | 'peer';

/** One measurement of one scenario on one target. */
export interface Measurement {
  scenario: string;
  target: Target;
  /** Requests (throughput scenarios) or deliveries (live scenarios) recorded. */
  samples: number;
  errors: number;
  firstError: string | null;
  /** throughput (req/s), p50/p99 (ms), and per scenario: rssPerSubscriber/heapPerSubscriber (bytes), … */
  metrics: Record<string, number | null>;
}

/** A correctness check made along the way (same data as the ceiling, no oversell, exact counts). */
export interface Check {
  scenario: string;
  what: string;
  ok: boolean;
  detail?: string;
}

/** What every scenario hands back. */
export interface ScenarioResult {
  measurements: Measurement[];
  checks: Check[];
}
