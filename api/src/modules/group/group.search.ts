import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, isId } from '../../shared/errors.js';
import { boxSql, distanceKm, distanceSql } from '../../shared/geo.js';
import { leanColumns, leanEntity, leanRead } from '../../shared/lean.js';
import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/pagination.js';
import { Group } from './group.entity.js';
import type { GroupFilter } from './group.inputs.js';

/** A SQL fragment with its `?` bindings, in order. */
export interface Sql {
  sql: string;
  params: unknown[];
}

/** The columns of Group's persisted properties as `g.<column>`, so a mapped row is a whole entity. */
function groupColumns(em: EntityManager): string {
  return leanColumns(em, Group, 'g').columns;
}

/** WHERE clauses and their bindings for a group filter; shared by the page and its count. */
function filterSql(filter: GroupFilter): Sql {
  const where: string[] = [];
  const params: unknown[] = [];
  const search = filter.search?.trim();
  if (search) {
    where.push(`g.search @@ websearch_to_tsquery('english', ?)`);
    params.push(search);
  }
  if (filter.topic) {
    where.push('exists (select 1 from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = g.id and t.slug = ?)');
    params.push(filter.topic);
  }
  if (filter.near) {
    // The box lets groups_lat_lng_idx find the candidates; the haversine distance then cuts the circle out of it.
    const box = boxSql('g.lat', 'g.lng', filter.near);
    where.push(box.sql, `${distanceSql('g.lat', 'g.lng')} <= ?`);
    params.push(...box.params, filter.near.lat, filter.near.lat, filter.near.lng, filter.near.radiusKm);
  }
  return { sql: where.length ? `where ${where.join(' and ')}` : '', params };
}

interface SortKey extends Sql {
  /** Names the ordering in its cursors, so a cursor of one ordering is refused by another. */
  kind: 'relevance' | 'distance' | 'members';
  dir: 'asc' | 'desc';
  /** What its cursor's sort key holds (pagination.ts checks it). */
  key: 'float' | 'int';
}

/** The sort key: relevance when searching, else distance when near, else member count (ties by id). */
function sortSql(filter: GroupFilter): SortKey {
  const search = filter.search?.trim();
  if (search) {
    const sql = `ts_rank_cd(g.search, websearch_to_tsquery('english', ?))::float8`;
    return { kind: 'relevance', sql, params: [search], dir: 'desc', key: 'float' };
  }
  if (filter.near) {
    const { lat, lng } = filter.near;
    return { kind: 'distance', sql: `${distanceSql('g.lat', 'g.lng')}::float8`, params: [lat, lat, lng], dir: 'asc', key: 'float' };
  }
  // The plain column (no cast) so groups_member_count_idx can serve the order.
  return { kind: 'members', sql: 'g.member_count', params: [], dir: 'desc', key: 'int' };
}

/**
 * The SQL of one page of groups: `limit` rows after the cursor `after`, ordered by the filter's sort key
 * and then id. The keyset is written as a bound plus a tie-break so an index on the key can start there.
 */
export function groupPageSql(em: EntityManager, filter: GroupFilter, after: string | null | undefined, limit: number): Sql {
  const where = filterSql(filter);
  const sort = sortSql(filter);
  let keyset = '';
  const keysetParams: unknown[] = [];
  if (after) {
    const [, key, id] = decodeCursor(after, [{ is: sort.kind }, { kind: sort.key }, { kind: 'id' }]);
    const [bound, beyond] = sort.dir === 'asc' ? ['>=', '>'] : ['<=', '<'];
    keyset = `where s.sort_key ${bound} ? and (s.sort_key ${beyond} ? or s.id > ?)`;
    keysetParams.push(key, key, id);
  }
  return {
    sql: `select * from (select ${groupColumns(em)}, ${sort.sql} as sort_key from groups g ${where.sql}) s ${keyset}
          order by s.sort_key ${sort.dir}, s.id limit ?`,
    params: [...sort.params, ...where.params, ...keysetParams, limit],
  };
}

/** The SQL counting every group that matches the filter. */
export function groupCountSql(filter: GroupFilter): Sql {
  const where = filterSql(filter);
  return { sql: `select count(*)::int as n from groups g ${where.sql}`, params: where.params };
}

/** Each listed group's distance from the `near` point of the search that listed it (Group.distanceKm). */
const distances = new WeakMap<Group, number>();

/** How far a group is from the point its list was searched near, in km; null when it was not listed by a `near` search. */
export function distanceFromSearch(group: Group): number | null {
  return distances.get(group) ?? null;
}

/**
 * Groups matching a filter as a keyset page, in the order docs/ARCHITECTURE.md (Discovery) gives
 * (relevance, else distance, else member count; ties by id). Private groups are listed too:
 * their name, city and topics are public so people can ask to join.
 */
export async function searchGroups(
  em: EntityManager,
  filter: GroupFilter,
  page: { first?: number | null; after?: string | null },
): Promise<Connection<Group>> {
  const limit = pageSize(page.first);
  const query = groupPageSql(em, filter, page.after, limit + 1);
  const rows: Array<Record<string, unknown>> = limit === 0 ? [] : await leanRead(em, query.sql, query.params);
  const { kind } = sortSql(filter);
  const keys = new Map<Group, number>();
  const groups = rows.map((row) => {
    const { sort_key, ...columns } = row;
    const group = leanEntity(em, Group, columns);
    keys.set(group, Number(sort_key));
    if (filter.near) distances.set(group, distanceKm(filter.near, group.location));
    return group;
  });
  const count = async () => {
    const { sql, params } = groupCountSql(filter);
    const [{ n }] = await leanRead(em, sql, params);
    return n as number;
  };
  return toConnection(groups, limit, (g) => [kind, keys.get(g)!, g.id], count);
}
