import { readFileSync } from 'node:fs';

// Compares two V8 heap snapshots (node --heapsnapshot-signal): object counts and self sizes by constructor that grew
// between them, most first. Usage: node dist/tools/heap-top.js BEFORE AFTER [N] [DIVISOR]

function summarize(file: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const fields: string[] = snap.snapshot.meta.node_fields;
  const types: string[] = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map<string, { count: number; size: number }>();
  const nodes: number[] = snap.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]];
    const name = type === 'object' || type === 'closure' ? `${type}:${snap.strings[nodes[i + nameAt]]}` : type;
    const entry = out.get(name) ?? { count: 0, size: 0 };
    entry.count++;
    entry.size += nodes[i + sizeAt];
    out.set(name, entry);
  }
  return out;
}
const [before, after, top = '40', divisor = '1'] = process.argv.slice(2);
const a = summarize(before);
const b = summarize(after);
const n = Number(divisor);
const grown = [...b].map(([k, v]) => ({ k, count: (v.count - (a.get(k)?.count ?? 0)) / n, size: (v.size - (a.get(k)?.size ?? 0)) / n }));
const total = grown.reduce((s, g) => s + g.size, 0);
console.log(`grew ${(total / 1024).toFixed(1)} KiB per ${n === 1 ? 'snapshot' : 'unit'}`);
for (const g of grown.sort((x, y) => y.size - x.size).slice(0, Number(top))) {
  console.log(`${(g.size / 1024).toFixed(2).padStart(9)} KiB ${g.count.toFixed(1).padStart(8)} × ${g.k}`);
}
