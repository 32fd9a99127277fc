import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, isId } from '../../shared/errors.js';
import { boxSql, distanceKm, distanceSql } from '../../shared/geo.js';
import { columnsOf, query, toRead, type Read, type Statement } from '../../db/read.js';
import { countOnce, decodeCursor, pageSize, toConnection, type Connection } from '../../shared/pagination.js';
import { Group } from './group.entity.js';
import type { GroupFilter } from './group.inputs.js';

/** The SQL of a statement being built: `param` adds a value and returns its `$n`. */
class Params {
  readonly values: unknown[] = [];
  readonly param = (value: unknown) => `$${this.values.push(value)}`;
}

/** WHERE clauses for a group filter; shared by the page and its count. */
function filterSql(filter: GroupFilter, { param }: Params): string {
  const where: string[] = [];
  const search = filter.search?.trim();
  if (search) where.push(`g.search @@ websearch_to_tsquery('english', ${param(search)})`);
  if (filter.topic) {
    where.push(`exists (select 1 from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = g.id and t.slug = ${param(filter.topic)})`);
  }
  if (filter.near) {
    // The box lets groups_lat_lng_idx find the candidates; the haversine distance then cuts the circle out of it.
    where.push(boxSql('g.lat', 'g.lng', filter.near, param), `${distanceSql('g.lat', 'g.lng', filter.near, param)} <= ${param(filter.near.radiusKm)}`);
  }
  return where.length ? `where ${where.join(' and ')}` : '';
}

interface SortKey {
  /** Names the ordering in its cursors, so a cursor of one ordering is refused by another. */
  kind: 'relevance' | 'distance' | 'members';
  sql: string;
  dir: 'asc' | 'desc';
  /** What its cursor's sort key holds (pagination.ts checks it). */
  key: 'float' | 'int';
}

/** The sort key: relevance when searching, else distance when near, else member count (ties by id). */
function sortSql(filter: GroupFilter, { param }: Params): SortKey {
  const search = filter.search?.trim();
  if (search) return { kind: 'relevance', sql: `ts_rank_cd(g.search, websearch_to_tsquery('english', ${param(search)}))::float8`, dir: 'desc', key: 'float' };
  if (filter.near) return { kind: 'distance', sql: `${distanceSql('g.lat', 'g.lng', filter.near, param)}::float8`, dir: 'asc', key: 'float' };
  // The plain column (no cast) so groups_member_count_idx can serve the order.
  return { kind: 'members', sql: 'g.member_count', dir: 'desc', key: 'int' };
}

/**
 * The statement of one page of groups: `limit` rows after the cursor `after`, ordered by the filter's sort key
 * and then id. The keyset is written as a bound plus a tie-break so an index on the key can start there.
 */
export function groupPageSql(em: EntityManager, filter: GroupFilter, after: string | null | undefined, limit: number): Statement & { kind: SortKey['kind'] } {
  const params = new Params();
  const sort = sortSql(filter, params);
  const where = filterSql(filter, params);
  let keyset = '';
  if (after) {
    const [, key, id] = decodeCursor(after, [{ is: sort.kind }, { kind: sort.key }, { kind: 'id' }]);
    const [bound, beyond] = sort.dir === 'asc' ? ['>=', '>'] : ['<=', '<'];
    const k = params.param(key);
    keyset = `where s.sort_key ${bound} ${k} and (s.sort_key ${beyond} ${k} or s.id > ${params.param(id)})`;
  }
  return {
    kind: sort.kind,
    text: `select * from (select ${columnsOf(em, Group, 'g').columns}, ${sort.sql} as sort_key from groups g ${where}) s ${keyset}
           order by s.sort_key ${sort.dir}, s.id limit ${params.param(limit)}`,
    values: params.values,
  };
}

/** The statement counting every group that matches the filter. */
export function groupCountSql(filter: GroupFilter): Statement {
  const params = new Params();
  return { text: `select count(*)::int as n from groups g ${filterSql(filter, params)}`, values: params.values };
}

/** Each listed group's distance from the `near` point of the search that listed it (Group.distanceKm). */
const distances = new WeakMap<object, number>();

/** How far a group is from the point its list was searched near, in km; null when it was not listed by a `near` search. */
export function distanceFromSearch(group: Read<Group>): number | null {
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
  withCount = false,
): Promise<Connection<Read<Group>>> {
  const limit = pageSize(page.first);
  const statement = groupPageSql(em, filter, page.after, limit + 1);
  const count = countOnce(withCount, async () => {
    const [{ n }] = await query(em, groupCountSql(filter));
    return n as number;
  });
  const rows = limit === 0 ? [] : await query(em, statement);
  const keys = new Map<Read<Group>, number>();
  const groups = rows.map((row) => {
    const group = toRead(em, Group, row);
    keys.set(group, Number(row.sort_key));
    if (filter.near) distances.set(group, distanceKm(filter.near, group));
    return group;
  });
  return toConnection(groups, limit, (g) => [statement.kind, keys.get(g)!, g.id], count);
}
