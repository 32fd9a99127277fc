import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { leanColumns, leanEntity, leanRead, placeholders } from '../../shared/lean.js';
import { byIdLoader, groupRows } from '../../shared/loaders.js';
import { User } from '../user/user.entity.js';
import { Event } from './event.entity.js';
import { EventStatus } from './event.enums.js';
import { Venue } from './venue.entity.js';

/** Events by id, their venues, and their hosts (lean entities, shared/lean.ts); one query per batch each. */
export const eventLoaders = (em: EntityManager) => ({
  byId: byIdLoader(em, Event),
  venueById: byIdLoader(em, Venue),
  /** Each group's next event: the scheduled one that has not ended yet and starts soonest (null if none). */
  nextByGroupId: new DataLoader<string, Event | null>(async (groupIds) => {
    const rows = await leanRead(em,
      `select ${leanColumns(em, Event, 'e').columns} from groups g cross join lateral (
         select * from events e where e.group_id = g.id and e.status = ? and e.ends_at > ? order by e.starts_at, e.id limit 1
       ) e where g.id in (${placeholders(groupIds.length)})`,
      [EventStatus.SCHEDULED, new Date(), ...groupIds],
    );
    const events = rows.map((row) => leanEntity(em, Event, row));
    const byGroup = new Map(events.map((event) => [event.group.id, event]));
    return groupIds.map((id) => byGroup.get(id) ?? null);
  }),
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
