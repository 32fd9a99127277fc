import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { forbidden, isId, unauthenticated } from '../../shared/errors.js';
import { GroupVisibility } from '../group/group.enums.js';
import type { Group } from '../group/group.entity.js';
import { Membership } from './membership.entity.js';
import { MemberRole, MembershipStatus } from './membership.enums.js';
import { membershipLoaders } from './membership.loaders.js';
import type { Read } from '../../db/read.js';

// A person's standing in a group, decided here and only here (docs/ARCHITECTURE.md, "Who may see and do what").
// Three ways to ask, one rule each: through the request's loaders (HTTP and subscribe), fresh from the database
// (live streams re-checking after a change), and under row locks inside a transaction (RSVPs, membership changes).

/** Roles that manage events (create, update, cancel, mark attendance). */
export const EVENT_MANAGERS = [MemberRole.ORGANIZER, MemberRole.EVENT_ORGANIZER];

/** A standing as the rules read it: the group's visibility and the person's membership (null: none). */
export interface Standing {
  visibility: GroupVisibility | string;
  status: MembershipStatus | string | null;
  role: MemberRole | string | null;
}

/** The rule: anyone sees inside a PUBLIC group; only its ACTIVE members see inside a PRIVATE one. */
export const seesInside = (s: Pick<Standing, 'visibility' | 'status'>): boolean =>
  s.visibility === GroupVisibility.PUBLIC || s.status === MembershipStatus.ACTIVE;

/** The rule: rights of members (and of roles, and hosts) belong to ACTIVE members only. */
export const actsAsMember = (s: Pick<Standing, 'status'>): boolean => s.status === MembershipStatus.ACTIVE;

/** The rule: an ACTIVE member holding one of `roles`. */
export const holdsRole = (s: Pick<Standing, 'status' | 'role'> | null, roles: MemberRole[]): boolean =>
  s !== null && actsAsMember(s) && roles.includes(s.role as MemberRole);

// ---- through the request's loaders (batched, cached for the request)

/** The viewer's membership in a group, or null (batched). */
export function viewerMembership(ctx: Context, groupId: string): Promise<Read<Membership> | null> {
  return ctx.loaders.get(membershipLoaders).viewerByGroupId.load(groupId);
}

/** Whether the viewer is an ACTIVE member of the group. */
export async function isActiveMember(ctx: Context, groupId: string): Promise<boolean> {
  const m = await viewerMembership(ctx, groupId);
  return m !== null && actsAsMember(m);
}

/** Whether the viewer is an ACTIVE member holding one of `roles`. */
export async function hasRole(ctx: Context, groupId: string, roles: MemberRole[]): Promise<boolean> {
  return holdsRole(await viewerMembership(ctx, groupId), roles);
}

/** Whether the viewer may see inside a group: members, events, attendees, threads and messages. */
export async function canSeeInside(ctx: Context, group: Read<Group>): Promise<boolean> {
  // A public group's answer needs no membership: skip reading it.
  const status = group.visibility === GroupVisibility.PUBLIC ? null : ((await viewerMembership(ctx, group.id))?.status ?? null);
  return seesInside({ visibility: group.visibility, status });
}

/** Refuses unless the viewer is an ACTIVE member holding one of `roles`; `action` completes "Only ... can". */
export async function assertRole(ctx: Context, groupId: string, roles: MemberRole[], action: string): Promise<void> {
  if (!ctx.viewer) throw unauthenticated();
  if (!(await hasRole(ctx, groupId, roles))) throw notInRole(roles, action);
}

/** FORBIDDEN for someone who lacks one of `roles`. */
export function notInRole(roles: MemberRole[], action: string) {
  const who = roles.includes(MemberRole.EVENT_ORGANIZER) ? 'organizers and event organizers' : 'organizers';
  return forbidden(`Only the group's ${who} can ${action}.`);
}

/** Refuses unless the viewer is an ACTIVE member (to post, create threads, RSVP). */
export async function assertActiveMember(ctx: Context, groupId: string, action: string): Promise<void> {
  if (!ctx.viewer) throw unauthenticated();
  if (!(await isActiveMember(ctx, groupId))) throw notAMember(action);
}

/** FORBIDDEN for someone who is not an ACTIVE member. */
export const notAMember = (action: string) => forbidden(`Join the group first: only its members can ${action}.`);

// ---- fresh from the database (no request cache): for re-checks long after the request began

/** A person's standing in a group read now, in one query; null when the group does not exist. */
export async function currentStanding(em: EntityManager, groupId: string, userId: string | null): Promise<Standing | null> {
  if (!isId(groupId)) return null;
  const [row]: Standing[] = await em.execute(
    `select g.visibility, m.status, m.role from groups g
     left join memberships m on m.group_id = g.id and m.user_id = ?
     where g.id = ?`,
    [userId, groupId],
  );
  return row ?? null;
}

/** Whether `userId` (null: nobody signed in) may see inside the group right now (live streams' re-check). */
export async function canSeeInsideNow(em: EntityManager, groupId: string, userId: string | null): Promise<boolean> {
  const standing = await currentStanding(em.fork(), groupId, userId);
  return standing !== null && seesInside(standing);
}

// ---- under locks, inside a transaction
//
// Lock order, everywhere: the group's row, then a membership row, then event rows (in id order). Membership
// changes lock the membership row for update before they release the person's seats; an RSVP locks the same row
// for share before it locks its event (a post or a new thread: before it writes its thread). So an RSVP or a post
// and a ban, leave or removal of the same person serialize: the RSVP or post either commits first (and the change
// then releases its seat) or reads the new standing (and is refused). Only that person's own changes wait.

/** The person's standing in the group of `eventId`, holding their membership row FOR SHARE until the commit. */
export async function lockStandingForEvent(em: EntityManager, eventId: string, userId: string): Promise<Pick<Standing, 'status' | 'role'>> {
  if (!isId(eventId)) return { status: null, role: null };
  const [row]: Array<Pick<Standing, 'status' | 'role'>> = await em.execute(
    `select m.status, m.role from events e join memberships m on m.group_id = e.group_id and m.user_id = ?
     where e.id = ? for share of m`,
    [userId, eventId],
  );
  return row ?? { status: null, role: null };
}

/** Refuses unless `userId` is an ACTIVE member of the group, holding their membership row FOR SHARE until the commit. */
export async function lockActiveMember(em: EntityManager, groupId: string, userId: string, action: string): Promise<void> {
  const [row]: Array<Pick<Standing, 'status'>> = await em.execute(
    'select status from memberships where group_id = ? and user_id = ? for share',
    [groupId, userId],
  );
  if (!row || !actsAsMember(row)) throw notAMember(action);
}

/** A membership row locked FOR NO KEY UPDATE and read fresh (the caller holds the group's lock); null when none. */
export async function lockMembership(em: EntityManager, where: { id: string } | { groupId: string; userId: string }): Promise<Membership | null> {
  const [row]: Array<{ id: string }> =
    'id' in where
      ? await em.execute('select id from memberships where id = ? for no key update', [where.id])
      : await em.execute('select id from memberships where group_id = ? and user_id = ? for no key update', [where.groupId, where.userId]);
  return row ? em.findOne(Membership, row.id, { refresh: true }) : null;
}
