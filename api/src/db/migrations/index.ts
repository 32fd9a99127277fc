import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_initial } from './Migration20261125000000_initial.js';
import { Migration20261126120000_venues_location_idx } from './Migration20261126120000_venues_location_idx.js';
import { Migration20261127000000_rsvp_seated_at } from './Migration20261127000000_rsvp_seated_at.js';
import { Migration20261128000000_threads_discussions_idx } from './Migration20261128000000_threads_discussions_idx.js';
import { Migration2026112902000001_topics_used_idx } from './Migration2026112902000001_topics_used_idx.js';
import { Migration2026112903000001_release_non_member_seats } from './Migration2026112903000001_release_non_member_seats.js';
import { Migration2026112906000001_notifications } from './Migration2026112906000001_notifications.js';
import { Migration2026112907000001_capacity_seating_guard } from './Migration2026112907000001_capacity_seating_guard.js';
import { Migration2026112907000002_event_series } from './Migration2026112907000002_event_series.js';
import { Migration2026112908000001_cover_images } from './Migration2026112908000001_cover_images.js';

/** Every migration in order. Listed statically so that tsc output and vitest load the same classes. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
  { name: 'Migration20261126120000_venues_location_idx', class: Migration20261126120000_venues_location_idx },
  { name: 'Migration20261127000000_rsvp_seated_at', class: Migration20261127000000_rsvp_seated_at },
  { name: 'Migration20261128000000_threads_discussions_idx', class: Migration20261128000000_threads_discussions_idx },
  { name: 'Migration2026112902000001_topics_used_idx', class: Migration2026112902000001_topics_used_idx },
  { name: 'Migration2026112903000001_release_non_member_seats', class: Migration2026112903000001_release_non_member_seats },
  { name: 'Migration2026112906000001_notifications', class: Migration2026112906000001_notifications },
  { name: 'Migration2026112907000001_capacity_seating_guard', class: Migration2026112907000001_capacity_seating_guard },
  { name: 'Migration2026112907000002_event_series', class: Migration2026112907000002_event_series },
  { name: 'Migration2026112908000001_cover_images', class: Migration2026112908000001_cover_images },
];
