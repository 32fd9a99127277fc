import { Migration } from '@mikro-orm/migrations';

/** The whole data model (docs/ARCHITECTURE.md, Data model), with the constraints that keep it true even if code were wrong. */
export class Migration20261125000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table users (
  id uuid primary key,
  email text not null check (length(email) between 3 and 320),
  password_hash text not null,
  name text not null check (length(name) between 1 and 100),
  bio text not null default '',
  city text,
  lat double precision check (lat between -90 and 90),
  lng double precision check (lng between -180 and 180),
  created_at timestamptz not null default now()
);
create unique index users_email_lower_key on users (lower(email));

create table sessions (
  id uuid primary key,
  user_id uuid not null references users (id) on delete cascade,
  token_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_id_idx on sessions (user_id);
create index sessions_expires_at_idx on sessions (expires_at);

create table topics (
  id uuid primary key,
  slug text not null unique,
  name text not null,
  group_count integer not null default 0 check (group_count >= 0),
  created_at timestamptz not null default now()
);

create table groups (
  id uuid primary key,
  slug text not null unique,
  name text not null check (length(name) between 1 and 100),
  description text not null,
  city text not null,
  lat double precision not null check (lat between -90 and 90),
  lng double precision not null check (lng between -180 and 180),
  timezone text not null,
  visibility text not null check (visibility in ('PUBLIC', 'PRIVATE')),
  join_mode text not null check (join_mode in ('OPEN', 'APPROVAL')),
  join_question text,
  member_count integer not null default 0 check (member_count >= 0),
  topic_names text not null default '',
  search tsvector generated always as (
    setweight(to_tsvector('english', name), 'A') ||
    setweight(to_tsvector('english', topic_names), 'B') ||
    setweight(to_tsvector('english', description), 'C')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index groups_member_count_idx on groups (member_count desc, id);
create index groups_lat_lng_idx on groups (lat, lng);
create index groups_search_idx on groups using gin (search);

create table group_topics (
  group_id uuid not null references groups (id) on delete cascade,
  topic_id uuid not null references topics (id) on delete cascade,
  position smallint not null,
  primary key (group_id, topic_id)
);
create index group_topics_topic_id_idx on group_topics (topic_id, group_id);

create table memberships (
  id uuid primary key,
  group_id uuid not null references groups (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('ORGANIZER', 'EVENT_ORGANIZER', 'MEMBER')),
  status text not null check (status in ('ACTIVE', 'PENDING', 'REJECTED', 'BANNED')),
  answer text,
  created_at timestamptz not null default now(),
  joined_at timestamptz,
  updated_at timestamptz not null default now(),
  constraint memberships_user_group_key unique (user_id, group_id)
);
create index memberships_group_list_idx on memberships (group_id, status, created_at, id);
create index memberships_group_role_idx on memberships (group_id, role, status, created_at, id);
create index memberships_user_list_idx on memberships (user_id, created_at, id);

create table venues (
  id uuid primary key,
  group_id uuid not null references groups (id) on delete cascade,
  name text not null,
  address text,
  city text,
  lat double precision check (lat between -90 and 90),
  lng double precision check (lng between -180 and 180)
);
create index venues_group_id_idx on venues (group_id);

create table events (
  id uuid primary key,
  group_id uuid not null references groups (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  description text not null default '',
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  venue_id uuid references venues (id) on delete set null,
  online_url text,
  capacity integer check (capacity >= 0),
  guest_limit integer not null default 0 check (guest_limit >= 0),
  status text not null check (status in ('SCHEDULED', 'CANCELLED')),
  created_by_id uuid not null references users (id),
  going_count integer not null default 0 check (going_count >= 0),
  waitlist_count integer not null default 0 check (waitlist_count >= 0),
  attendance_version integer not null default 0 check (attendance_version >= 0),
  search tsvector generated always as (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', description), 'C')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint events_ends_after_start check (ends_at >= starts_at),
  constraint events_going_within_capacity check (capacity is null or going_count <= capacity)
);
create index events_group_starts_idx on events (group_id, starts_at, id);
create index events_group_ends_idx on events (group_id, ends_at, id);
create index events_starts_idx on events (starts_at, id) where status = 'SCHEDULED';
create index events_search_idx on events using gin (search);
create index events_venue_id_idx on events (venue_id);

create table event_hosts (
  event_id uuid not null references events (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (event_id, user_id)
);
create index event_hosts_user_id_idx on event_hosts (user_id);

create table rsvps (
  id uuid primary key,
  event_id uuid not null references events (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  status text not null check (status in ('GOING', 'WAITLISTED', 'NOT_GOING')),
  guests integer not null default 0 check (guests >= 0),
  attended boolean not null default false,
  waitlisted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint rsvps_user_event_key unique (user_id, event_id),
  constraint rsvps_waitlist_has_time check (status <> 'WAITLISTED' or waitlisted_at is not null)
);
create index rsvps_event_going_idx on rsvps (event_id, created_at, id) where status = 'GOING';
create index rsvps_event_waitlist_idx on rsvps (event_id, waitlisted_at, id) where status = 'WAITLISTED';
create index rsvps_event_status_idx on rsvps (event_id, status, created_at, id);

create table threads (
  id uuid primary key,
  group_id uuid not null references groups (id) on delete cascade,
  event_id uuid unique references events (id) on delete cascade,
  title text not null check (length(title) between 1 and 200),
  author_id uuid not null references users (id),
  message_count integer not null default 0 check (message_count >= 0),
  last_message_at timestamptz,
  created_at timestamptz not null default now()
);
create index threads_group_activity_idx on threads (group_id, (coalesce(last_message_at, created_at)) desc, id desc);

create table messages (
  id uuid primary key,
  thread_id uuid not null references threads (id) on delete cascade,
  author_id uuid not null references users (id),
  body text not null check (length(body) <= 4000),
  created_at timestamptz not null default now(),
  edited_at timestamptz,
  deleted boolean not null default false,
  constraint messages_body_present check (deleted or length(body) >= 1)
);
create index messages_thread_created_idx on messages (thread_id, created_at, id);
create index messages_author_id_idx on messages (author_id);

insert into topics (id, slug, name) values
${STARTER_TOPICS.map(([slug, name]) => `  (gen_random_uuid(), '${slug}', '${name}')`).join(',\n')};
`);
  }

  override async down(): Promise<void> {
    this.addSql(
      'drop table if exists messages, threads, rsvps, event_hosts, events, venues, memberships, group_topics, groups, topics, sessions, users cascade;',
    );
  }
}

const STARTER_TOPICS: Array<[string, string]> = [
  ['hiking', 'Hiking'],
  ['tech', 'Tech'],
  ['books', 'Books'],
  ['languages', 'Languages'],
  ['parents', 'Parents'],
  ['running', 'Running'],
  ['board-games', 'Board games'],
  ['photography', 'Photography'],
  ['music', 'Music'],
  ['cooking', 'Cooking'],
  ['cycling', 'Cycling'],
  ['yoga', 'Yoga'],
  ['startups', 'Startups'],
  ['writing', 'Writing'],
  ['film', 'Film'],
  ['volunteering', 'Volunteering'],
  ['art', 'Art'],
  ['dance', 'Dance'],
  ['climbing', 'Climbing'],
  ['gardening', 'Gardening'],
];
