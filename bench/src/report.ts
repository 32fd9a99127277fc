import type { Check, Measurement, Target } from './results.js';

/** A target of issue 6, as a ratio of Gather to the ceiling or the peer measured in the same run. */
interface TargetRule {
  scenario: string;
  metric: string;
  versus: Target;
  /** 'atLeast': Gather/other ≥ bound (throughput); 'atMost': Gather/other ≤ bound (latency, memory). */
  kind: 'atLeast' | 'atMost';
  bound: number;
}

const RULES: TargetRule[] = [
  ...['eventPage', 'groupPage', 'exploreGroups'].flatMap((scenario): TargetRule[] => [
    { scenario, metric: 'throughput', versus: 'ceiling', kind: 'atLeast', bound: 0.5 },
    { scenario, metric: 'throughput', versus: 'peer', kind: 'atLeast', bound: 1.5 },
  ]),
  { scenario: 'rsvpHot', metric: 'throughput', versus: 'ceiling', kind: 'atLeast', bound: 0.5 },
  { scenario: 'rsvpSpread', metric: 'throughput', versus: 'ceiling', kind: 'atLeast', bound: 0.5 },
  { scenario: 'fanout', metric: 'p99', versus: 'ceiling', kind: 'atMost', bound: 2 },
  { scenario: 'fanout', metric: 'rssPerSubscriber', versus: 'ceiling', kind: 'atMost', bound: 2 },
];

/** One target's outcome. */
export interface TargetOutcome {
  scenario: string;
  metric: string;
  versus: Target;
  target: string;
  gather: number | null;
  other: number | null;
  ratio: number | null;
  pass: boolean;
}

const find = (ms: Measurement[], scenario: string, target: Target) => ms.find((m) => m.scenario === scenario && m.target === target);

export function targets(measurements: Measurement[]): TargetOutcome[] {
  const outcomes: TargetOutcome[] = [];
  for (const rule of RULES) {
    const gather = find(measurements, rule.scenario, 'gather')?.metrics[rule.metric] ?? null;
    const other = find(measurements, rule.scenario, rule.versus)?.metrics[rule.metric] ?? null;
    if (gather === null && other === null) continue;
    const ratio = gather !== null && other !== null && other !== 0 ? Math.round((gather / other) * 100) / 100 : null;
    const pass = ratio !== null && (rule.kind === 'atLeast' ? ratio >= rule.bound : ratio <= rule.bound);
    outcomes.push({
      scenario: rule.scenario,
      metric: rule.metric,
      versus: rule.versus,
      target: `${rule.kind === 'atLeast' ? '≥' : '≤'} ${rule.bound}× ${rule.versus}`,
      gather,
      other,
      ratio,
      pass,
    });
  }
  return outcomes;
}

const cell = (m: Measurement | undefined) => {
  if (!m) return '—';
  const x = m.metrics;
  if (x.throughput !== undefined) return `${x.throughput} req/s (p50 ${x.p50} / p99 ${x.p99} ms; ${x.cpuMsPerRequest ?? '?'} ms CPU/req)`;
  if (x.rssPerSubscriber !== undefined) {
    return `p50 ${x.p50} / p99 ${x.p99} ms; ${((x.rssPerSubscriber ?? 0) / 1024).toFixed(1)} KiB RSS, ${((x.heapPerSubscriber ?? 0) / 1024).toFixed(1)} KiB heap per sub`;
  }
  return `p50 ${x.p50} / p99 ${x.p99} ms (last subscriber p99 ${x.lastP99} ms)`;
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The measurements, the targets and the checks as Markdown tables (printed, and pasted into BENCHMARKS.md). */
export function renderReport(measurements: Measurement[], outcomes: TargetOutcome[], checks: Check[]): string {
  const scenarios = [...new Set(measurements.map((m) => m.scenario))];
  const measured = table(
    ['scenario', 'Gather', 'ceiling', 'PostGraphile'],
    scenarios.map((s) => [s, cell(find(measurements, s, 'gather')), cell(find(measurements, s, 'ceiling')), cell(find(measurements, s, 'peer'))]),
  );
  const goals = table(
    ['scenario', 'metric', 'Gather', 'other', 'ratio', 'target', 'result'],
    outcomes.map((o) => [o.scenario, o.metric, String(o.gather ?? '—'), String(o.other ?? '—'), String(o.ratio ?? '—'), o.target, o.pass ? 'pass' : 'MISS']),
  );
  const failed = checks.filter((c) => !c.ok);
  const checked = failed.length
    ? failed.map((c) => `- FAILED ${c.scenario}: ${c.what}${c.detail ? ` — ${c.detail}` : ''}`).join('\n')
    : `All ${checks.length} correctness checks passed (same data as the ceiling, no errors, no oversell, exact counts, every update delivered).`;
  const errors = measurements.filter((m) => m.errors > 0).map((m) => `- ${m.scenario} ${m.target}: ${m.errors} errors, first: ${m.firstError}`);
  return [measured, '', goals, '', checked, ...(errors.length ? ['', ...errors] : [])].join('\n');
}
