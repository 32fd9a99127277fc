import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { logOf, type Logger } from './logger.js';
import { viaTls, type TrustProxy } from './proxy-trust.js';

/** Largest request body accepted on /graphql (100 KB); more is answered 413. */
export const MAX_BODY_BYTES = 100 * 1024;

/**
 * Headers on every API response: no MIME sniffing, no referrer, never framed, nothing to load or run
 * (the API serves JSON and iCal only), HSTS once the request came over TLS. The web pages set their own.
 */
export function securityHeaders(trustProxy: TrustProxy) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    setSecurityHeaders(req, res, trustProxy);
    next();
  };
}

/** The headers of securityHeaders, set on one response (the GraphQL fast path, graphql-http.ts). */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, trustProxy: TrustProxy) {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  if (viaTls(req, trustProxy)) res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

/** An error of reading a request, shaped as body-parser's (`status`, `type`), for `refuse`. */
export function httpError(status: number, type: string, message = type): Error & { status: number; type: string } {
  return Object.assign(new Error(message), { status, type });
}

/** What the body parser's errors become: a GraphQL-style JSON error with the HTTP status it chose. */
function describe(error: { status?: number; type?: string; message?: string }): { status: number; code: string; message: string } {
  const status = error.status && error.status >= 400 && error.status < 600 ? error.status : 500;
  if (error.type === 'entity.too.large') return { status, code: 'PAYLOAD_TOO_LARGE', message: `The request body is over ${MAX_BODY_BYTES / 1024} KB.` };
  if (error.type === 'entity.parse.failed') return { status, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' };
  if (status < 500) return { status, code: 'BAD_REQUEST', message: error.message ?? 'Bad request.' };
  return { status, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error.' };
}

/** Errors before GraphQL runs (body too large, not JSON): JSON like any GraphQL error, never express's HTML page. */
export function jsonHttpErrors(root: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    refuse(res, logOf(req, root), error);
  };
}

/** Answers `error` (body-parser's, or one thrown before GraphQL ran) as JSON, and logs it on the request's logger. */
export function refuse(res: ServerResponse, log: Logger, error: { status?: number; type?: string; message?: string }) {
  const { status, code, message } = describe(error);
  if (status >= 500) log.error({ err: error }, 'unexpected error');
  else log.info({ status, code }, 'request refused');
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
