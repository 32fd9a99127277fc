import { Migration } from '@mikro-orm/migrations';

/** Lets event discovery find venues near a point with a bounding box (as groups_lat_lng_idx does for groups). */
export class Migration20261126120000_venues_location_idx extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index venues_lat_lng_idx on venues (lat, lng);');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists venues_lat_lng_idx;');
  }
}
