import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { leanColumns, leanEntity, leanRead, placeholders } from '../../shared/lean.js';
import { byIdLoader, groupRows } from '../../shared/loaders.js';
import { User } from '../user/user.entity.js';
import { Event } from './event.entity.js';
import { Venue } from './venue.entity.js';

/** Events by id, their venues, and their hosts (lean entities, shared/lean.ts); one query per batch each. */
export const eventLoaders = (em: EntityManager) => ({
  byId: byIdLoader(em, Event),
  venueById: byIdLoader(em, Venue),
  /** The hosts of each event, the earliest first. */
  hostsByEventId: new DataLoader<string, User[]>(async (eventIds) => {
    const rows = await leanRead(em, 
      `select h.event_id as host_event_id, ${leanColumns(em, User, 'u').columns} from event_hosts h join users u on u.id = h.user_id
       where h.event_id in (${placeholders(eventIds.length)}) order by h.created_at, h.user_id`,
      [...eventIds],
    );
    return groupRows(eventIds, rows, (row) => row.host_event_id as string).map((hosts) => hosts.map((row) => leanEntity(em, User, row)));
  }),
});
