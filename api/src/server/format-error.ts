import { parse, visit, type GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from '../shared/errors.js';
import { BadDateTime } from '../shared/scalars.js';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, SERVICE_UNAVAILABLE } from './unavailable.js';

// Codes that graphql-js and Apollo give to the client's own mistakes: shown as they are.
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'QUERY_TOO_COMPLEX',
]);

/** graphql-js's "Did you mean …?" hints, which would map the schema for someone probing it. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** How errors are shaped: `hideSuggestions` drops "did you mean" hints (production). */
export interface FormatErrorOptions {
  hideSuggestions?: boolean;
}

/** Whether an error is the client's own (shown as it is) rather than ours (masked). */
export function isClientError(error: unknown, code: unknown = (error as GraphQLError | null)?.extensions?.code): boolean {
  return unwrapResolverError(error) instanceof AppError || (typeof code === 'string' && CLIENT_CODES.has(code));
}

/** Shapes every error once, at the edge: client errors as they are, anything else masked. */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  log: (error: unknown) => void,
  options: FormatErrorOptions = {},
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (isClientError(error, formatted.extensions?.code)) {
    const { stacktrace: _stacktrace, http: _http, ...extensions } = { ...formatted.extensions, ...inputErrorField(formatted, error) };
    const message = options.hideSuggestions ? formatted.message.replace(SUGGESTION, '') : formatted.message;
    return { ...formatted, message, extensions };
  }
  log(original);
  if (isDatabaseUnavailable(error)) {
    return { message: DATABASE_UNAVAILABLE_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: SERVICE_UNAVAILABLE } };
  }
  return {
    message: 'Internal server error.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * Names the field of a value graphql-js refused while reading input: a variable (`Variable "$f" got invalid value … at
 * "f.startsBefore"`) is BAD_USER_INPUT with `field: 'f.startsBefore'`; a literal out of the accepted range (a date
 * before 1900, say) is BAD_USER_INPUT too, with `field` the argument path it was written at (`filter.startsAfter`).
 */
function inputErrorField(formatted: GraphQLFormattedError, error: unknown): Record<string, unknown> {
  const code = formatted.extensions?.code;
  if (code === 'BAD_USER_INPUT' && formatted.extensions?.field === undefined) {
    const match = /^Variable "\$([^"]+)" got invalid value [\s\S]*? at "([^"]+)";/.exec(formatted.message) ?? /^Variable "\$([^"]+)"/.exec(formatted.message);
    return match ? { field: match[2] ?? match[1] } : {};
  }
  if (code !== 'GRAPHQL_VALIDATION_FAILED') return {};
  // Apollo wraps graphql-js's validation error, which wraps the scalar's: walk down to the one that knows the node.
  for (let e = error as GraphQLError | undefined; e; e = e.originalError as GraphQLError | undefined) {
    if (e.originalError instanceof BadDateTime) {
      const field = literalPath(e);
      return { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) };
    }
  }
  return {};
}

/** The argument path (`filter.startsAfter`) of the literal an error points at. */
function literalPath(error: GraphQLError): string | null {
  const start = error.nodes?.[0]?.loc?.start;
  if (start === undefined || !error.source) return null;
  const names: string[] = [];
  let found: string | null = null;
  const named = { enter: (node: { name: { value: string } }) => void names.push(node.name.value), leave: () => void names.pop() };
  visit(parse(error.source), {
    Argument: named,
    ObjectField: named,
    StringValue(node) {
      if (node.loc?.start === start) found = names.join('.');
    },
  });
  return found;
}
