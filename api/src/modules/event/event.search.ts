import { ReferenceKind } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { boxSql, distanceSql, GeoInput } from '../../shared/geo.js';
import { decodeCursor, pageSize, toConnection, type Connection, type CursorSlot, type CursorValue } from '../../shared/pagination.js';
import { Event } from './event.entity.js';
import type { Read } from '../../db/read.js';

@InputType({
  description:
    'Which events to list. Only scheduled events of public groups are ever listed. Without startsAfter/startsBefore: ' +
    'events that have not ended yet. Soonest first, unless searching (then the most relevant first).',
})
export class EventFilter {
  @Field(() => String, { nullable: true, description: 'Words to look for in the title and description (web search syntax); ranks by relevance.' })
  @IsOptional()
  @MaxLength(200)
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Only events of groups with this topic (its slug).' })
  @IsOptional()
  @MaxLength(60)
  topic?: string | null;

  @Field(() => GeoInput, { nullable: true, description: 'Only events within this circle: at their venue, or where their group meets when the venue has no location.' })
  @IsOptional()
  @ValidateNested()
  near?: GeoInput | null;

  @Field(() => Date, { nullable: true, description: 'Only events starting at or after this instant (replaces the "not ended yet" default).' })
  startsAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only events starting before this instant (replaces the "not ended yet" default).' })
  startsBefore?: Date | null;

  @Field(() => String, { nullable: true, description: 'Only events of this group (its slug). A private group\'s events are never listed.' })
  @IsOptional()
  @MaxLength(100)
  groupSlug?: string | null;
}

/** A SQL fragment with its `?` bindings, in order. */
interface Sql {
  sql: string;
  params: unknown[];
}

const FROM = 'from events e join groups g on g.id = e.group_id left join venues v on v.id = e.venue_id';
// Where an event happens: its venue when the venue has a location, else where its group meets.
const PLACE_LAT = '(case when v.lat is null or v.lng is null then g.lat else v.lat end)';
const PLACE_LNG = '(case when v.lat is null or v.lng is null then g.lng else v.lng end)';

/** The columns of Event's persisted properties as `e.<column>`, so a mapped row is a whole entity. */
function eventColumns(em: EntityManager): string {
  const stored = [ReferenceKind.SCALAR, ReferenceKind.MANY_TO_ONE];
  return em
    .getMetadata()
    .get(Event)
    .props.filter((p) => p.persist !== false && (stored.includes(p.kind) || (p.kind === ReferenceKind.ONE_TO_ONE && p.owner)))
    .flatMap((p) => p.fieldNames.map((column) => `e.${column}`))
    .join(', ');
}

/** WHERE clauses and their bindings for an event filter; shared by the page and its count. */
function filterSql(filter: EventFilter): Sql {
  const where = [`g.visibility = 'PUBLIC'`, `e.status = 'SCHEDULED'`];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (filter.startsAfter) add('e.starts_at >= ?', filter.startsAfter);
  if (filter.startsBefore) add('e.starts_at < ?', filter.startsBefore);
  if (!filter.startsAfter && !filter.startsBefore) add('e.ends_at > now()');
  const search = filter.search?.trim();
  if (search) add(`e.search @@ websearch_to_tsquery('english', ?)`, search);
  if (filter.topic) {
    add('exists (select 1 from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = e.group_id and t.slug = ?)', filter.topic);
  }
  if (filter.groupSlug) add('g.slug = ?', filter.groupSlug);
  if (filter.near) {
    // Candidates come from the two lat/lng indexes (groups', venues'); the haversine distance then cuts the circle.
    const near = filter.near;
    const param = (value: unknown) => (params.push(value), '?');
    add(`(e.group_id in (select gb.id from groups gb where ${boxSql('gb.lat', 'gb.lng', near, param)}) or e.venue_id in (select vb.id from venues vb where ${boxSql('vb.lat', 'vb.lng', near, param)}))`);
    add(`${distanceSql(PLACE_LAT, PLACE_LNG, near, param)} <= ?`, near.radiusKm);
  }
  return { sql: where.join(' and '), params };
}

/** How a page is ordered: the cursor value it selects, its ORDER BY, its cursor's slots, and the keyset condition after a cursor. */
interface Ordering {
  /** Names the ordering in its cursors, so a cursor of one ordering is refused by another. */
  kind: 'relevance' | 'soonest';
  key: Sql;
  orderBy: string;
  slots: CursorSlot[];
  after(key: CursorValue, id: CursorValue): Sql;
}

const RANK = `ts_rank_cd(e.search, websearch_to_tsquery('english', ?))::float8`;

function ordering(filter: EventFilter): Ordering {
  const search = filter.search?.trim();
  if (search) {
    return {
      kind: 'relevance',
      key: { sql: RANK, params: [search] },
      orderBy: 'sort_key desc, e.id',
      slots: [{ is: 'relevance' }, { kind: 'float' }, { kind: 'id' }],
      after: (key, id) => ({ sql: `${RANK} <= ? and (${RANK} < ? or e.id > ?)`, params: [search, key, search, key, id] }),
    };
  }
  // Soonest first. The cursor holds starts_at in whole microseconds since 1970 as a decimal string (exact for any
  // year PostgreSQL stores); the row comparison matches events_starts_idx (starts_at, id) where status = 'SCHEDULED'.
  return {
    kind: 'soonest',
    key: { sql: `(extract(epoch from e.starts_at) * 1000000)::int8::text`, params: [] },
    orderBy: 'e.starts_at, e.id',
    slots: [{ is: 'soonest' }, { kind: 'micros' }, { kind: 'id' }],
    after: (key, id) => ({ sql: `(e.starts_at, e.id) > (timestamptz 'epoch' + ?::int8 * interval '1 microsecond', ?::uuid)`, params: [key, id] }),
  };
}

/** The SQL of one page of events: `limit` rows after the cursor `after`, in the filter's order (ties by id). */
export function eventPageSql(em: EntityManager, filter: EventFilter, after: string | null | undefined, limit: number): Sql {
  const where = filterSql(filter);
  const order = ordering(filter);
  let keyset: Sql = { sql: '', params: [] };
  if (after) {
    const [, key, id] = decodeCursor(after, order.slots);
    const condition = order.after(key, id);
    keyset = { sql: ` and ${condition.sql}`, params: condition.params };
  }
  return {
    sql: `select ${eventColumns(em)}, ${order.key.sql} as sort_key ${FROM} where ${where.sql}${keyset.sql} order by ${order.orderBy} limit ?`,
    params: [...order.key.params, ...where.params, ...keyset.params, limit],
  };
}

/** The SQL counting every event that matches the filter. */
export function eventCountSql(filter: EventFilter): Sql {
  const where = filterSql(filter);
  return { sql: `select count(*)::int as n ${FROM} where ${where.sql}`, params: where.params };
}

/**
 * Events to explore (docs/ARCHITECTURE.md, Discovery) as a keyset page: scheduled events of public groups, upcoming by default,
 * soonest first or by relevance when searching. A private group's events never appear, whatever the filter.
 */
export async function searchEvents(
  em: EntityManager,
  filter: EventFilter,
  page: { first?: number | null; after?: string | null },
): Promise<Connection<Read<Event>>> {
  const limit = pageSize(page.first);
  const query = eventPageSql(em, filter, page.after, limit + 1);
  const rows: Array<Record<string, unknown>> = limit === 0 ? [] : await em.execute(query.sql, query.params);
  const { kind } = ordering(filter);
  const keys = new Map<Event, number | string>();
  const events = rows.map(({ sort_key, ...columns }) => {
    const event = em.map(Event, columns);
    keys.set(event, kind === 'soonest' ? String(sort_key) : Number(sort_key));
    return event;
  });
  const count = async () => {
    const { sql, params } = eventCountSql(filter);
    const [{ n }] = await em.execute(sql, params);
    return n as number;
  };
  return toConnection(events, limit, (e) => [kind, keys.get(e)!, e.id], count);
}
