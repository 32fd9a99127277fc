import { base64url, jsNumber, list, quoted, viewerCte } from './ceiling-sql-parts.js';

const EARTH_RADIUS_KM = 6371.0088;

/**
 * The contract's ExploreGroups with words and a place, ordered by relevance as the API orders a search, as one
 * statement: $1 the words, $2–$5 the circle's bounding box (south, north, west, east), $6 $7 its centre, $8 its
 * radius in km, $9 the page size, $10 the token's SHA-256 or null. The matches are found once (a CTE read twice: the
 * count and the page); each edge's cursor is the API's (relevance, rank, id). The session is looked up as for any
 * request with a token, though the answer does not depend on it (as in the API and the hand-written ceiling).
 */
export const EXPLORE_GROUPS_SQL = `with ${viewerCte(10)},
hits as (
  select g.id, g.slug, g.name, g.city, g.member_count, g.visibility, ts_rank_cd(g.search, q.q)::float8 as sort_key
  from groups g, websearch_to_tsquery('english', $1) q(q)
  where g.search @@ q.q and g.lat between $2 and $3 and g.lng between $4 and $5
    and (2 * ${EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(g.lat - $6) / 2), 2) + cos(radians($6)) * cos(radians(g.lat))
        * power(sin(radians(g.lng - $7) / 2), 2)))) <= $8),
page as (
  select p.*, row_number() over (order by p.sort_key desc, p.id) as n,
         ${base64url(`'["relevance",' || (${jsNumber('p.sort_key')}) || ',' || ${quoted('p.id')} || ']'`)} as cursor
  from (select * from hits order by sort_key desc, id limit $9 + 1) p)
select json_build_object('data', json_build_object('groups', json_build_object(
  'totalCount', (select count(*)::int from hits),
  'pageInfo', json_build_object('hasNextPage', (select count(*) from page) > $9,
    'endCursor', (select (array_agg(p.cursor order by p.n desc) filter (where p.n <= $9))[1] from page p)),
  'edges', (select ${list(`json_agg(json_build_object('cursor', p.cursor, 'node', json_build_object('id', p.id, 'slug', p.slug, 'name', p.name,
      'city', p.city, 'memberCount', p.member_count, 'visibility', p.visibility,
      'topics', (select ${list(`json_agg(json_build_object('slug', t.slug, 'name', t.name) order by gt.position)`)}
        from group_topics gt join topics t on t.id = gt.topic_id where gt.group_id = p.id))) order by p.n) filter (where p.n <= $9)`)}
    from page p)
)))::text as body
where (select count(*) from viewer) >= 0`;

/** The bounding box of a circle as the API computes it (shared/geo.ts), for circles that cross no pole or antimeridian. */
export function box(near: { lat: number; lng: number; radiusKm: number }): [number, number, number, number] {
  const r = near.radiusKm / EARTH_RADIUS_KM;
  const dLat = (r * 180) / Math.PI;
  const dLng = (Math.asin(Math.sin(r) / Math.cos((near.lat * Math.PI) / 180)) * 180) / Math.PI;
  return [near.lat - dLat, near.lat + dLat, near.lng - dLng, near.lng + dLng];
}
