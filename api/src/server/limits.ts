import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  getNamedType,
  GraphQLError,
  isObjectType,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  visit,
  type ASTNode,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Config } from '../config.js';
import { DEFAULT_PAGE } from '../shared/pagination.js';
import { variablesRefusal } from './request-guards.js';

/** Deepest selection accepted (fields, fragments flattened). */
export const MAX_DEPTH = 12;
/** Most aliases in one operation. */
export const MAX_ALIASES = 15;

/** Whether the schema may be introspected: always outside production, there only with ENABLE_INTROSPECTION. */
export const introspectionAllowed = (config: Config) => config.NODE_ENV !== 'production' || config.ENABLE_INTROSPECTION;

/** The library rules throw "Syntax Error: …" without a code; report them as the validation errors they are. */
function reportLimit(ctx: ValidationContext | null, error: GraphQLError) {
  ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
}

/** Validation rules beyond graphql-js's own, the same on HTTP (Apollo) and WebSocket (graphql-ws). */
export function validationRules(config: Config): ValidationRule[] {
  return [
    maxDepthRule({ n: MAX_DEPTH, flattenFragments: true, propagateOnRejection: false, onReject: [reportLimit] }),
    maxAliasesRule({ n: MAX_ALIASES, propagateOnRejection: false, onReject: [reportLimit] }),
    ...(introspectionAllowed(config) ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
}

/** A connection (…Connection type) costs 1 plus `first` (or `last`, default 20) times its selection. */
const connectionEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const type = getNamedType(field.type);
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return undefined;
  const size = Number(args.first ?? args.last ?? DEFAULT_PAGE);
  return 1 + Math.max(0, Number.isFinite(size) ? size : DEFAULT_PAGE) * childComplexity;
};
const estimators = [connectionEstimator, simpleEstimator({ defaultComplexity: 1 })];

/** The cost of an operation with its variables (every other field costs 1 plus its selection). */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables?: Record<string, unknown> | null, operationName?: string | null): number {
  return getComplexity({ schema, query: document, estimators, variables: variables ?? {}, operationName: operationName || undefined });
}

function tooComplex(cost: number | null, maxCost: number): GraphQLError {
  const costs = cost === null ? 'has too many fields' : `costs ${cost}`;
  return new GraphQLError(
    `This operation ${costs}; the most one operation may cost is ${maxCost}. Ask for smaller pages (first/last) or fewer nested lists.`,
    { extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost, http: { status: 400 } } },
  );
}

/** The cost error for an operation over the limit, or null. Bad variables are left for execution to report. */
export function costLimitError(schema: GraphQLSchema, document: DocumentNode, config: Config, variables?: Record<string, unknown> | null, operationName?: string | null): GraphQLError | null {
  let cost: number;
  try {
    cost = operationCost(schema, document, variables, operationName);
  } catch (error) {
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return tooComplex(null, config.MAX_QUERY_COST);
    return null;
  }
  return cost > config.MAX_QUERY_COST ? tooComplex(cost, config.MAX_QUERY_COST) : null;
}

/** Operations found within the cost limit, per document (Apollo's document store hands out one object per query text). */
const withinLimit = new WeakMap<DocumentNode, Set<string>>();
const MAX_KEPT_PER_DOCUMENT = 100;

/**
 * The variables an operation's cost depends on: those given to `first`/`last` (connectionEstimator) and to
 * `@include`/`@skip`. Nothing else changes a price, so an event page costs the same for every event id.
 */
const pricedVariables = new WeakMap<DocumentNode, string[]>();
function variablesThatPrice(document: DocumentNode): string[] {
  let names = pricedVariables.get(document);
  if (!names) {
    const found = new Set<string>();
    const collect = (node: ASTNode) => visit(node, { Variable: (v) => void found.add(v.name.value) });
    visit(document, {
      Argument: (arg) => void (['first', 'last'].includes(arg.name.value) && collect(arg.value)),
      Directive: (directive) => void (['include', 'skip'].includes(directive.name.value) && collect(directive)),
    });
    pricedVariables.set(document, (names = [...found].sort()));
  }
  return names;
}

/** The cost error of a document with these variables, or null; an operation found within the limit is not priced again. */
function knownCost(document: DocumentNode, variables: Record<string, unknown> | undefined, operationName: string | null | undefined, price: () => GraphQLError | null) {
  let ok = withinLimit.get(document);
  if (!ok) withinLimit.set(document, (ok = new Set()));
  const priced = variablesThatPrice(document).map((name) => variables?.[name]);
  const key = `${operationName ?? ''}\u0000${JSON.stringify(priced)}`;
  if (ok.has(key)) return null;
  const error = price();
  if (error) return error;
  if (ok.size >= MAX_KEPT_PER_DOCUMENT) ok.delete(ok.values().next().value!);
  ok.add(key);
  return null;
}

/** HTTP: prices each operation once Apollo has parsed, validated and picked it. */
export function costLimitPlugin(config: Config): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          // Deep variables are refused before pricing reads them (request-guards.ts); pricing would overflow the stack.
          if (variablesRefusal(request.variables ?? {})) return;
          const error = knownCost(document, request.variables, operationName, () => costLimitError(schema, document, config, request.variables, operationName));
          if (error) throw error;
        },
      };
    },
  };
}

const withCode = (error: GraphQLError, code: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });

/** The part of a graphql-ws Subscribe message this needs. */
export interface OperationPayload {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** Valid documents by their text, per schema: WebSocket clients send the same few subscriptions again and again. */
const validDocuments = new WeakMap<GraphQLSchema, Map<string, DocumentNode>>();
/** Most documents kept (the oldest goes first), and the longest text kept. */
const MAX_CACHED_DOCUMENTS = 500;
const MAX_CACHED_LENGTH = 10_000;

/** Parses and validates a document once per text (as Apollo's document store does over HTTP); errors are not kept. */
function validDocument(schema: GraphQLSchema, config: Config, query: string): DocumentNode | GraphQLError[] {
  let cache = validDocuments.get(schema);
  if (!cache) validDocuments.set(schema, (cache = new Map()));
  const known = cache.get(query);
  if (known) return known;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return [withCode(error instanceof GraphQLError ? error : new GraphQLError(String(error)), 'GRAPHQL_PARSE_FAILED')];
  }
  const errors = validate(schema, document, [...specifiedRules, ...validationRules(config)]);
  if (errors.length > 0) return errors.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED'));
  if (query.length <= MAX_CACHED_LENGTH) {
    if (cache.size >= MAX_CACHED_DOCUMENTS) cache.delete(cache.keys().next().value!);
    cache.set(query, document);
  }
  return document;
}

/**
 * WebSocket: parses, validates (graphql-js's rules and ours) and prices an operation as Apollo does over HTTP,
 * with the same codes; returns graphql-ws's execution arguments or the errors to send.
 */
export function prepareOperation(schema: GraphQLSchema, config: Config, payload: OperationPayload): ExecutionArgs | GraphQLError[] {
  const document = validDocument(schema, config, payload.query);
  if (Array.isArray(document)) return document;
  const tooCostly = costLimitError(schema, document, config, payload.variables, payload.operationName);
  if (tooCostly) return [tooCostly];
  return { schema, document, variableValues: payload.variables ?? undefined, operationName: payload.operationName ?? undefined };
}
