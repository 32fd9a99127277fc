import { Migration } from '@mikro-orm/migrations';

/** Orders an event's going list by when each person got their seat (a promotion from the waitlist included). */
export class Migration20261127000000_rsvp_seated_at extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table rsvps add column seated_at timestamptz;
update rsvps set seated_at = updated_at where status = 'GOING';
alter table rsvps add constraint rsvps_going_has_seat_time check (status <> 'GOING' or seated_at is not null);
drop index if exists rsvps_event_going_idx;
create index rsvps_event_seated_idx on rsvps (event_id, seated_at, id) where status = 'GOING';
create index rsvps_user_status_idx on rsvps (user_id, status);
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop index if exists rsvps_user_status_idx;
drop index if exists rsvps_event_seated_idx;
create index rsvps_event_going_idx on rsvps (event_id, created_at, id) where status = 'GOING';
alter table rsvps drop constraint if exists rsvps_going_has_seat_time;
alter table rsvps drop column if exists seated_at;
`);
  }
}
