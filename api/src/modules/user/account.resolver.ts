import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { AuthPayload } from './me.type.js';
import { changePassword, requestPasswordReset, resetPassword } from './password-reset.js';

@Resolver()
export class AccountResolver {
  @Mutation(() => Boolean, { description: 'Emails a password-reset link if the address has an account. Always true: the answer never tells whether it does. Rate-limited.' })
  requestPasswordReset(@Arg('email', { description: 'The account\'s email address, in any case.' }) email: string, @Ctx() ctx: Context) {
    return requestPasswordReset(ctx, email);
  }

  @Mutation(() => AuthPayload, { description: 'Sets a new password with the token of a reset email (single use, valid for an hour); ends every session and signs in.' })
  resetPassword(
    @Arg('token', { description: 'The token from the reset link.' }) token: string,
    @Arg('password', { description: 'The new password, 8 to 200 characters.' }) password: string,
    @Ctx() ctx: Context,
  ) {
    return resetPassword(ctx, token, password);
  }

  @Mutation(() => Boolean, { description: 'Changes your password; needs the current one. Ends every other session of the account (their sockets close too).' })
  changePassword(
    @Arg('current', { description: 'Your current password.' }) current: string,
    @Arg('password', { description: 'The new password, 8 to 200 characters.' }) password: string,
    @Ctx() ctx: Context,
  ) {
    return changePassword(ctx, current, password);
  }
}
