import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../shared/errors.js';
import { boundingBox, distanceSql } from '../../shared/geo.js';
import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/pagination.js';
import { Group } from './group.entity.js';
import type { GroupFilter } from './group.inputs.js';

const COLUMNS =
  'g.id, g.slug, g.name, g.description, g.city, g.lat, g.lng, g.timezone, g.visibility, g.join_mode, g.join_question, g.member_count, g.topic_names, g.created_at, g.updated_at';

/** WHERE clauses and their bindings for a group filter; shared by the page and its count. */
function filterSql(filter: GroupFilter) {
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
    const box = boundingBox(filter.near);
    where.push('g.lat between ? and ? and g.lng between ? and ?');
    params.push(box.minLat, box.maxLat, box.minLng, box.maxLng);
    where.push(`${distanceSql('g.lat', 'g.lng')} <= ?`);
    params.push(filter.near.lat, filter.near.lat, filter.near.lng, filter.near.radiusKm);
  }
  return { where: where.length ? `where ${where.join(' and ')}` : '', params };
}

/** The sort key: relevance when searching, else distance when near, else member count. */
function sortSql(filter: GroupFilter): { expr: string; params: unknown[]; dir: 'asc' | 'desc' } {
  const search = filter.search?.trim();
  if (search) return { expr: `ts_rank_cd(g.search, websearch_to_tsquery('english', ?))::float8`, params: [search], dir: 'desc' };
  if (filter.near) return { expr: `${distanceSql('g.lat', 'g.lng')}::float8`, params: [filter.near.lat, filter.near.lat, filter.near.lng], dir: 'asc' };
  return { expr: 'g.member_count::float8', params: [], dir: 'desc' };
}

/**
 * Groups matching a filter as a keyset page, in the order DESIGN §4 gives
 * (relevance, else distance, else member count; ties by id). Private groups are listed too:
 * their name, city and topics are public so people can ask to join.
 */
export async function searchGroups(
  em: EntityManager,
  filter: GroupFilter,
  page: { first?: number | null; after?: string | null },
): Promise<Connection<Group>> {
  const limit = pageSize(page.first);
  const { where, params } = filterSql(filter);
  const sort = sortSql(filter);
  let keyset = '';
  const keysetParams: unknown[] = [];
  if (page.after) {
    const [key, id] = decodeCursor(page.after, 2);
    if (typeof key !== 'number' || typeof id !== 'string') throw badInput('after', 'is not a cursor from this list');
    keyset = `where s.sort_key ${sort.dir === 'asc' ? '>' : '<'} ? or (s.sort_key = ? and s.id > ?)`;
    keysetParams.push(key, key, id);
  }
  const rows: Array<Record<string, unknown>> =
    limit === 0
      ? []
      : await em.execute(
          `select * from (select ${COLUMNS}, ${sort.expr} as sort_key from groups g ${where}) s ${keyset}
           order by s.sort_key ${sort.dir}, s.id limit ?`,
          [...sort.params, ...params, ...keysetParams, limit + 1],
        );
  const keys = new Map<Group, number>();
  const groups = rows.map((row) => {
    const { sort_key, ...columns } = row;
    const group = em.map(Group, columns);
    keys.set(group, Number(sort_key));
    return group;
  });
  const count = async () => {
    const [{ n }] = await em.execute(`select count(*)::int as n from groups g ${where}`, params);
    return n as number;
  };
  return toConnection(groups, limit, (g) => [keys.get(g)!, g.id], count);
}
