import type { Context } from '../../server/context.js';
import { forbidden, unauthenticated } from '../../shared/errors.js';
import { GroupVisibility } from '../group/group.enums.js';
import type { Group } from '../group/group.entity.js';
import { Membership } from './membership.entity.js';
import { MemberRole, MembershipStatus } from './membership.enums.js';
import { membershipLoaders } from './membership.loaders.js';

/** Roles that manage events (create, update, cancel, mark attendance). */
export const EVENT_MANAGERS = [MemberRole.ORGANIZER, MemberRole.EVENT_ORGANIZER];

/** The viewer's membership in a group, or null (batched). */
export function viewerMembership(ctx: Context, groupId: string): Promise<Membership | null> {
  return ctx.loaders.get(membershipLoaders).viewerByGroupId.load(groupId);
}

/** Whether the viewer is an ACTIVE member of the group. */
export async function isActiveMember(ctx: Context, groupId: string): Promise<boolean> {
  return (await viewerMembership(ctx, groupId))?.status === MembershipStatus.ACTIVE;
}

/** Whether the viewer is an ACTIVE member holding one of `roles`. */
export async function hasRole(ctx: Context, groupId: string, roles: MemberRole[]): Promise<boolean> {
  const m = await viewerMembership(ctx, groupId);
  return m?.status === MembershipStatus.ACTIVE && roles.includes(m.role);
}

/** Whether the viewer may see inside a group: members, events, attendees, threads and messages. */
export async function canSeeInside(ctx: Context, group: Group): Promise<boolean> {
  return group.visibility === GroupVisibility.PUBLIC || isActiveMember(ctx, group.id);
}

/** Refuses unless the viewer is an ACTIVE member holding one of `roles`; `action` completes "Only ... can". */
export async function assertRole(ctx: Context, groupId: string, roles: MemberRole[], action: string): Promise<void> {
  if (!ctx.viewer) throw unauthenticated();
  if (!(await hasRole(ctx, groupId, roles))) {
    const who = roles.includes(MemberRole.EVENT_ORGANIZER) ? 'organizers and event organizers' : 'organizers';
    throw forbidden(`Only the group's ${who} can ${action}.`);
  }
}

/** Refuses unless the viewer is an ACTIVE member (to post, create threads, RSVP). */
export async function assertActiveMember(ctx: Context, groupId: string, action: string): Promise<void> {
  if (!ctx.viewer) throw unauthenticated();
  if (!(await isActiveMember(ctx, groupId))) throw forbidden(`Join the group first: only its members can ${action}.`);
}
