import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Context } from './context.js';
import { httpError, MAX_BODY_BYTES, refuse, setSecurityHeaders } from './http-guards.js';
import { requestScope, runInScope, type Logger } from './logger.js';
import type { TrustProxy } from './proxy-trust.js';

/** What the fast path needs: Apollo, the context of one request, the logger and the proxy setting. */
export interface GraphqlHttpOptions {
  apollo: ApolloServer<Context>;
  context: (http: { req: IncomingMessage; res: ServerResponse }) => Promise<Context>;
  log: Logger;
  trustProxy: TrustProxy;
}

/** `application/json`, with at most a UTF-8 charset: the only body the fast path reads itself. */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Whether the fast path serves `req`: a POST of plain JSON to /graphql, uncompressed. Everything else sent to
 * /graphql (GET queries, other content types, compressed or odd charsets) goes on to express's route, which
 * answers it as before (docs/ARCHITECTURE.md, Request path).
 */
function isPlainPost(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  if (url !== '/graphql' && !url.startsWith('/graphql?')) return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  return PLAIN_JSON.test(req.headers['content-type'] ?? '');
}

/**
 * The HTTP server's request listener: GraphQL POSTs of JSON straight to Apollo's executeHTTPGraphQLRequest (as the
 * @as-integrations packages do, without express's router, request/response decoration and body-parser: about a
 * third of a small page's CPU), every other request to `fallback` (express).
 */
export function graphqlHttp(options: GraphqlHttpOptions, fallback: RequestListener): RequestListener {
  return (req, res) => {
    if (!isPlainPost(req)) return fallback(req, res);
    const scope = requestScope(req, options.log, options.trustProxy);
    res.setHeader('x-request-id', scope.id);
    setSecurityHeaders(req, res, options.trustProxy);
    readBody(req, (error, text) => {
      runInScope(scope, () => {
        if (error) return refuse(res, scope.log, error);
        let body: unknown;
        try {
          body = parseJson(text!);
        } catch {
          return refuse(res, scope.log, httpError(400, 'entity.parse.failed'));
        }
        answer(options, req, res, body).catch((failure: unknown) => {
          if (res.headersSent) res.destroy();
          else refuse(res, scope.log, failure as Error);
        });
      });
    });
  };
}

/**
 * Reads the body as body-parser did: at most MAX_BODY_BYTES (more is 413, answered once the client has sent it all,
 * so it reads the answer), and a body shorter or longer than its content-length is a 400.
 */
function readBody(req: IncomingMessage, done: (error: (Error & { status: number; type: string }) | null, text?: string) => void) {
  const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
  let tooLarge = declared !== null && declared > MAX_BODY_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  });
  req.on('error', () => {}); // an aborted request has no one to answer
  req.on('end', () => {
    if (tooLarge) return done(httpError(413, 'entity.too.large'));
    if (declared !== null && declared !== size) return done(httpError(400, 'request.size.invalid', 'request size did not match content length'));
    done(null, chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
  });
}

/** JSON as body-parser's strict mode reads it: an empty body is `{}`, anything but an object or array is refused. */
function parseJson(text: string): unknown {
  if (text.length === 0) return {};
  const first = /^[\x20\x09\x0a\x0d]*(.?)/.exec(text)![1];
  if (first !== '{' && first !== '[') throw new SyntaxError('strict violation');
  return JSON.parse(text);
}

/** Hands the request to Apollo and writes its answer. */
async function answer(options: GraphqlHttpOptions, req: IncomingMessage, res: ServerResponse, body: unknown) {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url!;
  const query = url.indexOf('?');
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: query === -1 ? '' : url.slice(query), body },
    context: () => options.context({ req, res }),
  });
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
