import { Migration } from '@mikro-orm/migrations';

/** Recurring events (docs/ARCHITECTURE.md): a series and its occurrences, one event per slot of its rule. */
export class Migration2026112907000002_event_series extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table event_series (
  id uuid primary key,
  group_id uuid not null references groups (id) on delete cascade,
  rule text not null check (length(rule) between 1 and 500),
  first_starts_at timestamptz not null,
  template jsonb not null,
  generated_through timestamptz not null,
  ends_before timestamptz,
  created_by_id uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now()
);
create index event_series_generated_idx on event_series (generated_through) where ends_before is null;
alter table events add column series_id uuid references event_series (id) on delete set null;
alter table events add column series_slot timestamptz;
create unique index events_series_slot_key on events (series_id, series_slot) where series_id is not null;
`);
  }

  override async down(): Promise<void> {
    this.addSql(`
drop index if exists events_series_slot_key;
alter table events drop column if exists series_slot;
alter table events drop column if exists series_id;
drop table if exists event_series;
`);
  }
}
