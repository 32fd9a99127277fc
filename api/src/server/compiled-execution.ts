import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { execute, getVariableValues, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';

type Gateway = ApolloServerOptionsWithGateway<any>['gateway'];
type Executor = Awaited<ReturnType<Gateway['load']>>['executor'];

/** Operations compiled per document: Apollo's document store hands out one DocumentNode per query text, and drops it with its entry. */
const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | null>>();
/** Most operation names compiled per document (a client may send any name; the document holds few operations). */
const MAX_OPERATIONS_PER_DOCUMENT = 20;

/** The compiled operation, or null where graphql-jit cannot compile it (graphql-js runs it then). */
function compiledOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
  let byName = compiled.get(document);
  if (!byName) compiled.set(document, (byName = new Map()));
  const key = operationName ?? '';
  const known = byName.get(key);
  if (known !== undefined) return known;
  let query: CompiledQuery | null;
  try {
    const result = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
    query = isCompiledQuery(result) ? result : null;
  } catch {
    query = null;
  }
  if (byName.size < MAX_OPERATIONS_PER_DOCUMENT) byName.set(key, query);
  return query;
}

/**
 * graphql-jit's errors are its own GraphQLError look-alike (no `extensions` object when the cause has none, which
 * Apollo's error formatting expects): made into graphql-js's, with the same message, path, locations and cause.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? undefined,
  });
  if (error.locations) (made as { locations?: unknown }).locations = error.locations;
  return made;
}

/**
 * Apollo's executor (through its `gateway` interface, the one way Apollo takes another execution engine): each
 * operation runs as JavaScript compiled once per document and operation (graphql-jit), which skips graphql-js's
 * per-field interpretation. Variables are coerced by graphql-js first, so their errors are graphql-js's own
 * (BAD_USER_INPUT naming the field, format-error.ts); an operation Apollo could not pick, or one graphql-jit cannot
 * compile, runs on graphql-js. Parsing, validation and the plugins (cost, guards, records) stay Apollo's.
 */
export function compiledExecutor(schema: GraphQLSchema): Gateway {
  const executor: Executor = async ({ document, operation, operationName, request, context }) => {
    const variables = request.variables ?? {};
    const args = { schema, document, contextValue: context, variableValues: variables, operationName: request.operationName };
    if (!operation) return execute(args) as ExecutionResult;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 50 });
    if (coerced.errors) return { errors: coerced.errors };
    const query = compiledOperation(schema, document, operationName ?? undefined);
    if (!query) return execute(args) as ExecutionResult;
    const result = await query.query(undefined, context, variables);
    return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}
