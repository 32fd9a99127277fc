import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { columnsOf, readAll, query, toRead, type Read } from '../../db/read.js';
import { byIdLoader, groupRows } from '../../shared/loaders.js';
import { MembershipStatus } from '../membership/membership.enums.js';
import { User } from '../user/user.entity.js';
import { Event } from './event.entity.js';
import { EventStatus } from './event.enums.js';
import { Venue } from './venue.entity.js';

/** Events by id, their venues, and their hosts (read rows, db/read.ts); one query per batch each. */
export const eventLoaders = (em: EntityManager) => ({
  byId: byIdLoader(em, Event),
  venueById: byIdLoader(em, Venue),
  /** Each group's next event: the scheduled one that has not ended yet and starts soonest (null if none). */
  nextByGroupId: new DataLoader<string, Read<Event> | null>(async (groupIds) => {
    const events = await readAll(em, Event, {
      text: `select ${columnsOf(em, Event, 'e').columns} from groups g cross join lateral (
               select * from events e where e.group_id = g.id and e.status = $1 and e.ends_at > now() order by e.starts_at, e.id limit 1
             ) e where g.id = any($2)`,
      values: [EventStatus.SCHEDULED, groupIds],
    });
    const byGroup = new Map(events.map((event) => [event.group.id, event]));
    return groupIds.map((id) => byGroup.get(id) ?? null);
  }),
  /**
   * The hosts of each event, the earliest first: those named in event_hosts who are ACTIVE members of its group
   * (membership.policy.ts, actsAsMember). Someone who left, was removed or banned keeps the row (a rejoin gives the
   * rights back, and every event keeps a host row) but is listed nowhere while their rights are gone.
   */
  hostsByEventId: new DataLoader<string, Read<User>[]>(async (eventIds) => {
    const rows = await query(em, {
      // From the events (by primary key) out: PostgreSQL then finds each host's membership by (user, group).
      text: `select e.id as host_event_id, ${columnsOf(em, User, 'u').columns} from events e
             join event_hosts h on h.event_id = e.id
             join memberships m on m.group_id = e.group_id and m.user_id = h.user_id and m.status = $2
             join users u on u.id = h.user_id
             where e.id = any($1) order by h.created_at, h.user_id`,
      values: [eventIds, MembershipStatus.ACTIVE],
    });
    return groupRows(eventIds, rows, (row) => row.host_event_id as string).map((hosts) => hosts.map((row) => toRead(em, User, row)));
  }),
});
