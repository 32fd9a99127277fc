import { Migration } from '@mikro-orm/migrations';

/**
 * Cover images of groups and events, stored in PostgreSQL (docs/ARCHITECTURE.md, Pictures): every API process behind
 * the load balancer shares only the database, so an image uploaded through one is served by all. `images` holds one
 * row per cover (its variants' sizes and content hashes, read by the GraphQL loaders), `image_variants` the bytes.
 */
export class Migration2026112908000001_cover_images extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create table images (
  id uuid primary key,
  group_id uuid not null references groups (id) on delete cascade,
  event_id uuid references events (id) on delete cascade,
  width integer not null check (width > 0),
  height integer not null check (height > 0),
  variants jsonb not null,
  uploaded_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create unique index images_group_cover_key on images (group_id) where event_id is null;
create unique index images_event_cover_key on images (event_id) where event_id is not null;
create table image_variants (
  image_id uuid not null references images (id) on delete cascade,
  size text not null,
  content_type text not null,
  hash text not null,
  data bytea not null,
  primary key (image_id, size)
);
alter table image_variants alter column data set storage external;
`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists image_variants; drop table if exists images;');
  }
}
