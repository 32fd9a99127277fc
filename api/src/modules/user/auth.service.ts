import { raw } from '@mikro-orm/core';
import type { Context } from '../../server/context.js';
import { AppError, badInput, isUniqueViolation, unauthenticated } from '../../shared/errors.js';
import { Loaders } from '../../shared/loaders.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { createSession, revokeSession } from './session.service.js';
import { setSessionCookie } from './session-cookie.js';
import type { LogInInput, SignUpInput, UpdateProfileInput } from './user.inputs.js';
import { User } from './user.entity.js';
import type { Read } from '../../db/read.js';

let decoy: Promise<string> | undefined;

/** Starts a session for `user`, sets the cookie, and makes the rest of this operation run as them. */
export async function startSession(ctx: Context, user: Read<User>) {
  const { token, expiresAt } = await createSession(ctx.em, user, ctx.config.SESSION_TTL_DAYS);
  if (ctx.http) setSessionCookie(ctx.http, token, expiresAt, ctx.config.TRUST_PROXY);
  ctx.viewer = user;
  ctx.sessionToken = token;
  ctx.loaders = new Loaders(ctx.em, user.id);
  return { token, user };
}

/** Creates an account (email unique in any case) and signs it in. Attempts per address are rate-limited. */
export async function signUp(ctx: Context, input: SignUpInput) {
  await ctx.rateLimits.consume('signUpsPerAddress', ctx.clientAddress);
  const email = input.email.trim();
  const taken = await ctx.em.count(User, { [raw('lower(email)')]: email.toLowerCase() });
  if (taken) throw badInput('input.email', 'an account with this email already exists');
  const user = ctx.em.create(User, {
    email,
    name: input.name.trim(),
    city: input.city?.trim() || null,
    passwordHash: await hashPassword(input.password, ctx.config.PASSWORD_SCRYPT_LOG_N),
  });
  try {
    await ctx.em.flush();
  } catch (error) {
    // Two sign-ups with one email raced past the check above; the unique index decided.
    if (isUniqueViolation(error)) throw badInput('input.email', 'an account with this email already exists');
    throw error;
  }
  return startSession(ctx, user);
}

/**
 * Checks credentials and signs in. The same error for an unknown email and a wrong password.
 * Failed log-ins count per account and address together, per address, and per account (a slower ceiling), as
 * rate-limiter-flexible's log-in protection recipe does: someone else's guesses from their own address never lock
 * the owner out of theirs (docs/ARCHITECTURE.md, "Limits"). Each attempt counts before the password is checked
 * (so parallel guesses cannot slip past a limit), limit by limit, stopping at the first that refuses: an attempt
 * refused at its own address never counts against the account. A success gives its count back and clears the pair.
 */
export async function logIn(ctx: Context, input: LogInInput) {
  const email = input.email.trim().toLowerCase();
  const address = ctx.clientAddress;
  const pair = address === null ? null : `${email}\n${address}`;
  await ctx.rateLimits.consume('logInsPerAccountAndAddress', pair);
  await ctx.rateLimits.consume('logInsPerAddress', address);
  await ctx.rateLimits.consume('logInsPerAccount', email);
  const user = await ctx.em.findOne(User, { [raw('lower(email)')]: email });
  const ok = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyPassword(input.password, await (decoy ??= decoyHash(ctx.config.PASSWORD_SCRYPT_LOG_N)));
  if (!user || !ok) throw new AppError('UNAUTHENTICATED', 'Wrong email or password.');
  await Promise.all([
    ctx.rateLimits.reset('logInsPerAccountAndAddress', pair),
    ctx.rateLimits.refund('logInsPerAddress', address),
    ctx.rateLimits.refund('logInsPerAccount', email),
  ]);
  return startSession(ctx, user);
}

/** Ends the current session and clears the cookie. */
export async function logOut(ctx: Context): Promise<boolean> {
  if (ctx.sessionToken) await revokeSession(ctx.em, ctx.sessionToken);
  if (ctx.http) setSessionCookie(ctx.http, null, null, ctx.config.TRUST_PROXY);
  const wasSignedIn = ctx.viewer !== null;
  ctx.viewer = null;
  ctx.sessionToken = null;
  return wasSignedIn;
}

/** The signed-in user, or UNAUTHENTICATED. */
export function requireViewer(ctx: Context): User {
  if (!ctx.viewer) throw unauthenticated();
  return ctx.viewer;
}

/** Changes the viewer's own profile (loaded afresh: the viewer of a request is a lean entity, not a managed one). */
export async function updateProfile(ctx: Context, input: UpdateProfileInput): Promise<Read<User>> {
  const user = await ctx.em.findOneOrFail(User, requireViewer(ctx).id);
  if (input.name != null) user.name = input.name.trim();
  if (input.bio != null) user.bio = input.bio;
  if (input.city !== undefined) user.city = input.city?.trim() || null;
  if (input.location !== undefined) {
    user.lat = input.location?.lat ?? null;
    user.lng = input.location?.lng ?? null;
  }
  await ctx.em.flush();
  return user;
}
