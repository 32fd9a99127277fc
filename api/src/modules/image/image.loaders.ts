import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { query, type Row } from '../../db/read.js';
import { Picture, type VariantInfo } from './image.type.js';

function picture(row: Row): Picture {
  return Object.assign(new Picture(), {
    id: row.id as string,
    width: row.width as number,
    height: row.height as number,
    variants: row.variants as VariantInfo[],
  });
}

/** Covers keyed by owner id: one statement per batch, the picture's bytes left in the database. */
function coverLoader(em: EntityManager, ownerColumn: 'group_id' | 'event_id') {
  const onlyGroups = ownerColumn === 'group_id' ? 'event_id is null and ' : '';
  return new DataLoader<string, Picture | null>(async (ids) => {
    const rows = await query(em, {
      text: `select id, ${ownerColumn} as owner_id, width, height, variants from images where ${onlyGroups}${ownerColumn} = any($1)`,
      values: [ids],
    });
    const byOwner = new Map(rows.map((row) => [row.owner_id as string, picture(row)]));
    return ids.map((id) => byOwner.get(id) ?? null);
  });
}

/** Cover pictures of groups and of events, for `Group.coverImage` and `Event.coverImage`. */
export const imageLoaders = (em: EntityManager) => ({
  coverByGroupId: coverLoader(em, 'group_id'),
  coverByEventId: coverLoader(em, 'event_id'),
});
