import { Migration } from '@mikro-orm/migrations';

/**
 * Repairs what a ban racing an RSVP could leave before the two serialized on the membership row: answers of people
 * who are no longer ACTIVE members holding seats or waitlist places at events that have not ended (docs/ARCHITECTURE.md,
 * attendance rule 8). Each such answer becomes NOT_GOING, then each touched waitlist is promoted first in, first out,
 * as seating.ts does; every change counts one attendanceVersion. Open event pages see the new version and refetch.
 */
export const RELEASE_NON_MEMBER_SEATS = `
do $$
declare
  stray record;
  touched uuid[] := '{}';
  ev uuid;
  waiting record;
begin
  for stray in
    select r.id, r.event_id, r.status, r.guests from rsvps r
    join events e on e.id = r.event_id
    left join memberships m on m.group_id = e.group_id and m.user_id = r.user_id
    where r.status in ('GOING', 'WAITLISTED') and e.ends_at > now() and (m.status is null or m.status <> 'ACTIVE')
    order by r.event_id, r.id
  loop
    update events set
      going_count = going_count - case when stray.status = 'GOING' then 1 + stray.guests else 0 end,
      waitlist_count = waitlist_count - case when stray.status = 'WAITLISTED' then 1 else 0 end,
      attendance_version = attendance_version + 1
    where id = stray.event_id;
    update rsvps set status = 'NOT_GOING', guests = 0, waitlisted_at = null, seated_at = null, updated_at = now() where id = stray.id;
    touched := array_append(touched, stray.event_id);
  end loop;
  for ev in select distinct unnest(touched) order by 1 loop
    for waiting in select id, guests from rsvps where event_id = ev and status = 'WAITLISTED' order by waitlisted_at, id loop
      update events set going_count = going_count + 1 + waiting.guests, waitlist_count = waitlist_count - 1,
        attendance_version = attendance_version + 1
      where id = ev and (capacity is null or going_count + 1 + waiting.guests <= capacity);
      if found then
        update rsvps set status = 'GOING', waitlisted_at = null, seated_at = now(), updated_at = now() where id = waiting.id;
      end if;
    end loop;
  end loop;
end $$;
`;

export class Migration2026112903000001_release_non_member_seats extends Migration {
  override async up(): Promise<void> {
    this.addSql(RELEASE_NON_MEMBER_SEATS);
  }

  override async down(): Promise<void> {
    // A repair of data: nothing to undo.
  }
}
