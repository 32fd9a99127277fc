import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { User } from './user.entity.js';
import type { Read } from '../../db/read.js';

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Email address: shown to the user themselves only, null for everyone else.' })
  email(@Root() user: Read<User>, @Ctx() ctx: Context): string | null {
    return ctx.viewer?.id === user.id ? user.email : null;
  }
}
