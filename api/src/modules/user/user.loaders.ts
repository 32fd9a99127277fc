import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { byIdLoader } from '../../shared/loaders.js';
import { User } from './user.entity.js';

/** Users by id, for every `user`, `author` and `host` field. */
export const userLoaders = (em: EntityManager) => ({ byId: byIdLoader(em, User) });

/** Hands users already read (joined to a list's rows) to the loader, so their `user` fields ask for nothing more. */
export function primeUsers(ctx: Context, users: Iterable<User | null | undefined>): void {
  const loader = ctx.loaders.get(userLoaders).byId;
  for (const user of users) if (user?.name !== undefined) loader.prime(user.id, user);
}
