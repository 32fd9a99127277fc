import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test/api.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

/** The audits the README lists as not passing, with why: "- `<audit name>`: reason" under its conformance heading. */
function documentedExceptions(): Map<string, string> {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('### GraphQL over HTTP conformance');
  expect(start, 'README has a "GraphQL over HTTP conformance" section').toBeGreaterThan(-1);
  const section = text.slice(start).split(/\n#{2,3} /)[0];
  const listed = new Map<string, string>();
  for (const [, name, reason] of section.matchAll(/^- `([^`]+)`: (.+)$/gm)) listed.set(name, reason);
  return listed;
}

// graphql-http's audit of the GraphQL over HTTP spec, against the running API.
describe('GraphQL over HTTP conformance (graphql-http server audit)', () => {
  let t: TestApi;
  let results: Array<{ name: string; result: AuditResult }>;

  beforeAll(async () => {
    t = await startTestApi();
    results = [];
    for (const audit of serverAudits({ url: t.api.url })) results.push({ name: audit.name, result: await audit.fn() });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('passes every MUST', () => {
    const musts = results.filter((r) => r.name.startsWith('MUST'));
    expect(musts.length).toBeGreaterThan(10);
    const failed = musts.filter((r) => r.result.status !== 'ok').map((r) => `${r.name}: ${r.result.status !== 'ok' ? r.result.reason : ''}`);
    expect(failed).toEqual([]);
  });

  it('lists in the README, with the reason, exactly the SHOULD and MAY audits that do not pass', () => {
    const notPassing = results.filter((r) => r.result.status !== 'ok').map((r) => r.name).sort();
    const documented = documentedExceptions();
    expect([...documented.keys()].sort()).toEqual(notPassing);
    for (const reason of documented.values()) expect(reason.length).toBeGreaterThan(20);
  });
});
