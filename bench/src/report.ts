import { TARGET_LABEL, type Check, type Measurement, type Target } from './results.js';

/**
 * A target of issue 12 (or issue 6 where 12 sets none): Gather's metric as a ratio of another server's measured in the
 * same run, or Gather's own value (`versus: null`, e.g. CPU per request). `kind: 'info'` reports the ratio without a
 * bound.
 */
interface TargetRule {
  scenario: string;
  metric: string;
  versus: Target | null;
  /** 'atLeast': value ≥ bound (throughput); 'atMost': value ≤ bound (latency, memory, CPU); 'info': no bound. */
  kind: 'atLeast' | 'atMost' | 'info';
  bound: number | null;
}

const PAGES = ['eventPage', 'groupPage', 'exploreGroups'];

const RULES: TargetRule[] = [
  // The pages over the mix: ≥ 1.5× PostGraphile and ≥ 0.4× the one-statement ceiling (issue 12); the hand-written ceiling reported beside them.
  ...PAGES.flatMap((scenario): TargetRule[] => [
    { scenario, metric: 'throughput', versus: 'peer', kind: 'atLeast', bound: 1.5 },
    { scenario, metric: 'throughput', versus: 'oneStatement', kind: 'atLeast', bound: 0.4 },
    { scenario, metric: 'throughput', versus: 'ceiling', kind: 'info', bound: null },
  ]),
  { scenario: 'eventPage', metric: 'cpuMsPerRequest', versus: null, kind: 'atMost', bound: 1.0 },
  ...(['peer', 'oneStatement', 'ceiling'] as Target[]).map((versus): TargetRule => ({ scenario: 'eventPageHot', metric: 'throughput', versus, kind: 'info', bound: null })),
  { scenario: 'rsvpHot', metric: 'throughput', versus: 'ceiling', kind: 'atLeast', bound: 0.5 },
  { scenario: 'rsvpSpread', metric: 'throughput', versus: 'ceiling', kind: 'atLeast', bound: 0.5 },
  { scenario: 'fanout', metric: 'p99', versus: 'ceiling', kind: 'atMost', bound: 2 },
  { scenario: 'fanout', metric: 'rssPerSubscriber', versus: 'ceiling', kind: 'atMost', bound: 2 },
  // CPU per RSVP with 1,000 subscribers of the web's EventAttendance, as a ratio of the same with a counts-only document.
  { scenario: 'fanoutCpu', metric: 'cpuRatio', versus: null, kind: 'atMost', bound: 1.5 },
];

/** One target's outcome (`pass` null: reported, no bound). */
export interface TargetOutcome {
  scenario: string;
  metric: string;
  versus: Target | null;
  target: string;
  gather: number | null;
  other: number | null;
  /** Gather / other, or Gather's own value when there is no other. */
  ratio: number | null;
  pass: boolean | null;
}

const find = (ms: Measurement[], scenario: string, target: Target) => ms.find((m) => m.scenario === scenario && m.target === target);

export function targets(measurements: Measurement[]): TargetOutcome[] {
  const outcomes: TargetOutcome[] = [];
  for (const rule of RULES) {
    const gather = find(measurements, rule.scenario, 'gather')?.metrics[rule.metric] ?? null;
    const other = rule.versus ? (find(measurements, rule.scenario, rule.versus)?.metrics[rule.metric] ?? null) : null;
    if (gather === null && other === null) continue;
    const ratio = !rule.versus ? gather : gather !== null && other !== null && other !== 0 ? Math.round((gather / other) * 100) / 100 : null;
    const pass = rule.kind === 'info' ? null : ratio !== null && (rule.kind === 'atLeast' ? ratio >= rule.bound! : ratio <= rule.bound!);
    const unit = rule.versus ? `× ${TARGET_LABEL[rule.versus]}` : rule.metric === 'cpuMsPerRequest' ? 'ms' : rule.metric === 'cpuRatio' ? '× counts-only document' : '';
    outcomes.push({
      scenario: rule.scenario,
      metric: rule.metric,
      versus: rule.versus,
      target: rule.kind === 'info' ? `× ${TARGET_LABEL[rule.versus!]} (no target)` : `${rule.kind === 'atLeast' ? '≥' : '≤'} ${rule.bound} ${unit}`.trim(),
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
  if (x.cpuRatio !== undefined) {
    return `CPU per RSVP, ${x.subscribers} subscribers: ${x.cpuMsPerRsvpWeb} ms web's EventAttendance / ${x.cpuMsPerRsvpCounts} ms counts only (${x.cpuRatio}×)`;
  }
  if (x.throughput !== undefined) return `${x.throughput} req/s (p50 ${x.p50} / p99 ${x.p99} ms; ${x.cpuMsPerRequest ?? '?'} ms CPU/req)`;
  if (x.rssPerSubscriber !== undefined) {
    return `p50 ${x.p50} / p99 ${x.p99} ms; ${((x.rssPerSubscriber ?? 0) / 1024).toFixed(1)} KiB RSS, ${((x.heapPerSubscriber ?? 0) / 1024).toFixed(1)} KiB heap per sub`;
  }
  return `p50 ${x.p50} / p99 ${x.p99} ms (last subscriber p99 ${x.lastP99} ms${x.cpuMsPerMessage !== undefined ? `; ${x.cpuMsPerMessage} ms CPU/message` : ''})`;
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

const COLUMNS: Target[] = ['gather', 'ceiling', 'oneStatement', 'peer'];

/**
 * The measurements (each with server CPU per request), the server CPU per request alone, the targets and the checks
 * as Markdown tables (printed, and pasted into BENCHMARKS.md).
 */
export function renderReport(measurements: Measurement[], outcomes: TargetOutcome[], checks: Check[]): string {
  const scenarios = [...new Set(measurements.map((m) => m.scenario))];
  const measured = table(
    ['scenario', ...COLUMNS.map((t) => TARGET_LABEL[t])],
    scenarios.map((s) => [s, ...COLUMNS.map((t) => cell(find(measurements, s, t)))]),
  );
  const withCpu = scenarios.filter((s) => COLUMNS.some((t) => find(measurements, s, t)?.metrics.cpuMsPerRequest != null));
  const cpu = table(
    ['server CPU per request (ms)', ...COLUMNS.map((t) => TARGET_LABEL[t])],
    withCpu.map((s) => [s, ...COLUMNS.map((t) => String(find(measurements, s, t)?.metrics.cpuMsPerRequest ?? '—'))]),
  );
  const goals = table(
    ['scenario', 'metric', 'Gather', 'other', 'ratio', 'target', 'result'],
    outcomes.map((o) => [
      o.scenario,
      o.metric,
      String(o.gather ?? '—'),
      String(o.other ?? '—'),
      String(o.ratio ?? '—'),
      o.target,
      o.pass === null ? '—' : o.pass ? 'pass' : 'MISS',
    ]),
  );
  const failed = checks.filter((c) => !c.ok);
  const checked = failed.length
    ? failed.map((c) => `- FAILED ${c.scenario}: ${c.what}${c.detail ? ` — ${c.detail}` : ''}`).join('\n')
    : `All ${checks.length} correctness checks passed (both ceilings answer the mix with Gather's data, no errors, no oversell, exact counts, every update delivered).`;
  const errors = measurements.filter((m) => m.errors > 0).map((m) => `- ${m.scenario} ${m.target}: ${m.errors} errors, first: ${m.firstError}`);
  return [measured, '', cpu, '', goals, '', checked, ...(errors.length ? ['', ...errors] : [])].join('\n');
}
