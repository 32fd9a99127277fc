import { readFileSync } from 'node:fs';
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
