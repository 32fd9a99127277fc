import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, visit, type DocumentNode } from 'graphql';

const NUL = '\u0000';

/** Where a string in `value` (the variables) holds U+0000, as a field path (`input.title`, `input.topics.2`); null if nowhere. */
export function nulInVariables(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path || 'variables' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = nulInVariables(inner, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
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
        const field = nulInVariables(request.variables ?? {}) ?? nulInDocument(document);
        if (field) throw nulRefused(field);
      },
    };
  },
};
