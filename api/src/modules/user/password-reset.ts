import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Context } from '../../server/context.js';
import { enqueue, registerWorker } from '../../jobs/jobs.js';
import { badInput } from '../../shared/errors.js';
import { mailerFor } from '../notification/mailer.js';
import { requireViewer, startSession } from './auth.service.js';
import { hashPassword, verifyPassword } from './password.js';
import { revokeSessionsOfUser } from './session.service.js';
import { User } from './user.entity.js';

// Account basics on email (docs/ARCHITECTURE.md, "Notifications"): reset by an emailed single-use token that
// expires an hour after it is sent, and a password change that needs the current one. Both end every other session.

const TOKEN_TTL = '1 hour';
/** Reset emails per account per hour beyond which requests are quietly dropped (the answer stays `true`). */
const MAX_RESETS_PER_HOUR = 3;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function checkPassword(password: string, field: string) {
  if (password.length < 8 || password.length > 200) throw badInput(field, 'must be 8 to 200 characters long');
}

/**
 * Emails a reset link if `email` has an account; answers true either way, after the same work, so the answer tells
 * nothing. The email goes out from the job queue, not during the request (its timing would tell). Rate-limited per address.
 */
export async function requestPasswordReset(ctx: Context, email: string): Promise<boolean> {
  await ctx.rateLimits.consume('passwordResetsPerAddress', ctx.clientAddress);
  const address = email.trim().toLowerCase();
  if (address.length > 320) throw badInput('email', 'must be at most 320 characters');
  await ctx.em.transactional(async (em) => {
    const [user]: Array<{ id: string; recent: number }> = await em.execute(
      `select u.id, (select count(*)::int from password_resets r where r.user_id = u.id and r.created_at > now() - interval '1 hour') as recent
       from users u where lower(u.email) = ?`,
      [address],
    );
    if (!user || user.recent >= MAX_RESETS_PER_HOUR) return;
    const id = randomUUID();
    await em.execute('insert into password_resets (id, user_id) values (?, ?)', [id, user.id]);
    await enqueue(em, 'password-reset-email', { resetId: id });
  });
  return true;
}

/** Sets a new password with an emailed token (once, within the hour), ends every session and signs in afresh. */
export async function resetPassword(ctx: Context, token: string, password: string) {
  checkPassword(password, 'password');
  const passwordHash = await hashPassword(password, ctx.config.PASSWORD_SCRYPT_LOG_N);
  const userId = await ctx.em.transactional(async (em) => {
    const [used]: Array<{ user_id: string }> = await em.execute(
      'update password_resets set used_at = now() where token_hash = ? and used_at is null and expires_at > now() returning user_id',
      [hashToken(token)],
    );
    if (!used) throw badInput('token', 'this reset link has expired or was already used; ask for a new one');
    await em.execute('update password_resets set used_at = now() where user_id = ? and used_at is null', [used.user_id]);
    await em.execute('update users set password_hash = ? where id = ?', [passwordHash, used.user_id]);
    await revokeSessionsOfUser(em, used.user_id);
    return used.user_id;
  });
  return startSession(ctx, await ctx.em.findOneOrFail(User, userId, { refresh: true }));
}

/** Changes the viewer's password given the current one; every other session of the account ends. */
export async function changePassword(ctx: Context, current: string, password: string): Promise<boolean> {
  const viewer = requireViewer(ctx);
  checkPassword(password, 'password');
  const key = viewer.email.toLowerCase();
  await ctx.rateLimits.consume('logInsPerAccount', key);
  if (!(await verifyPassword(current, viewer.passwordHash))) throw badInput('current', 'is not your current password');
  await ctx.rateLimits.reset('logInsPerAccount', key);
  const passwordHash = await hashPassword(password, ctx.config.PASSWORD_SCRYPT_LOG_N);
  await ctx.em.transactional(async (em) => {
    await em.execute('update users set password_hash = ? where id = ?', [passwordHash, viewer.id]);
    await revokeSessionsOfUser(em, viewer.id, { except: ctx.sessionToken });
  });
  return true;
}

/**
 * Sends one reset email. The token is made here and only its hash is stored (the raw token never sits in the job
 * queue); a run that finds a token already set does nothing, a failed send clears it so the retry makes a new one.
 */
registerWorker<{ resetId: string }>('password-reset-email', async ({ resetId }, ctx) => {
  const token = randomBytes(32).toString('base64url');
  const [row]: Array<{ email: string; name: string }> = await ctx.em.execute(
    `update password_resets r set token_hash = ?, expires_at = now() + interval '${TOKEN_TTL}' from users u
     where r.id = ? and r.token_hash is null and r.used_at is null and u.id = r.user_id returning u.email, u.name`,
    [hashToken(token), resetId],
  );
  if (!row) return;
  const link = `${ctx.config.PUBLIC_URL}/reset?token=${token}`;
  try {
    await mailerFor(ctx.config, ctx.log).send({
      to: row.email,
      subject: 'Reset your Gather password',
      text: `Hi ${row.name},\n\nSomeone (hopefully you) asked to reset your Gather password. Choose a new one here within the hour:\n\n${link}\n\nThe link works once. If you did not ask, ignore this email: your password stays as it is.\n`,
    });
  } catch (error) {
    await ctx.em.execute('update password_resets set token_hash = null, expires_at = null where id = ?', [resetId]).catch(() => {});
    throw error;
  }
});
