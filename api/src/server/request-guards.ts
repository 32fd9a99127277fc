import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode } from 'graphql';

const NUL = '\u0000';

/** Deepest nesting of a variable's value (objects and lists; `{ input: { venue: { location: {…} } } }` is 3 inside `input`). */
export const MAX_VARIABLE_DEPTH = 8;

/**
 * What is wrong with an operation's variables, before anything else reads them: a value nested deeper than
 * MAX_VARIABLE_DEPTH (named by its variable; 5,000 levels would overflow the stack of recursive readers such as the
 * cost computation), or a string holding U+0000 (named by its path). Walks iteratively, so no input can exhaust the stack.
 */
export function variablesRefusal(variables: unknown): GraphQLError | null {
  const stack: Array<[unknown, string, number]> = [[variables, '', 0]];
  while (stack.length > 0) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return nulRefused(path || 'variables');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_VARIABLE_DEPTH) return tooDeep(path.split('.')[0]);
    for (const [key, inner] of Object.entries(value)) stack.push([inner, path ? `${path}.${key}` : key, depth + 1]);
  }
  return null;
}

function tooDeep(field: string): GraphQLError {
  return new GraphQLError(`${field}: is nested too deeply (at most ${MAX_VARIABLE_DEPTH} levels)`, {
    extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
  });
}

/** The same for string literals written in the document (`postMessage(body: "…")`), named by their argument path. */
export function nulInDocument(document: DocumentNode): string | null {
  const names: string[] = [];
  let found: string | null = null;
  visit(document, {
    Argument: {
      enter(node) {
        names.push(node.name.value);
      },
      leave() {
        names.pop();
      },
    },
    ObjectField: {
      enter(node) {
        names.push(node.name.value);
      },
      leave() {
        names.pop();
      },
    },
    StringValue(node) {
      if (!found && node.value.includes(NUL)) found = names.join('.') || 'query';
    },
  });
  return found;
}

/** nulInDocument per document: Apollo's document store hands out one DocumentNode per query text, so each is walked once. */
const nulByDocument = new WeakMap<DocumentNode, string | null>();
function nulOf(document: DocumentNode): string | null {
  let found = nulByDocument.get(document);
  if (found === undefined) nulByDocument.set(document, (found = nulInDocument(document)));
  return found;
}

/** BAD_USER_INPUT for a text holding U+0000, which PostgreSQL cannot store (it would fail deep in the driver). */
export function nulRefused(field: string): GraphQLError {
  return new GraphQLError(`${field}: must not contain the NUL character (U+0000)`, {
    extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
  });
}

/**
 * Refusals before execution, on HTTP: texts holding U+0000 (BAD_USER_INPUT naming the field), and
 * subscriptions, which run over graphql-ws only (BAD_REQUEST rather than a resolver failing without a stream).
 */
export const requestGuards: ApolloServerPlugin<any> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ request, document, operation }) {
        if (operation?.operation === 'subscription') {
          throw new GraphQLError('Subscriptions run over a WebSocket (graphql-ws) on /graphql, not over HTTP.', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
        const refusal = variablesRefusal(request.variables ?? {});
        if (refusal) throw refusal;
        const field = nulOf(document);
        if (field) throw nulRefused(field);
      },
    };
  },
};
