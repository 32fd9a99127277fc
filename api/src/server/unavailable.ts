import { GraphQLError } from 'graphql';

/** The code of an answer that failed because the database could not be reached: try again shortly. */
export const SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE';

/** What the client reads: no driver message, no SQL, no address. */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable right now; try again in a moment.';

// Socket errors of a connection that failed or dropped; PostgreSQL's connection exceptions (class 08, but not
// 08P01, a protocol violation: the request's fault), 57P01–57P03 (server shutting down or starting), 53300 (too many connections).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SERVER_CODES = new Set(['08000', '08001', '08003', '08004', '08006', '08007', '57P01', '57P02', '57P03', '53300']);
// pg and knex say so in words only: a connection that ended, or a pool that could not hand one out in time.
const MESSAGES = /Connection terminated|Connection ended unexpectedly|connection error|Timeout acquiring a connection|Client was closed and is not queryable/i;

/** Whether `error`, or what it wraps (GraphQL originalError, MikroORM/pg cause), says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = error as Record<string, any> | null | undefined; e && typeof e === 'object' && !seen.has(e); e = e.originalError ?? e.cause) {
    seen.add(e);
    if (e.extensions?.code === SERVICE_UNAVAILABLE) return true;
    const code = typeof e.code === 'string' ? e.code : '';
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code)) return true;
    if (e.name === 'ConnectionException' || e.name === 'KnexTimeoutError') return true;
    if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** The error to throw where the database failed before any resolver ran (the session check): HTTP 503. */
export function databaseUnavailable(): GraphQLError {
  return new GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, { extensions: { code: SERVICE_UNAVAILABLE, http: { status: 503 } } });
}
