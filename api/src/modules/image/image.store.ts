import { randomUUID } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { query } from '../../db/read.js';
import type { GroupVisibility } from '../group/group.enums.js';
import type { ImageSize } from './image.enums.js';
import type { ProcessedImage } from './image.process.js';
import { Picture } from './image.type.js';

/** Whose cover a picture is: a group's, or an event's (of a group). */
export type CoverOwner = { kind: 'group'; groupId: string } | { kind: 'event'; groupId: string; eventId: string };

/** The owner's row, locked, so two uploads of one cover run one after the other and the last one wins. */
const lockOwner = (trx: Knex.Transaction, owner: CoverOwner) =>
  owner.kind === 'group'
    ? trx.raw('select id from groups where id = ? for no key update', [owner.groupId])
    : trx.raw('select id from events where id = ? for no key update', [owner.eventId]);

const deleteCover = (trx: Knex.Transaction, owner: CoverOwner) =>
  owner.kind === 'group'
    ? trx.raw('delete from images where group_id = ? and event_id is null', [owner.groupId])
    : trx.raw('delete from images where event_id = ?', [owner.eventId]);

/**
 * Makes `image` the owner's cover in one transaction, replacing (deleting) the one before. Bytes go as bound
 * parameters through knex, never inlined into the SQL text.
 */
export async function replaceCover(em: EntityManager, owner: CoverOwner, image: ProcessedImage, uploadedBy: string): Promise<Picture> {
  const id = randomUUID();
  const variants = image.variants.map(({ size, width, height, hash }) => ({ size, width, height, hash }));
  await em.getKnex().transaction(async (trx) => {
    await lockOwner(trx, owner);
    await deleteCover(trx, owner);
    await trx.raw('insert into images (id, group_id, event_id, width, height, variants, uploaded_by) values (?, ?, ?, ?, ?, ?::jsonb, ?)', [
      id,
      owner.groupId,
      owner.kind === 'event' ? owner.eventId : null,
      image.width,
      image.height,
      JSON.stringify(variants),
      uploadedBy,
    ]);
    const rows = image.variants.map(() => '(?, ?, ?, ?, ?)').join(', ');
    await trx.raw(
      `insert into image_variants (image_id, size, content_type, hash, data) values ${rows}`,
      image.variants.flatMap((v) => [id, v.size, v.contentType, v.hash, v.data]),
    );
  });
  return Object.assign(new Picture(), { id, width: image.width, height: image.height, variants });
}

/** Removes the owner's cover, if any; true when there was one. */
export async function removeCover(em: EntityManager, owner: CoverOwner): Promise<boolean> {
  const result = await em.getKnex().transaction(async (trx) => {
    await lockOwner(trx, owner);
    return deleteCover(trx, owner);
  });
  return (result as { rowCount?: number }).rowCount! > 0;
}

/** One stored size of a picture, with what deciding who may see it takes. */
export interface StoredVariant {
  contentType: string;
  hash: string;
  data: Buffer;
  groupId: string;
  visibility: GroupVisibility;
  /** Set for an event's cover. */
  eventId: string | null;
}

/** The stored `size` of picture `imageId` (a uuid), or null. */
export async function findVariant(em: EntityManager, imageId: string, size: ImageSize): Promise<StoredVariant | null> {
  const [row] = await query(em, {
    text: `select v.content_type, v.hash, v.data, i.group_id, i.event_id, g.visibility
           from image_variants v join images i on i.id = v.image_id join groups g on g.id = i.group_id
           where v.image_id = $1 and v.size = $2`,
    values: [imageId, size],
  });
  if (!row) return null;
  return {
    contentType: row.content_type as string,
    hash: row.hash as string,
    data: row.data as Buffer,
    groupId: row.group_id as string,
    visibility: row.visibility as GroupVisibility,
    eventId: (row.event_id as string | null) ?? null,
  };
}
