import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { badInput, forbidden, isId, notFound } from '../../shared/errors.js';
import { Group } from '../group/group.entity.js';
import { JoinMode } from '../group/group.enums.js';
import { requireViewer } from '../user/auth.service.js';
import { User } from '../user/user.entity.js';
import { Membership } from './membership.entity.js';
import { MemberRole, MembershipStatus } from './membership.enums.js';
import { assertRole } from './membership.policy.js';

// Every change of membership locks its group's row first, so member counts and the
// "at least one organizer" rule hold however many requests race on one group.
async function lockGroup(em: EntityManager, groupId: string): Promise<Group> {
  const group = isId(groupId) ? await em.findOne(Group, groupId, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!group) throw notFound('Group');
  return group;
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
    let m = await em.findOne(Membership, { group, user: viewer.id });
    if (m?.status === MembershipStatus.BANNED) throw forbidden('You were banned from this group and cannot join it again.');
    if (m?.status === MembershipStatus.ACTIVE || m?.status === MembershipStatus.PENDING) return m;
    const needsAnswer = group.joinMode === JoinMode.APPROVAL && group.joinQuestion;
    if (needsAnswer && !answer?.trim()) throw badInput('answer', `this group asks: "${group.joinQuestion}"`);
    m ??= em.create(Membership, { group, user: em.getReference(User, viewer.id), role: MemberRole.MEMBER } as never) as Membership;
    m.answer = answer?.trim() || null;
    if (group.joinMode === JoinMode.OPEN) activate(group, m);
    else m.status = MembershipStatus.PENDING;
    return m;
  });
  return ctx.em.merge(m);
}

/** Leaves a group, or withdraws a request; false when there was nothing to leave. The last organizer cannot. */
export async function leaveGroup(ctx: Context, groupId: string): Promise<boolean> {
  const viewer = requireViewer(ctx);
  return ctx.em.transactional(async (em) => {
    const group = await lockGroup(em, groupId);
    const m = await em.findOne(Membership, { group, user: viewer.id });
    if (!m || m.status === MembershipStatus.BANNED) return false;
    await assertNotLastOrganizer(em, m, 'leave');
    if (m.status === MembershipStatus.ACTIVE) group.memberCount -= 1;
    em.remove(m);
    return true;
  });
}

/** A membership by id for an organizer of its group, locked with its group for the change. */
async function membershipForOrganizer(ctx: Context, em: EntityManager, membershipId: string, action: string) {
  const found = isId(membershipId) ? await ctx.em.findOne(Membership, membershipId) : null;
  if (!found) throw notFound('Membership');
  await assertRole(ctx, found.group.id, [MemberRole.ORGANIZER], action);
  const group = await lockGroup(em, found.group.id);
  const m = await em.findOne(Membership, membershipId);
  if (!m) throw notFound('Membership');
  return { group, m };
}

/** Approves (ACTIVE) or rejects (REJECTED, may ask again) a PENDING request. ORGANIZER only. */
export async function reviewMembership(ctx: Context, membershipId: string, approve: boolean): Promise<Membership> {
  const m = await ctx.em.transactional(async (em) => {
    const { group, m } = await membershipForOrganizer(ctx, em, membershipId, 'review requests to join');
    if (m.status !== MembershipStatus.PENDING) throw badInput('membershipId', `only pending requests can be reviewed; this one is ${m.status}`);
    if (approve) activate(group, m);
    else m.status = MembershipStatus.REJECTED;
    return m;
  });
  return ctx.em.merge(m);
}

/** Gives an ACTIVE member a role. ORGANIZER only; the last organizer cannot be demoted. */
export async function setMemberRole(ctx: Context, membershipId: string, role: MemberRole): Promise<Membership> {
  const m = await ctx.em.transactional(async (em) => {
    const { m } = await membershipForOrganizer(ctx, em, membershipId, 'change roles');
    if (m.status !== MembershipStatus.ACTIVE) throw badInput('membershipId', 'only active members can be given a role');
    if (role !== MemberRole.ORGANIZER) await assertNotLastOrganizer(em, m, 'step down');
    m.role = role;
    return m;
  });
  return ctx.em.merge(m);
}

/**
 * Removes a member or a request; with `ban` they cannot join again. Removing a BANNED
 * membership without `ban` lifts the ban. ORGANIZER only; never the last organizer.
 */
export async function removeMember(ctx: Context, membershipId: string, ban: boolean): Promise<boolean> {
  return ctx.em.transactional(async (em) => {
    const { group, m } = await membershipForOrganizer(ctx, em, membershipId, 'remove members');
    await assertNotLastOrganizer(em, m, 'remove them');
    if (m.status === MembershipStatus.ACTIVE) group.memberCount -= 1;
    if (ban) {
      m.status = MembershipStatus.BANNED;
      m.role = MemberRole.MEMBER;
      m.joinedAt = null;
    } else {
      em.remove(m);
    }
    return true;
  });
}
