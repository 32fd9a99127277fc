import { Migration } from '@mikro-orm/migrations';

/**
 * A group page lists the group's discussions (threads without an event), most recently active first, and counts
 * them. threads_group_activity_idx holds every thread of the group, event chats included (a popular group has
 * hundreds), all read and filtered away on each page; this partial index holds the discussions alone (bench: GroupPage).
 */
export class Migration20261128000000_threads_discussions_idx extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create index threads_group_discussions_idx on threads (group_id, (coalesce(last_message_at, created_at)) desc, id desc) where event_id is null;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists threads_group_discussions_idx;');
  }
}
