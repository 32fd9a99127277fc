import { Migration } from '@mikro-orm/migrations';

/**
 * Notifications (one per person, kind and subject: a job that runs twice writes nothing new), per-kind settings,
 * password-reset tokens, and the secret that signs unsubscribe links. The job queue's own tables (schema pgboss)
 * are installed by pg-boss itself at start (jobs/runner.ts).
 */
export class Migration2026112906000001_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table notifications (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  subject text not null,
  group_id uuid references groups (id) on delete cascade,
  event_id uuid references events (id) on delete cascade,
  title text not null,
  body text not null,
  url text not null,
  in_app boolean not null default true,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  email_claimed_at timestamptz,
  email_sent_at timestamptz,
  constraint notifications_once unique (user_id, kind, subject)
);
create index notifications_list_idx on notifications (user_id, created_at desc, id desc) where in_app;
create index notifications_unread_idx on notifications (user_id) where in_app and read_at is null;

create table notification_settings (
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  in_app boolean not null,
  email boolean not null,
  primary key (user_id, kind)
);

create table password_resets (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  token_hash text unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  used_at timestamptz
);
create index password_resets_user_idx on password_resets (user_id, created_at);

create table signing_keys (
  name text primary key,
  secret text not null
);
insert into signing_keys (name, secret) values ('email-links', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists signing_keys; drop table if exists password_resets; drop table if exists notification_settings; drop table if exists notifications;');
  }
}
