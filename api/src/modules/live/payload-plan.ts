import {
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  typeFromAST,
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

// Whether a live document can be answered from the published payload alone, decided once per document and variables
// (docs/ARCHITECTURE.md, "Live protocol"). Fields are collected as graphql-js collects them — fragments, inline
// fragments, aliases, __typename, @include/@skip — into a plan of response keys over payload keys. Payloads are shaped
// like the GraphQL type they answer and hold nothing viewer-dependent (shared/live.ts), so a plan whose every field is
// present in the payload gives each subscriber exactly what execution would; any other document is executed per
// subscriber with a fresh context.

/** One response key: a leaf copied from the payload key `name`, `__typename`, or an object answered by `children`. */
interface PlannedField {
  key: string;
  name: string;
  typename?: string;
  children?: PlannedField[];
}

/** How a subscription document is answered from a payload: its root response key and the fields below it. */
export interface PayloadPlan {
  rootKey: string;
  fields: PlannedField[];
  /** Same document, operation and variables: the same answer from the same payload (results are shared by it). */
  sharingKey: string;
}

interface Collecting {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function included(c: Collecting, node: { directives?: readonly unknown[] }): boolean {
  if (!node.directives?.length) return true;
  const n = node as FieldNode;
  if (getDirectiveValues(GraphQLSkipDirective, n, c.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, n, c.variables)?.if !== false;
}

function fragmentApplies(c: Collecting, type: GraphQLObjectType, condition: FragmentDefinitionNode['typeCondition'] | undefined): boolean {
  if (!condition) return true;
  const conditional = typeFromAST(c.schema, condition);
  if (conditional === type) return true;
  return !!conditional && isAbstractType(conditional) && c.schema.isSubType(conditional, type);
}

/** graphql-js's CollectFields: response key → its field nodes, for one object type. */
function collect(c: Collecting, type: GraphQLObjectType, sets: SelectionSetNode[], into = new Map<string, FieldNode[]>(), seen = new Set<string>()) {
  for (const set of sets) {
    for (const s of set.selections) {
      if (!included(c, s)) continue;
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        into.set(key, [...(into.get(key) ?? []), s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (fragmentApplies(c, type, s.typeCondition)) collect(c, type, [s.selectionSet], into, seen);
      } else {
        const fragment = c.fragments[s.name.value];
        if (seen.has(s.name.value) || !fragment || !fragmentApplies(c, type, fragment.typeCondition)) continue;
        seen.add(s.name.value);
        collect(c, type, [fragment.selectionSet], into, seen);
      }
    }
  }
  return into;
}

const ROUTING = new Set(['skip', 'include']);

/** The plan of a selection on `type`, or null when a field cannot come from a payload (arguments, other directives, abstract types). */
function plan(c: Collecting, type: GraphQLObjectType, sets: SelectionSetNode[]): PlannedField[] | null {
  const fields: PlannedField[] = [];
  for (const [key, nodes] of collect(c, type, sets)) {
    const name = nodes[0].name.value;
    if (name === '__typename') {
      fields.push({ key, name, typename: type.name });
      continue;
    }
    const def = type.getFields()[name];
    if (!def || nodes.some((n) => n.arguments?.length || n.directives?.some((d) => !ROUTING.has(d.name.value)))) return null;
    const named = getNamedType(def.type);
    if (isLeafType(named)) fields.push({ key, name });
    else if (isObjectType(named)) {
      const children = plan(c, named, nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])));
      if (!children) return null;
      fields.push({ key, name, children });
    } else return null;
  }
  return fields;
}

const plans = new WeakMap<object, Map<string, PayloadPlan | null>>();

/** The payload plan of a subscription's execution arguments (cached per document), or null if it needs execution. */
export function payloadPlan(args: ExecutionArgs): PayloadPlan | null {
  const variables = (args.variableValues ?? {}) as Record<string, unknown>;
  const cacheKey = `${args.operationName ?? ''}\u0000${JSON.stringify(variables)}`;
  let byVariables = plans.get(args.document);
  if (!byVariables) plans.set(args.document, (byVariables = new Map()));
  if (byVariables.has(cacheKey)) return byVariables.get(cacheKey)!;
  const operation = getOperationAST(args.document, args.operationName);
  const root = args.schema.getSubscriptionType();
  let found: PayloadPlan | null = null;
  if (operation?.operation === 'subscription' && root) {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of args.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const c: Collecting = { schema: args.schema, fragments, variables };
    const roots = [...collect(c, root, [operation.selectionSet])];
    const [[rootKey, nodes] = ['', []]] = roots;
    const def = nodes[0] && root.getFields()[nodes[0].name.value];
    const type = def && getNamedType(def.type);
    if (roots.length === 1 && type && isObjectType(type)) {
      const fields = plan(c, type, nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : [])));
      const text = args.document.loc?.source.body;
      if (fields && text !== undefined) found = { rootKey, fields, sharingKey: `${cacheKey}\u0000${text}` };
    }
  }
  byVariables.set(cacheKey, found);
  return found;
}

const MISSING = Symbol('missing');

/** The planned answer from `value`, or MISSING when the payload does not carry a planned field. */
function project(value: unknown, fields: PlannedField[]): unknown {
  if (value === null) return null;
  if (Array.isArray(value)) {
    const items = value.map((item) => project(item, fields));
    return items.includes(MISSING) ? MISSING : items;
  }
  if (typeof value !== 'object') return MISSING;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.typename) {
      out[f.key] = f.typename;
      continue;
    }
    if (!Object.hasOwn(source, f.name)) return MISSING;
    const v = source[f.name];
    const answer = f.children ? project(v, f.children) : v !== null && typeof v === 'object' && !Array.isArray(v) ? MISSING : v;
    if (answer === MISSING) return MISSING;
    out[f.key] = answer;
  }
  return out;
}

/** The result a plan gives from a payload, or null when the payload does not carry everything the plan selects. */
export function answerFromPayload(payload: unknown, p: PayloadPlan): { data: Record<string, unknown> } | null {
  const answer = project(payload, p.fields);
  return answer === MISSING ? null : { data: { [p.rootKey]: answer } };
}
