import type pg from 'pg';
import { notFound, type Json, type Viewer } from './ceiling-pages.js';

// The ceiling's write side: the RSVP transaction (lock the event row, read the answer, upsert it, move the counts,
// promote the waitlist) and posting a message, in raw SQL through pg, with the answers the API gives.

interface Seat {
  id: string;
  status: 'GOING' | 'WAITLISTED' | 'NOT_GOING';
  guests: number;
  user_id: string;
  waitlistPosition: number | null;
}

/** One attendance change as the EventAttendance subscription shows it. */
export interface AttendanceUpdate {
  version: number;
  event: { id: string; goingCount: number; waitlistCount: number; capacity: number | null; attendanceVersion: number };
  rsvp: { id: string; status: string; guests: number; waitlistPosition: number | null; user: { id: string; name: string } };
}

const badInput = (field: string, message: string) => ({ message, extensions: { code: 'BAD_USER_INPUT', field } });
class Refused extends Error {
  constructor(readonly error: Json) {
    super('refused');
  }
}

/** Answers YES (with guests) or NO for the viewer in one transaction; returns the answer and the changes made. */
export async function rsvp(
  pool: pg.Pool,
  viewer: Viewer,
  vars: { eventId: string; response: 'YES' | 'NO'; guests?: number | null },
): Promise<{ body: { data: Json; errors?: Json[] }; changes: AttendanceUpdate[] }> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query(
      `select e.id, e.group_id, e.capacity, e.guest_limit, e.going_count, e.waitlist_count, e.attendance_version, e.status, e.ends_at,
              g.visibility, m.status as member
       from events e join groups g on g.id = e.group_id left join memberships m on m.group_id = e.group_id and m.user_id = $2
       where e.id = $1 for update of e`,
      [vars.eventId, viewer.id],
    );
    const event = rows[0];
    if (!event || (event.visibility === 'PRIVATE' && event.member !== 'ACTIVE')) throw new Refused(notFound('Event'));
    if (event.member !== 'ACTIVE') throw new Refused({ message: 'Join the group first.', extensions: { code: 'FORBIDDEN' } });
    if (event.status === 'CANCELLED' || event.ends_at.getTime() <= Date.now()) throw new Refused(badInput('eventId', 'RSVPs are closed'));
    const found = await client.query('select id, status, guests from rsvps where event_id = $1 and user_id = $2', [event.id, viewer.id]);
    const current: { id: string; status: Seat['status']; guests: number } | undefined = found.rows[0];
    const free = () => (event.capacity === null ? Infinity : event.capacity - event.going_count);
    const changed: Seat[] = [];
    const record = (seat: Seat) => {
      event.attendance_version += 1;
      changed.push({ ...seat });
      versions.push({ version: event.attendance_version, going: event.going_count, waiting: event.waitlist_count });
    };
    const versions: Array<{ version: number; going: number; waiting: number }> = [];
    const active = current !== undefined && current.status !== 'NOT_GOING';
    let answer: Seat | null = current ? { ...current, user_id: viewer.id, waitlistPosition: null } : null;

    const promote = async () => {
      if (event.waitlist_count === 0 || free() <= 0) return;
      const waiting = await client.query(
        `select id, guests, user_id from rsvps where event_id = $1 and status = 'WAITLISTED' and ($2::int is null or guests < $2)
         order by waitlisted_at, id`,
        [event.id, event.capacity === null ? null : free()],
      );
      for (const w of waiting.rows) {
        if (free() <= 0) break;
        if (1 + w.guests > free()) continue;
        await client.query(`update rsvps set status = 'GOING', waitlisted_at = null, seated_at = clock_timestamp(), updated_at = now() where id = $1`, [w.id]);
        event.waitlist_count -= 1;
        event.going_count += 1 + w.guests;
        record({ id: w.id, status: 'GOING', guests: w.guests, user_id: w.user_id, waitlistPosition: null });
      }
    };

    if (vars.response === 'YES') {
      const guests = vars.guests ?? (active ? current!.guests : 0);
      if (!(active && current!.guests === guests)) {
        if (guests > event.guest_limit) throw new Refused(badInput('guests', `at most ${event.guest_limit} guests per RSVP`));
        if (current?.status === 'GOING') {
          const extra = guests - current.guests;
          if (extra > free()) throw new Refused(badInput('guests', `only ${free()} more seat(s) are free`));
          await client.query('update rsvps set guests = $2, updated_at = now() where id = $1', [current.id, guests]);
          event.going_count += extra;
          answer = { ...answer!, guests };
          record(answer);
          if (extra < 0) await promote();
        } else if (1 + guests <= free()) {
          if (current?.status === 'WAITLISTED') event.waitlist_count -= 1;
          const up = await client.query(
            `insert into rsvps (id, event_id, user_id, status, guests, seated_at) values (gen_random_uuid(), $1, $2, 'GOING', $3, clock_timestamp())
             on conflict (user_id, event_id) do update set status = 'GOING', guests = $3, waitlisted_at = null, seated_at = clock_timestamp(), updated_at = now()
             returning id`,
            [event.id, viewer.id, guests],
          );
          event.going_count += 1 + guests;
          answer = { id: up.rows[0].id, status: 'GOING', guests, user_id: viewer.id, waitlistPosition: null };
          record(answer);
        } else if (current?.status === 'WAITLISTED') {
          await client.query('update rsvps set guests = $2, updated_at = now() where id = $1', [current.id, guests]);
          answer = { ...answer!, guests };
          record(answer);
        } else {
          const up = await client.query(
            `insert into rsvps (id, event_id, user_id, status, guests, waitlisted_at)
             values (gen_random_uuid(), $1, $2, 'WAITLISTED', $3, greatest(clock_timestamp(),
               (select max(waitlisted_at) + interval '1 millisecond' from rsvps where event_id = $1 and status = 'WAITLISTED')))
             on conflict (user_id, event_id) do update set status = 'WAITLISTED', guests = $3, seated_at = null, updated_at = now(),
               waitlisted_at = excluded.waitlisted_at
             returning id`,
            [event.id, viewer.id, guests],
          );
          event.waitlist_count += 1;
          answer = { id: up.rows[0].id, status: 'WAITLISTED', guests, user_id: viewer.id, waitlistPosition: null };
          record(answer);
        }
      }
    } else if (current?.status !== 'NOT_GOING') {
      const wasGoing = current?.status === 'GOING';
      if (wasGoing) event.going_count -= 1 + current!.guests;
      if (current?.status === 'WAITLISTED') event.waitlist_count -= 1;
      const up = await client.query(
        `insert into rsvps (id, event_id, user_id, status, guests) values (gen_random_uuid(), $1, $2, 'NOT_GOING', 0)
         on conflict (user_id, event_id) do update set status = 'NOT_GOING', guests = 0, waitlisted_at = null, seated_at = null, updated_at = now()
         returning id`,
        [event.id, viewer.id],
      );
      answer = { id: up.rows[0].id, status: 'NOT_GOING', guests: 0, user_id: viewer.id, waitlistPosition: null };
      record(answer);
      if (wasGoing) await promote();
    }
    if (changed.length > 0) {
      await client.query('update events set going_count = $2, waitlist_count = $3, attendance_version = $4, updated_at = now() where id = $1', [
        event.id, event.going_count, event.waitlist_count, event.attendance_version,
      ]);
    }
    const waitlisted = changed.filter((c) => c.status === 'WAITLISTED').map((c) => c.id);
    const positions = new Map<string, number>();
    if (waitlisted.length > 0 || answer?.status === 'WAITLISTED') {
      const ids = [...new Set([...waitlisted, answer!.id])];
      const placed = await client.query(
        `select id, position::int from (select id, row_number() over (order by waitlisted_at, id) as position
           from rsvps where event_id = $1 and status = 'WAITLISTED') w where id = any($2)`,
        [event.id, ids],
      );
      for (const row of placed.rows) positions.set(row.id, row.position);
    }
    const userIds = [...new Set(changed.map((c) => c.user_id))];
    const names = new Map<string, string>(
      userIds.length ? (await client.query('select id, name from users where id = any($1)', [userIds])).rows.map((r) => [r.id, r.name]) : [],
    );
    await client.query('commit');
    const counts = { id: event.id, goingCount: event.going_count, waitlistCount: event.waitlist_count, attendanceVersion: event.attendance_version };
    const changes = changed.map((c, i) => ({
      version: versions[i].version,
      event: { id: event.id, goingCount: versions[i].going, waitlistCount: versions[i].waiting, capacity: event.capacity, attendanceVersion: versions[i].version },
      rsvp: { id: c.id, status: c.status, guests: c.guests, waitlistPosition: positions.get(c.id) ?? null, user: { id: c.user_id, name: names.get(c.user_id) ?? '' } },
    }));
    const body = answer
      ? { data: { rsvp: { id: answer.id, status: answer.status, guests: answer.guests, waitlistPosition: positions.get(answer.id) ?? null, event: counts } } }
      : { data: { rsvp: null } };
    return { body, changes };
  } catch (error) {
    await client.query('rollback');
    if (error instanceof Refused) return { body: { data: { rsvp: null }, errors: [error.error] }, changes: [] };
    throw error;
  } finally {
    client.release();
  }
}

/** One message as the ThreadActivity subscription shows it. */
export interface ThreadUpdate {
  kind: 'POSTED';
  message: { id: string; body: string; createdAt: string; editedAt: null; deleted: false; author: { id: string; name: string } };
  thread: { id: string; messageCount: number; lastMessageAt: string };
}

/** Posts a message (active members only): the thread's count moves by one atomic UPDATE in the same transaction. */
export async function postMessage(pool: pg.Pool, viewer: Viewer, vars: { threadId: string; body: string }): Promise<{ body: { data: Json; errors?: Json[] }; update: ThreadUpdate | null }> {
  const client = await pool.connect();
  try {
    const allowed = await client.query(
      `select m.status from threads t join memberships m on m.group_id = t.group_id and m.user_id = $2 where t.id = $1`,
      [vars.threadId, viewer.id],
    );
    if (allowed.rows[0]?.status !== 'ACTIVE') return { body: { data: { postMessage: null }, errors: [notFound('Thread')] }, update: null };
    await client.query('begin');
    const now = new Date();
    const thread = await client.query(
      `update threads set message_count = message_count + 1, last_message_at = greatest(last_message_at, $1::timestamptz) where id = $2
       returning message_count, last_message_at`,
      [now, vars.threadId],
    );
    const message = await client.query(
      `insert into messages (id, thread_id, author_id, body, created_at) values (gen_random_uuid(), $1, $2, $3, $4) returning id`,
      [vars.threadId, viewer.id, vars.body, now],
    );
    await client.query('commit');
    const author = { id: viewer.id, name: viewer.name };
    const id = message.rows[0].id;
    return {
      body: { data: { postMessage: { id, body: vars.body, createdAt: now.toISOString(), author } } },
      update: {
        kind: 'POSTED',
        message: { id, body: vars.body, createdAt: now.toISOString(), editedAt: null, deleted: false, author },
        thread: { id: vars.threadId, messageCount: thread.rows[0].message_count, lastMessageAt: thread.rows[0].last_message_at.toISOString() },
      },
    };
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
