import { readdirSync, readFileSync } from 'node:fs';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode } from 'graphql';

// The web client's own documents (web/src/lib/graphql/operations/*.ts, the sources its codegen reads): live and
// fan-out tests send exactly what the browser sends, fragments included — not copies that could drift.
const folder = new URL('../../../web/src/lib/graphql/operations/', import.meta.url);

let definitions: DefinitionNode[] | undefined;

function webDefinitions(): DefinitionNode[] {
  if (definitions) return definitions;
  const found: DefinitionNode[] = [];
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(new URL(file, folder), 'utf8');
    for (const [, text] of source.matchAll(/graphql\(`([\s\S]*?)`\)/g)) found.push(...parse(text).definitions);
  }
  return (definitions = found);
}

/** The text of the web client's operation `name` (e.g. 'EventAttendance') with the fragments it spreads, as sent. */
export function webDocument(name: string): string {
  const all = webDefinitions();
  const operation = all.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name);
  if (!operation) throw new Error(`the web client has no operation ${name}`);
  const fragments = new Map(all.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const needed = new Map<string, FragmentDefinitionNode>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (!fragment || needed.has(fragment.name.value)) return;
        needed.set(fragment.name.value, fragment);
        walk(fragment);
      },
    });
  walk(operation);
  return print({ kind: Kind.DOCUMENT, definitions: [operation, ...needed.values()] });
}
