import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader, groupRows } from '../../shared/loaders.js';
import { User } from '../user/user.entity.js';
import { EventHost } from './event-host.entity.js';
import { Event } from './event.entity.js';
import { Venue } from './venue.entity.js';

/** Events by id, their venues, and their hosts; one query per batch each. */
export const eventLoaders = (em: EntityManager) => ({
  byId: byIdLoader(em, Event),
  venueById: byIdLoader(em, Venue),
  /** The hosts of each event, the earliest first. */
  hostsByEventId: new DataLoader<string, User[]>(async (eventIds) => {
    const rows = await em.find(
      EventHost,
      { event: { $in: [...eventIds] } },
      { populate: ['user'], orderBy: [{ createdAt: 'asc' }, { user: 'asc' }] },
    );
    return groupRows(eventIds, rows, (host) => host.event.id).map((hosts) => hosts.map((host) => host.user));
  }),
});
