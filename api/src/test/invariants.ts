import type { TestApi } from './api.js';
import { sql } from './factories.js';

/** Runs one SQL statement (`?` placeholders) and returns its rows: a TestApi's database, a pg client, anything. */
export type SqlRunner = (query: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** A TestApi's database as a SqlRunner. */
export const sqlOf =
  (t: TestApi): SqlRunner =>
  (query, params = []) =>
    sql(t, query, params);

/**
 * Each invariant of docs/ARCHITECTURE.md (Invariants) as a query that returns the rows breaking it, and how to say so.
 * A correct database returns no row for any of them, whatever crashed, raced or was killed midway.
 */
const CHECKS: Array<{ rule: string; query: string; describe: (row: Record<string, any>) => string }> = [
  {
    rule: 'goingCount = heads (guests included) of GOING RSVPs',
    query: `select e.id, e.going_count, coalesce(sum(1 + r.guests) filter (where r.status = 'GOING'), 0)::int as heads
            from events e left join rsvps r on r.event_id = e.id
            group by e.id having e.going_count <> coalesce(sum(1 + r.guests) filter (where r.status = 'GOING'), 0)`,
    describe: (r) => `event ${r.id}: goingCount ${r.going_count}, but GOING RSVPs hold ${r.heads} heads`,
  },
  {
    rule: 'waitlistCount = number of WAITLISTED RSVPs',
    query: `select e.id, e.waitlist_count, count(r.id) filter (where r.status = 'WAITLISTED')::int as waiting
            from events e left join rsvps r on r.event_id = e.id
            group by e.id having e.waitlist_count <> count(r.id) filter (where r.status = 'WAITLISTED')`,
    describe: (r) => `event ${r.id}: waitlistCount ${r.waitlist_count}, but ${r.waiting} RSVPs are WAITLISTED`,
  },
  {
    // Lowering capacity may leave more going than it allows (nobody is removed); then nobody may be seated
    // until the count is back under it: an event over capacity holds no seat given since its capacity changed.
    rule: 'no seat is given beyond capacity',
    query: `select e.id, e.going_count, e.capacity, count(r.id)::int as seated_since from events e
            join rsvps r on r.event_id = e.id and r.status = 'GOING' and r.seated_at > e.capacity_changed_at
            where e.capacity is not null and e.going_count > e.capacity
            group by e.id`,
    describe: (r) => `event ${r.id}: ${r.going_count} going over a capacity of ${r.capacity}, ${r.seated_since} of them seated since it was set`,
  },
  {
    rule: 'the waitlist has one strict order (no two places share a time) and only WAITLISTED RSVPs hold a place',
    query: `select event_id, waitlisted_at, count(*)::int as n from rsvps where status = 'WAITLISTED'
            group by event_id, waitlisted_at having count(*) > 1
            union all
            select event_id, waitlisted_at, 1 from rsvps where status <> 'WAITLISTED' and waitlisted_at is not null`,
    describe: (r) => `event ${r.event_id}: waitlist place at ${new Date(r.waitlisted_at).toISOString()} held ${r.n > 1 ? `by ${r.n} RSVPs` : 'by an RSVP not waitlisted'}`,
  },
  {
    rule: 'a waitlisted party that fits in the free seats is promoted (rule 4)',
    query: `select r.id, r.event_id, r.guests, e.capacity, e.going_count from rsvps r join events e on e.id = r.event_id
            where r.status = 'WAITLISTED' and (e.capacity is null or 1 + r.guests <= e.capacity - e.going_count)`,
    describe: (r) => `event ${r.event_id}: RSVP ${r.id} (${1 + r.guests} heads) waits although ${r.capacity === null ? 'capacity is unlimited' : `${r.capacity - r.going_count} seats are free`}`,
  },
  {
    rule: 'GOING RSVPs have a seat time; NOT_GOING ones bring no guests',
    query: `select id, event_id, status from rsvps where (status = 'GOING' and seated_at is null) or (status = 'NOT_GOING' and guests <> 0)`,
    describe: (r) => `event ${r.event_id}: ${r.status} RSVP ${r.id} ${r.status === 'GOING' ? 'has no seat time' : 'still brings guests'}`,
  },
  {
    rule: 'attendanceVersion counts every change: at least one per RSVP row',
    query: `select e.id, e.attendance_version, count(r.id)::int as rsvps from events e left join rsvps r on r.event_id = e.id
            group by e.id having e.attendance_version < count(r.id)`,
    describe: (r) => `event ${r.id}: attendanceVersion ${r.attendance_version} below its ${r.rsvps} RSVPs`,
  },
  {
    rule: 'only ACTIVE members hold seats or waitlist places at events that have not ended',
    query: `select r.id, r.event_id, r.user_id, r.status from rsvps r join events e on e.id = r.event_id
            left join memberships m on m.group_id = e.group_id and m.user_id = r.user_id
            where r.status in ('GOING', 'WAITLISTED') and e.ends_at > now() and (m.status is null or m.status <> 'ACTIVE')`,
    describe: (r) => `event ${r.event_id}: ${r.status} RSVP ${r.id} of ${r.user_id}, who is not an active member`,
  },
  {
    rule: 'memberCount = ACTIVE memberships',
    query: `select g.id, g.member_count, count(m.id) filter (where m.status = 'ACTIVE')::int as active
            from groups g left join memberships m on m.group_id = g.id
            group by g.id having g.member_count <> count(m.id) filter (where m.status = 'ACTIVE')`,
    describe: (r) => `group ${r.id}: memberCount ${r.member_count}, but ${r.active} ACTIVE memberships`,
  },
  {
    rule: 'every group keeps an ACTIVE organizer and at most ten topics',
    query: `select g.id, count(distinct m.id)::int as organizers, count(distinct gt.topic_id)::int as topics from groups g
            left join memberships m on m.group_id = g.id and m.role = 'ORGANIZER' and m.status = 'ACTIVE'
            left join group_topics gt on gt.group_id = g.id
            group by g.id having count(distinct m.id) = 0 or count(distinct gt.topic_id) > 10`,
    describe: (r) => `group ${r.id}: ${r.organizers} active organizers, ${r.topics} topics`,
  },
  {
    rule: 'topic groupCount = groups tagged with it',
    query: `select t.slug, t.group_count, count(gt.group_id)::int as tagged from topics t left join group_topics gt on gt.topic_id = t.id
            group by t.id having t.group_count <> count(gt.group_id)`,
    describe: (r) => `topic ${r.slug}: groupCount ${r.group_count}, but ${r.tagged} groups have it`,
  },
  {
    rule: 'messageCount = messages rows (deleted ones too); lastMessageAt = the newest message',
    query: `select t.id, t.message_count, t.last_message_at, count(m.id)::int as messages, max(m.created_at) as newest
            from threads t left join messages m on m.thread_id = t.id
            group by t.id having t.message_count <> count(m.id) or t.last_message_at is distinct from max(m.created_at)`,
    describe: (r) => `thread ${r.id}: messageCount ${r.message_count} / lastMessageAt ${r.last_message_at?.toISOString?.() ?? r.last_message_at}, but ${r.messages} messages, newest ${r.newest?.toISOString?.() ?? r.newest}`,
  },
  {
    rule: 'a deleted message keeps no body',
    query: `select id, thread_id from messages where deleted and body <> ''`,
    describe: (r) => `thread ${r.thread_id}: deleted message ${r.id} still has a body`,
  },
  {
    rule: 'every event has its own thread in its group, and a host',
    query: `select e.id, count(distinct t.id)::int as threads, count(distinct h.user_id)::int as hosts from events e
            left join threads t on t.event_id = e.id and t.group_id = e.group_id
            left join event_hosts h on h.event_id = e.id
            group by e.id having count(distinct t.id) <> 1 or count(distinct h.user_id) = 0`,
    describe: (r) => `event ${r.id}: ${r.threads} threads of its own, ${r.hosts} hosts`,
  },
];

/**
 * Every invariant of docs/ARCHITECTURE.md checked against the whole database: the list of violations, empty when all hold.
 * Events put in by `insertEvent` (no thread, no host) break the last check: use it on data made through the API.
 */
export async function checkInvariants(run: SqlRunner): Promise<string[]> {
  const violations: string[] = [];
  for (const check of CHECKS) {
    const rows = await run(check.query);
    for (const row of rows) violations.push(`${check.rule} — ${check.describe(row)}`);
  }
  return violations;
}
