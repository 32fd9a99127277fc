import { Migration } from '@mikro-orm/migrations';

/**
 * Capacity as Meetup has it (docs/ARCHITECTURE.md, attendance): lowering capacity below the people going is allowed
 * and removes nobody, so "going_count <= capacity" no longer holds at every moment. What the database guards
 * instead is that no seat is given beyond capacity: going_count may only grow to at most capacity.
 * capacity_changed_at lets the invariant checker prove that nobody was seated while an event was over capacity.
 */
export class Migration2026112907000001_capacity_seating_guard extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
alter table events drop constraint if exists events_going_within_capacity;
alter table events add column capacity_changed_at timestamptz not null default now();
create or replace function events_no_seat_beyond_capacity() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and new.capacity is distinct from old.capacity then
    new.capacity_changed_at := clock_timestamp();
  end if;
  if new.capacity is not null and new.going_count > new.capacity
     and (tg_op = 'INSERT' or new.going_count > old.going_count) then
    raise exception 'no seat beyond capacity: event % would have % going for a capacity of %', new.id, new.going_count, new.capacity
      using errcode = 'check_violation', constraint = 'events_no_seat_beyond_capacity';
  end if;
  return new;
end
$$;
create trigger events_no_seat_beyond_capacity before insert or update of going_count, capacity on events
  for each row execute function events_no_seat_beyond_capacity();
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop trigger if exists events_no_seat_beyond_capacity on events;
drop function if exists events_no_seat_beyond_capacity();
alter table events drop column if exists capacity_changed_at;
update events set capacity = going_count where capacity is not null and going_count > capacity;
alter table events add constraint events_going_within_capacity check (capacity is null or going_count <= capacity);
`);
  }
}
