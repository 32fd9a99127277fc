import type { Pool, PoolClient } from 'pg';

/**
 * The invariants of docs/ARCHITECTURE.md (Attendance rules, Invariants) that the denormalized counts and CHECK constraints stand for, as queries returning
 * the count of rows that break each. The generator checks the whole dataset once; the RSVP scenarios check the
 * events they touched.
 */
const CHECKS: Array<{ rule: string; sql: (events: string) => string }> = [
  {
    rule: 'goingCount = heads of GOING RSVPs',
    sql: (events) => `select count(*) as n from (select e.id from events e left join rsvps r on r.event_id = e.id where ${events}
      group by e.id having e.going_count <> coalesce(sum(1 + r.guests) filter (where r.status = 'GOING'), 0)) x`,
  },
  {
    rule: 'waitlistCount = WAITLISTED RSVPs',
    sql: (events) => `select count(*) as n from (select e.id from events e left join rsvps r on r.event_id = e.id where ${events}
      group by e.id having e.waitlist_count <> count(r.id) filter (where r.status = 'WAITLISTED')) x`,
  },
  {
    rule: 'goingCount ≤ capacity (no oversell)',
    sql: (events) => `select count(*) as n from events e where ${events} and e.capacity is not null and e.going_count > e.capacity`,
  },
  {
    rule: 'heads of GOING RSVPs ≤ capacity (no oversell)',
    sql: (events) => `select count(*) as n from (select e.id from events e join rsvps r on r.event_id = e.id and r.status = 'GOING'
      where ${events} and e.capacity is not null group by e.id having sum(1 + r.guests) > min(e.capacity)) x`,
  },
  {
    rule: 'a waitlisted party that fits in the free seats is promoted',
    sql: (events) => `select count(*) as n from rsvps r join events e on e.id = r.event_id
      where ${events} and r.status = 'WAITLISTED' and (e.capacity is null or 1 + r.guests <= e.capacity - e.going_count)`,
  },
  {
    rule: 'GOING RSVPs have seated_at, WAITLISTED ones waitlisted_at',
    sql: (events) => `select count(*) as n from rsvps r join events e on e.id = r.event_id where ${events}
      and ((r.status = 'GOING' and r.seated_at is null) or (r.status = 'WAITLISTED' and r.waitlisted_at is null))`,
  },
  {
    rule: 'attendanceVersion ≥ RSVP rows',
    sql: (events) => `select count(*) as n from (select e.id from events e left join rsvps r on r.event_id = e.id where ${events}
      group by e.id having e.attendance_version < count(r.id)) x`,
  },
];

const WHOLE_DATABASE_CHECKS: Array<{ rule: string; sql: string }> = [
  {
    rule: 'memberCount = ACTIVE memberships',
    sql: `select count(*) as n from (select g.id from groups g left join memberships m on m.group_id = g.id
      group by g.id having g.member_count <> count(m.id) filter (where m.status = 'ACTIVE')) x`,
  },
  {
    rule: 'topic groupCount = groups tagged with it',
    sql: `select count(*) as n from (select t.id from topics t left join group_topics gt on gt.topic_id = t.id
      group by t.id having t.group_count <> count(gt.group_id)) x`,
  },
  {
    rule: 'messageCount and lastMessageAt match the messages',
    sql: `select count(*) as n from (select t.id from threads t left join messages m on m.thread_id = t.id
      group by t.id having t.message_count <> count(m.id) or t.last_message_at is distinct from max(m.created_at)) x`,
  },
];

/** Counts of rows breaking each invariant, for `eventIds` (every event when null); empty when all hold. */
export async function attendanceViolations(db: Pool | PoolClient, eventIds: string[] | null): Promise<Record<string, number>> {
  const where = eventIds === null ? 'true' : 'e.id = any($1::uuid[])';
  const params = eventIds === null ? [] : [eventIds];
  const broken: Record<string, number> = {};
  for (const check of CHECKS) {
    const n = Number((await db.query(check.sql(where), params)).rows[0].n);
    if (n > 0) broken[check.rule] = n;
  }
  return broken;
}

/** Every invariant over the whole database. */
export async function datasetViolations(db: Pool | PoolClient): Promise<Record<string, number>> {
  const broken = await attendanceViolations(db, null);
  for (const check of WHOLE_DATABASE_CHECKS) {
    const n = Number((await db.query(check.sql)).rows[0].n);
    if (n > 0) broken[check.rule] = n;
  }
  return broken;
}
