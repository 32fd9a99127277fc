import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';

/**
 * Whether the field's selection asks only for `allowed` fields (nested: `{ user: ['id', 'name'] }`),
 * so the published payload answers it without touching the database. Fragments answer no (load instead).
 */
export function selectsOnly(info: GraphQLResolveInfo, allowed: Record<string, true | string[]>): boolean {
  return info.fieldNodes.every((node) => fits(node.selectionSet, allowed));
}

function fits(set: SelectionSetNode | undefined, allowed: Record<string, true | string[]>): boolean {
  if (!set) return true;
  return set.selections.every((selection) => {
    if (selection.kind !== 'Field') return false;
    const name = (selection as FieldNode).name.value;
    if (name === '__typename') return true;
    const rule = allowed[name];
    if (rule === true) return !selection.selectionSet;
    if (Array.isArray(rule)) return fits(selection.selectionSet, Object.fromEntries(rule.map((k) => [k, true as const])));
    return false;
  });
}
