import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './api-bridge.js';

const operations = new Map<string, string>();

/** The text of one operation of schema/contract.graphql, verbatim (what the web client sends); read once per name. */
export function contractOperation(name: string): string {
  let text = operations.get(name);
  if (text === undefined) operations.set(name, (text = readOperation(name)));
  return text;
}

function readOperation(name: string): string {
  const contract = readFileSync(join(repoRoot, 'schema/contract.graphql'), 'utf8');
  const start = new RegExp(`^(query|mutation|subscription) ${name}\\b`, 'm').exec(contract);
  if (!start) throw new Error(`schema/contract.graphql has no operation ${name}`);
  let depth = 0;
  for (let i = contract.indexOf('{', start.index); i < contract.length; i++) {
    if (contract[i] === '{') depth++;
    else if (contract[i] === '}' && --depth === 0) return contract.slice(start.index, i + 1);
  }
  throw new Error(`operation ${name} in schema/contract.graphql is not closed`);
}

/** A GraphQL request body. */
export const body = (query: string, operationName: string, variables: Record<string, unknown>) =>
  JSON.stringify({ query, operationName, variables });

/** Every GraphQL text the web client declares (web/src/lib/graphql/operations/*.ts, what its codegen reads). */
function webTexts(): string[] {
  const folder = join(repoRoot, 'web/src/lib/graphql/operations');
  return readdirSync(folder)
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(join(folder, file), 'utf8').matchAll(/graphql\(`([\s\S]*?)`\)/g)].map((m) => m[1].trim()));
}

/**
 * The web client's operation `name` with the fragments it spreads, as the browser sends it: live benchmarks measure
 * the documents that real pages use (fragments included), not hand-written copies.
 */
export function webOperation(name: string): string {
  const texts = webTexts();
  const operation = texts.find((text) => new RegExp(`^(query|mutation|subscription) ${name}\\b`).test(text));
  if (!operation) throw new Error(`the web client has no operation ${name}`);
  const fragments = new Map(texts.flatMap((text) => {
    const m = /^fragment (\w+) on /.exec(text);
    return m ? [[m[1], text] as const] : [];
  }));
  const included = new Set<string>();
  const pending = [operation];
  while (pending.length) {
    for (const [, spread] of pending.pop()!.matchAll(/\.\.\.\s*(\w+)/g)) {
      const fragment = fragments.get(spread);
      if (!fragment || included.has(spread)) continue;
      included.add(spread);
      pending.push(fragment);
    }
  }
  return [operation, ...[...included].map((n) => fragments.get(n)!)].join('\n');
}
