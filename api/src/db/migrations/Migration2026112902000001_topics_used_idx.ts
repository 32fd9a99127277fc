import { Migration } from '@mikro-orm/migrations';

/**
 * `topics` lists the most used topics that some group carries (docs/ARCHITECTURE.md, "Limits"): this partial index
 * holds exactly those, in that order, so the page is read from its start however many unused topics pile up.
 */
export class Migration2026112902000001_topics_used_idx extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index topics_used_idx on topics (group_count desc, name, id) where group_count > 0;');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists topics_used_idx;');
  }
}
