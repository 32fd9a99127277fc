import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { isId } from '../../shared/errors.js';
import { changeableEvent } from '../event/event.service.js';
import { GroupVisibility } from '../group/group.enums.js';
import type { Group } from '../group/group.entity.js';
import { groupById } from '../group/group.service.js';
import { MemberRole } from '../membership/membership.enums.js';
import { assertRole, canSeeInside } from '../membership/membership.policy.js';
import { requireViewer } from '../user/auth.service.js';
import type { ImageSize } from './image.enums.js';
import { processImage } from './image.process.js';
import { findVariant, removeCover, replaceCover, type CoverOwner, type StoredVariant } from './image.store.js';
import type { Picture } from './image.type.js';

/** A group's cover, which only its ORGANIZERs change (the rule of updateGroup). */
export async function groupCoverOwner(ctx: Context, groupId: string): Promise<CoverOwner> {
  const group = await groupById(ctx.em, groupId);
  await assertRole(ctx, group.id, [MemberRole.ORGANIZER], 'change the group’s cover picture');
  return { kind: 'group', groupId: group.id };
}

/** An event's cover, which whoever may change the event changes (the rule of updateEvent). */
export async function eventCoverOwner(ctx: Context, eventId: string): Promise<CoverOwner> {
  const event = await changeableEvent(ctx, eventId, 'change the event’s cover picture');
  return { kind: 'event', groupId: event.group.id, eventId: event.id };
}

/** Checks and resizes an upload, then makes it the owner's cover (replacing the one before). */
export async function uploadCover(ctx: Context, owner: CoverOwner, bytes: Buffer): Promise<Picture> {
  const viewer = requireViewer(ctx);
  await ctx.rateLimits.consume('imageUploadsPerUser', viewer.id);
  const image = await processImage(bytes);
  return replaceCover(ctx.em, owner, image, viewer.id);
}

/** Removes the owner's cover; removing none is fine (idempotent). */
export async function removeCoverOf(ctx: Context, owner: CoverOwner): Promise<void> {
  await removeCover(ctx.em, owner);
}

/**
 * One size of a picture, or null for whoever may not see it. A group's cover is public, as the group's name and
 * description are, even for a private group. An event's cover is seen by those who see the event: anyone for a
 * public group, only active members for a private one (its URL is a random id, and checked as well). `signedIn`
 * (the request's session) is looked up only then.
 */
export async function visibleVariant(
  em: EntityManager,
  signedIn: () => Promise<Context>,
  imageId: string,
  size: ImageSize,
  hash: string,
): Promise<StoredVariant | null> {
  const variant = isId(imageId) ? await findVariant(em, imageId, size) : null;
  if (!variant || variant.hash !== hash) return null;
  if (isPublic(variant)) return variant;
  const group = { id: variant.groupId, visibility: variant.visibility } as Group;
  return (await canSeeInside(await signedIn(), group)) ? variant : null;
}

/** Whether anyone may see this variant (so shared caches may keep it). */
export function isPublic(variant: StoredVariant): boolean {
  return variant.eventId === null || variant.visibility === GroupVisibility.PUBLIC;
}
