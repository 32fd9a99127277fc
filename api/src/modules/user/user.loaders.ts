import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import type { Read } from '../../db/read.js';
import { byIdLoader } from '../../shared/loaders.js';
import { User } from './user.entity.js';

/** Users by id, for every `user`, `author` and `host` field. */
export const userLoaders = (em: EntityManager) => ({ byId: byIdLoader(em, User) });

/** Hands a user already read (joined to a list's rows) to the loader, so its `user` fields ask for nothing more. */
export function userPrimer(ctx: Context): (user: Read<User>) => void {
  const loader = ctx.loaders.get(userLoaders).byId;
  return (user) => loader.prime(user.id, user);
}
