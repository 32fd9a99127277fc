import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AppError } from '../shared/errors.js';
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
    const { stacktrace: _stacktrace, http: _http, ...extensions } = formatted.extensions ?? {};
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
