import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { badInput, forbidden, isId, notFound } from '../../shared/errors.js';
import { Group } from '../group/group.entity.js';
import { JoinMode } from '../group/group.enums.js';
import { requireViewer } from '../user/auth.service.js';
import { User } from '../user/user.entity.js';
import { Membership } from './membership.entity.js';
import { MemberRole, MembershipStatus } from './membership.enums.js';
import { assertRole, holdsRole, lockMembership, notInRole } from './membership.policy.js';
import { publishAttendance, type AttendanceChange } from '../rsvp/attendance.live.js';
import { publishAccessChange } from './access.live.js';
import { releaseMemberRsvps } from '../rsvp/seating.js';
import { NotificationKind } from '../notification/notification.enums.js';
import { notifyLater } from '../notification/notify.js';

// Every change of membership locks its group's row first, so member counts and the
// "at least one organizer" rule hold however many requests race on one group; then the membership row itself
// (membership.policy.ts, lockMembership), which RSVPs hold for share: a ban and the person's RSVP serialize.
// Reads after the lock refresh: a transaction's fork shares the request's identity map, whose copies may be stale.
// The lock is FOR NO KEY UPDATE, not FOR UPDATE: it serializes membership changes just as well, but lets
// foreign-key checks (FOR KEY SHARE) through. An RSVP that updates its event row twice re-checks the event's
// group key while holding the event's lock; under FOR UPDATE it would wait for a member who is leaving, while
// that member's transaction waits for the event's lock to release their seat: a deadlock.
async function lockGroup(em: EntityManager, groupId: string): Promise<Group> {
  const locked: unknown[] = isId(groupId) ? await em.execute('select id from groups where id = ? for no key update', [groupId]) : [];
  if (locked.length === 0) throw notFound('Group');
  return em.findOneOrFail(Group, groupId, { refresh: true });
}

async function assertNotLastOrganizer(em: EntityManager, m: Membership, action: string) {
  if (m.role !== MemberRole.ORGANIZER || m.status !== MembershipStatus.ACTIVE) return;
  const organizers = await em.count(Membership, { group: m.group, role: MemberRole.ORGANIZER, status: MembershipStatus.ACTIVE });
  if (organizers <= 1) throw forbidden(`A group needs an organizer: make someone else an organizer before you ${action}.`);
}

function activate(group: Group, m: Membership) {
  m.status = MembershipStatus.ACTIVE;
  m.joinedAt = new Date();
  group.memberCount += 1;
}

/** Joins an OPEN group at once, or asks to join an APPROVAL group (PENDING). Banned people cannot. */
export async function joinGroup(ctx: Context, groupId: string, answer: string | null | undefined): Promise<Membership> {
  const viewer = requireViewer(ctx);
  if (answer != null && answer.length > 1000) throw badInput('answer', 'must be at most 1,000 characters');
  const m = await ctx.em.transactional(async (em) => {
    const group = await lockGroup(em, groupId);
    let m = await em.findOne(Membership, { group, user: viewer.id }, { refresh: true });
    if (m?.status === MembershipStatus.BANNED) throw forbidden('You were banned from this group and cannot join it again.');
    if (m?.status === MembershipStatus.ACTIVE || m?.status === MembershipStatus.PENDING) return m;
    const needsAnswer = group.joinMode === JoinMode.APPROVAL && group.joinQuestion;
    if (needsAnswer && !answer?.trim()) throw badInput('answer', `this group asks: "${group.joinQuestion}"`);
    m ??= em.create(Membership, { group, user: em.getReference(User, viewer.id), role: MemberRole.MEMBER });
    m.answer = answer?.trim() || null;
    if (group.joinMode === JoinMode.OPEN) activate(group, m);
    else m.status = MembershipStatus.PENDING;
    if (m.status === MembershipStatus.PENDING) await notifyLater(em, NotificationKind.JOIN_REQUESTED, m.id, viewer.id);
    return m;
  });
  return ctx.em.merge(m);
}

/** Leaves a group, or withdraws a request; false when there was nothing to leave. The last organizer cannot. */
export async function leaveGroup(ctx: Context, groupId: string): Promise<boolean> {
  const viewer = requireViewer(ctx);
  const left = await ctx.em.transactional(async (em) => {
    const group = await lockGroup(em, groupId);
    const m = await lockMembership(em, { groupId: group.id, userId: viewer.id });
    if (!m || m.status === MembershipStatus.BANNED) return null;
    await assertNotLastOrganizer(em, m, 'leave');
    const released = await endMembership(em, group, m);
    em.remove(m);
    return { groupId: group.id, released };
  });
  if (left) afterMemberGone(ctx, left.groupId, viewer.id, left.released);
  return left !== null;
}

/** An active member stops being one: the count drops and their seats at upcoming events are freed. */
async function endMembership(em: EntityManager, group: Group, m: Membership): Promise<AttendanceChange[]> {
  if (m.status !== MembershipStatus.ACTIVE) return [];
  group.memberCount -= 1;
  return releaseMemberRsvps(em, group.id, m.user.id);
}

/** After the commit: waitlists moved, and live streams of the group re-check this person's access. */
function afterMemberGone(ctx: Context, groupId: string, userId: string, released: AttendanceChange[]) {
  publishAttendance(ctx.live, released);
  publishAccessChange(ctx.live, { groupId, userId });
}

/**
 * Runs `change` for an organizer of the group, in one transaction holding the group's lock. The first check
 * runs before the transaction, on the request's own EntityManager and loaders (inside it they would need a
 * second connection, and the embedded database has one); after the lock the viewer's role is read afresh,
 * so a request that raced with another sees its outcome.
 */
async function asOrganizer<T>(ctx: Context, groupId: string, action: string, change: (em: EntityManager, group: Group) => Promise<T> | T): Promise<T> {
  await assertRole(ctx, groupId, [MemberRole.ORGANIZER], action);
  return ctx.em.transactional(async (em) => {
    const group = await lockGroup(em, groupId);
    const mine = await em.findOne(Membership, { group, user: requireViewer(ctx).id }, { refresh: true });
    if (!holdsRole(mine, [MemberRole.ORGANIZER])) throw notInRole([MemberRole.ORGANIZER], action);
    return change(em, group);
  });
}

/** Runs `change` on a membership (locked, read fresh) for an organizer of its group; see asOrganizer. */
async function onMembership<T>(
  ctx: Context,
  membershipId: string,
  action: string,
  change: (em: EntityManager, group: Group, m: Membership) => Promise<T> | T,
): Promise<T> {
  const found = isId(membershipId) ? await ctx.em.findOne(Membership, membershipId) : null;
  if (!found) throw notFound('Membership');
  return asOrganizer(ctx, found.group.id, action, async (em, group) => {
    const m = await lockMembership(em, { id: membershipId });
    if (!m) throw notFound('Membership');
    return change(em, group, m);
  });
}

/** Approves (ACTIVE) or rejects (REJECTED, may ask again) a PENDING request. ORGANIZER only. */
export async function reviewMembership(ctx: Context, membershipId: string, approve: boolean): Promise<Membership> {
  const m = await onMembership(ctx, membershipId, 'review requests to join', async (em, group, m) => {
    if (m.status !== MembershipStatus.PENDING) throw badInput('membershipId', `only pending requests can be reviewed; this one is ${m.status}`);
    if (approve) activate(group, m);
    else m.status = MembershipStatus.REJECTED;
    await notifyLater(em, approve ? NotificationKind.MEMBERSHIP_APPROVED : NotificationKind.MEMBERSHIP_REJECTED, m.id, requireViewer(ctx).id);
    return m;
  });
  return ctx.em.merge(m);
}

/** Gives an ACTIVE member a role. ORGANIZER only; the last organizer cannot be demoted. */
export async function setMemberRole(ctx: Context, membershipId: string, role: MemberRole): Promise<Membership> {
  const m = await onMembership(ctx, membershipId, 'change roles', async (em, _group, m) => {
    if (m.status !== MembershipStatus.ACTIVE) throw badInput('membershipId', 'only active members can be given a role');
    if (role !== MemberRole.ORGANIZER) await assertNotLastOrganizer(em, m, 'step down');
    m.role = role;
    return m;
  });
  return ctx.em.merge(m);
}

/** Bars a membership (locked) from the group: an active member's seats at upcoming events are released. */
async function ban(em: EntityManager, group: Group, m: Membership) {
  await assertNotLastOrganizer(em, m, 'ban them');
  const released = await endMembership(em, group, m);
  m.status = MembershipStatus.BANNED;
  m.role = MemberRole.MEMBER;
  m.joinedAt = null;
  return { groupId: group.id, userId: m.user.id, released };
}

/**
 * Removes a member or a request; with `ban` they cannot join again. Removing a BANNED
 * membership without `ban` lifts the ban. ORGANIZER only; never the last organizer.
 */
export async function removeMember(ctx: Context, membershipId: string, banned: boolean): Promise<boolean> {
  const gone = await onMembership(ctx, membershipId, 'remove members', async (em, group, m) => {
    if (banned) return ban(em, group, m);
    await assertNotLastOrganizer(em, m, 'remove them');
    const released = await endMembership(em, group, m);
    em.remove(m);
    return { groupId: group.id, userId: m.user.id, released };
  });
  afterMemberGone(ctx, gone.groupId, gone.userId, gone.released);
  return true;
}

/**
 * Bans a person from the group by their user id, whatever their standing: a member, someone who asked, a former
 * member who left (whose membership is gone) or someone who was never in it. ORGANIZER only; idempotent.
 */
export async function banFromGroup(ctx: Context, groupId: string, userId: string): Promise<Membership> {
  const viewer = requireViewer(ctx);
  if (!isId(groupId)) throw notFound('Group');
  if (userId === viewer.id) throw badInput('userId', 'you cannot ban yourself; leave the group instead');
  const user = isId(userId) ? await ctx.em.findOne(User, userId) : null;
  if (!user) throw notFound('User');
  const { m, gone } = await asOrganizer(ctx, groupId, 'ban people', async (em, group) => {
    const m = await lockMembership(em, { groupId: group.id, userId: user.id });
    if (m?.status === MembershipStatus.BANNED) return { m, gone: null };
    if (m) return { m, gone: await ban(em, group, m) };
    const fresh = em.create(Membership, { group, user: em.getReference(User, user.id), role: MemberRole.MEMBER, status: MembershipStatus.BANNED });
    return { m: fresh as Membership, gone: { groupId: group.id, userId: user.id, released: [] } };
  });
  if (gone) afterMemberGone(ctx, gone.groupId, gone.userId, gone.released);
  return ctx.em.merge(m);
}
