import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_initial } from './Migration20261125000000_initial.js';

/** Every migration in order. Listed statically so that tsc output and vitest load the same classes. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000000_initial', class: Migration20261125000000_initial },
];
