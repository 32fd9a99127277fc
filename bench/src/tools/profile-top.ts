import { readFileSync } from 'node:fs';

// Summarizes a V8 .cpuprofile (node --cpu-prof): where the samples after `--from` seconds went, by package and by
// function, self and total (inclusive) time. Usage: node dist/tools/profile-top.js FILE [--from S] [--top N] [--match TEXT]

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const args = process.argv.slice(2);
const file = args[0];
const flag = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const from = Number(flag('--from', '0')) * 1e6;
const top = Number(flag('--top', '30'));
const match = flag('--match', '');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const short = (url: string) => url.replace(/^.*node_modules\//, '').replace(/^.*\/api\/dist\//, 'api/').replace(/^file:\/\//, '');
const keyOf = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const packageOf = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  if (url.includes('/api/dist/')) return `api/${url.split('/api/dist/')[1].split('/').slice(0, -1).join('/') || '.'}`;
  return url ? (url.startsWith('node:') ? 'node internals' : short(url)) : '(native / gc / idle)';
};
const self = new Map<string, number>();
const total = new Map<string, number>();
const packages = new Map<string, number>();
let t = 0;
let counted = 0;
profile.samples.forEach((id, i) => {
  t += profile.timeDeltas[i];
  if (t < from) return;
  const node = byId.get(id)!;
  if (node.callFrame.functionName === '(idle)') return;
  counted++;
  self.set(keyOf(node), (self.get(keyOf(node)) ?? 0) + 1);
  packages.set(packageOf(node.callFrame.url), (packages.get(packageOf(node.callFrame.url)) ?? 0) + 1);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const key = keyOf(byId.get(at)!);
    if (!seen.has(key)) total.set(key, (total.get(key) ?? 0) + 1);
    seen.add(key);
  }
});
const pct = (n: number) => `${((100 * n) / counted).toFixed(1).padStart(5)}%`;
const list = (title: string, m: Map<string, number>) => {
  console.log(`\n${title}:`);
  for (const [name, n] of [...m].filter(([k]) => k.includes(match)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(n)}  ${name}`);
};
console.log(`${counted} busy samples after ${from / 1e6} s (idle left out)`);
list('self time by package', packages);
list('self time by function', self);
list('total time by function', total);
