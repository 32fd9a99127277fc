import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, serialize } from 'cookie';
import { viaTls, type TrustProxy } from '../../server/proxy-trust.js';

/** Name of the browser session cookie. */
export const SESSION_COOKIE = 'gather_session';

/** The session token sent as `Authorization: Bearer` (API clients) or in the cookie (browsers). */
export function readToken(headers: IncomingMessage['headers']): { token: string; from: 'bearer' | 'cookie' } | null {
  const auth = headers.authorization;
  if (auth) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    if (match) return { token: match[1], from: 'bearer' };
  }
  const cookie = headers.cookie ? parse(headers.cookie)[SESSION_COOKIE] : undefined;
  return cookie ? { token: cookie, from: 'cookie' } : null;
}

/** Sets (or, with a null token, clears) the HttpOnly SameSite=Lax session cookie; Secure behind TLS. */
export function setSessionCookie(http: { req: IncomingMessage; res: ServerResponse }, token: string | null, expiresAt: Date | null, trustProxy: TrustProxy) {
  const value = serialize(SESSION_COOKIE, token ?? '', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: viaTls(http.req, trustProxy),
    expires: expiresAt ?? new Date(0),
  });
  const existing = http.res.getHeader('set-cookie');
  const list = Array.isArray(existing) ? existing : existing ? [String(existing)] : [];
  http.res.setHeader('set-cookie', [...list, value]);
}
