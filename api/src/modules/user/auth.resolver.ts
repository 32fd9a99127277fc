import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Read } from '../../db/read.js';
import { LatLng, latLng } from '../../shared/geo.js';
import type { User } from './user.entity.js';
import type { Context } from '../../server/context.js';
import * as auth from './auth.service.js';
import { AuthPayload, Me } from './me.type.js';
import { LogInInput, SignUpInput, UpdateProfileInput } from './user.inputs.js';

@Resolver(() => Me)
export class AuthResolver {
  @Query(() => Me, { nullable: true, description: 'The signed-in person, or null when nobody is signed in.' })
  me(@Ctx() ctx: Context) {
    return ctx.viewer;
  }

  @Mutation(() => AuthPayload, { description: 'Creates an account and signs it in (also sets the session cookie).' })
  signUp(@Arg('input', () => SignUpInput, { description: 'The new account.' }) input: SignUpInput, @Ctx() ctx: Context) {
    return auth.signUp(ctx, input);
  }

  @Mutation(() => AuthPayload, { description: 'Signs in with email and password (also sets the session cookie).' })
  logIn(@Arg('input', () => LogInInput, { description: 'Email and password.' }) input: LogInInput, @Ctx() ctx: Context) {
    return auth.logIn(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Ends the current session; true if one was signed in.' })
  logOut(@Ctx() ctx: Context) {
    return auth.logOut(ctx);
  }

  @Mutation(() => Me, { description: 'Changes the signed-in person\'s profile.' })
  updateProfile(@Arg('input', () => UpdateProfileInput, { description: 'The fields to change.' }) input: UpdateProfileInput, @Ctx() ctx: Context) {
    return auth.updateProfile(ctx, input);
  }

  @FieldResolver(() => LatLng, { nullable: true, description: 'Home location, used for "near me".' })
  location(@Root() me: Read<User>): LatLng | null {
    return latLng(me.lat, me.lng);
  }
}
