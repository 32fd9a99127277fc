import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_initial } from './Migration20261125000000_initial.js';
import { Migration20261126120000_venues_location_idx } from './Migration20261126120000_venues_location_idx.js';
import { Migration20261127000000_rsvp_seated_at } from './Migration20261127000000_rsvp_seated_at.js';
import { Migration20261128000000_threads_discussions_idx } from './Migration20261128000000_threads_discussions_idx.js';
import { Migration2026112906000001_notifications } from './Migration2026112906000001_notifications.js';

/** Every migration in order. Listed statically so that tsc output and vitest load the same classes. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
  { name: 'Migration20261126120000_venues_location_idx', class: Migration20261126120000_venues_location_idx },
  { name: 'Migration20261127000000_rsvp_seated_at', class: Migration20261127000000_rsvp_seated_at },
  { name: 'Migration20261128000000_threads_discussions_idx', class: Migration20261128000000_threads_discussions_idx },
  { name: 'Migration2026112906000001_notifications', class: Migration2026112906000001_notifications },
];
