import pg from 'pg';
import { loadFixtures } from '../fixtures.js';
import { EVENT_PAGE_SQL } from '../servers/ceiling-sql-event.js';
import { box, EXPLORE_GROUPS_SQL } from '../servers/ceiling-sql-explore.js';
import { GROUP_PAGE_SQL } from '../servers/ceiling-sql-group.js';

// EXPLAIN (ANALYZE, BUFFERS) of the statements behind the hot pages, as Gather sends them, on the benchmark database:
// evidence of where the database time goes; then the one-statement ceiling's three statements (servers/ceiling-sql*.ts),
// signed in. Usage: node dist/tools/explain.js [DATABASE_URL]

const url = process.argv[2] ?? process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/gather_bench';
const pool = new pg.Pool({ connectionString: url, max: 1 });
const f = await loadFixtures(pool, { members: 10, spreadEvents: 10 });
const viewer = f.eventPage.viewer.id;
const event = f.eventPage.eventId;
const group = f.groupPage.groupId;
const { lat, lng } = f.explore.near;
const r = 50 / 6371.0088;
const dLat = (r * 180) / Math.PI;
const dLng = (Math.asin(Math.sin(r) / Math.cos((lat * Math.PI) / 180)) * 180) / Math.PI;
const statements: Array<[string, string, unknown[]]> = [
  ['EventPage: the event with its group, venue, chat, and the viewer\'s membership and RSVP',
    `select e.*, g.id, v.id, t.id, m.id, r.id from events e join groups g on g.id = e.group_id left join venues v on v.id = e.venue_id
     left join threads t on t.event_id = e.id left join memberships m on m.group_id = e.group_id and m.user_id = $1
     left join rsvps r on r.event_id = e.id and r.user_id = $1 where e.id = $2`, [viewer, event]],
  ['EventPage: the first page of people going, with their names',
    `select t.*, j0.name from rsvps t left join users j0 on j0.id = t.user_id where t.event_id = $1 and t.status = 'GOING'
     order by t.seated_at asc, t.id asc limit 21`, [event]],
  ['EventPage: attendees totalCount', `select count(*)::int as n from rsvps t where t.event_id = $1 and t.status = 'GOING'`, [event]],
  ['GroupPage: upcoming events', `select t.* from events t where t.group_id = $1 and t.ends_at > now() order by t.starts_at asc, t.id asc limit 11`, [group]],
  ['GroupPage: upcoming totalCount', `select count(*)::int as n from events t where t.group_id = $1 and t.ends_at > now()`, [group]],
  ['GroupPage: discussions', `select * from threads where group_id = $1 and event_id is null order by coalesce(last_message_at, created_at) desc, id desc limit 11`, [group]],
  ['ExploreGroups: words + place, by relevance',
    `select g.id, ts_rank_cd(g.search, websearch_to_tsquery('english', $1))::float8 as sort_key from groups g
     where g.search @@ websearch_to_tsquery('english', $1) and g.lat between $2 and $3 and g.lng between $4 and $5
     order by sort_key desc, g.id limit 21`, [f.explore.search, lat - dLat, lat + dLat, lng - dLng, lng + dLng]],
  ['One statement: EventPage (hot event)', EVENT_PAGE_SQL, [event, f.eventPage.viewer.tokenHash]],
  ['One statement: GroupPage', GROUP_PAGE_SQL, [f.groupPage.slug, f.groupPage.viewer.tokenHash]],
  ['One statement: ExploreGroups', EXPLORE_GROUPS_SQL,
    [f.explore.search, ...box(f.explore.near), lat, lng, f.explore.near.radiusKm, f.explore.first, f.groupPage.viewer.tokenHash]],
];
for (const [title, sql, params] of statements) {
  const { rows } = await pool.query(`explain (analyze, buffers, costs off) ${sql}`, params);
  console.log(`\n-- ${title}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}`);
}
await pool.end();
