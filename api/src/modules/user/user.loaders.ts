import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../../shared/loaders.js';
import { User } from './user.entity.js';

/** Users by id, for every `user`, `author` and `host` field. */
export const userLoaders = (em: EntityManager) => ({ byId: byIdLoader(em, User) });
