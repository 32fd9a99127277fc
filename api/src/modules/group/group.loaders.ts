import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../../shared/loaders.js';
import { Group } from './group.entity.js';

/** Groups by id, for every `group` field of events, threads and memberships. */
export const groupLoaders = (em: EntityManager) => ({ byId: byIdLoader(em, Group) });
