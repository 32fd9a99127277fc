import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { Loaders } from '../shared/loaders.js';
import { userForToken } from '../modules/user/session.service.js';
import { readToken, setSessionCookie } from '../modules/user/session-cookie.js';
import { makeContext, type AppDeps, type Context } from './context.js';
import { databaseUnavailable, isDatabaseUnavailable } from './unavailable.js';

/**
 * The context of one operation, signed in by the request's token. An unknown or expired
 * bearer token is refused (401, UNAUTHENTICATED) so API clients learn to log in again;
 * a stale cookie is cleared and the browser carries on signed out.
 */
export async function authenticatedContext(
  deps: AppDeps,
  headers: IncomingMessage['headers'],
  http?: { req: IncomingMessage; res: ServerResponse },
  explicitToken?: string | null,
): Promise<Context> {
  const ctx = makeContext(deps, null, null, http);
  const found = explicitToken ? { token: explicitToken.replace(/^Bearer\s+/i, ''), from: 'bearer' as const } : readToken(headers);
  if (!found) return ctx;
  const user = await userForToken(ctx.em, found.token).catch((error: unknown) => {
    throw isDatabaseUnavailable(error) ? databaseUnavailable() : error; // 503, not a 500 and not "log in again"
  });
  if (user) {
    ctx.viewer = user;
    ctx.sessionToken = found.token;
    ctx.loaders = new Loaders(ctx.em, user.id);
  } else if (found.from === 'bearer') {
    throw new GraphQLError('Your session has expired or is unknown: log in again.', {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  } else if (http) {
    setSessionCookie(http, null, null, deps.config.TRUST_PROXY);
  }
  return ctx;
}
