/**
 * Who answered: Gather's API, the ceiling (hand-written SQL / raw ws), the one-statement ceiling (each page one SQL
 * statement building the JSON) or the peer (PostGraphile 4).
 */
export type Target = 'gather' | 'ceiling' | 'oneStatement' | 'peer';

/** How the tables name each target. */
export const TARGET_LABEL: Record<Target, string> = {
  gather: 'Gather',
  ceiling: 'ceiling',
  oneStatement: 'one-statement ceiling',
  peer: 'PostGraphile',
};

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
