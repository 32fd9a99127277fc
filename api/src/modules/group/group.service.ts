import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../server/context.js';
import { badInput, isId, isUniqueViolation, notFound } from '../../shared/errors.js';
import { columnsOf, query, toRead, type Read } from '../../db/read.js';
import { isTimeZone, slugify } from '../../shared/text.js';
import { Membership } from '../membership/membership.entity.js';
import { MemberRole, MembershipStatus } from '../membership/membership.enums.js';
import { membershipLoaders } from '../membership/membership.loaders.js';
import { assertRole } from '../membership/membership.policy.js';
import { cleanTopicNames, ensureTopics } from '../topic/topic.service.js';
import { requireViewer } from '../user/auth.service.js';
import { User } from '../user/user.entity.js';
import { GroupTopic } from './group-topic.entity.js';
import { Group } from './group.entity.js';
import { GroupVisibility, JoinMode } from './group.enums.js';
import { publishAccessChange } from '../membership/access.live.js';
import type { CreateGroupInput, UpdateGroupInput } from './group.inputs.js';

/**
 * A group by slug, as read (db/read.ts), with the viewer's membership in it (which primes that loader: the page asks
 * for it); NOT_FOUND when there is none. Anyone may see a group's profile, private or not.
 */
export async function groupBySlug(ctx: Context, slug: string): Promise<Read<Group>> {
  const viewerId = ctx.viewer?.id ?? null;
  const group = columnsOf(ctx.em, Group, 'g').columns;
  const [row] = viewerId
    ? await query(ctx.em, {
        text: `select ${group}, ${columnsOf(ctx.em, Membership, 'm', 'm_').columns} from groups g
               left join memberships m on m.group_id = g.id and m.user_id = $1 where g.slug = $2`,
        values: [viewerId, slug],
      })
    : await query(ctx.em, { text: `select ${group} from groups g where g.slug = $1`, values: [slug] });
  if (!row) throw notFound('Group');
  const read = toRead(ctx.em, Group, row);
  if (viewerId) ctx.loaders.get(membershipLoaders).viewerByGroupId.prime(read.id, row.m_id ? toRead(ctx.em, Membership, row, 'm_') : null);
  return read;
}

/** A group by id; NOT_FOUND when there is none. */
export async function groupById(em: EntityManager, id: string): Promise<Group> {
  const group = isId(id) ? await em.findOne(Group, id) : null;
  if (!group) throw notFound('Group');
  return group;
}

function assertTimeZone(zone: string | null | undefined, field: string) {
  if (zone != null && !isTimeZone(zone)) throw badInput(field, `"${zone}" is not an IANA time zone such as "Europe/Paris"`);
}

/** The first free slug for `name`: "oslo-hikers", then "oslo-hikers-2", ... */
async function freeSlug(em: EntityManager, name: string): Promise<string> {
  const base = slugify(name) || 'group';
  const rows: Array<{ slug: string }> = await em.execute(
    `select slug from groups where slug = ? or slug ~ ?`,
    [base, `^${base}-[0-9]+$`],
  );
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** Replaces a group's topics (in the given order), keeping each topic's group count exact. */
async function setTopics(ctx: Context, em: EntityManager, group: Group, names: string[], field: string) {
  const viewerId = ctx.viewer?.id ?? null;
  const topics = await ensureTopics(em, cleanTopicNames(names, field), (n) => ctx.rateLimits.consume('newTopicsPerUser', viewerId, n));
  const old = await em.find(GroupTopic, { group }, { refresh: true });
  const oldByTopic = new Map(old.map((link) => [link.topic.id, link]));
  const newIds = new Set(topics.map((t) => t.id));
  const removed = old.filter((link) => !newIds.has(link.topic.id));
  const added = topics.filter((t) => !oldByTopic.has(t.id));
  // Kept links move to their new position; re-creating them would clash with the loaded ones.
  removed.forEach((link) => em.remove(link));
  topics.forEach((topic, position) => {
    const kept = oldByTopic.get(topic.id);
    if (kept) kept.position = position;
    else em.create(GroupTopic, { group, topic, position });
  });
  const bump = (ids: string[], delta: number) =>
    ids.length
      ? em.execute(`update topics set group_count = group_count + ? where id in (${ids.map(() => '?').join(', ')})`, [delta, ...ids])
      : undefined;
  await bump(added.map((t) => t.id), 1);
  await bump(removed.map((link) => link.topic.id), -1);
  group.topicNames = topics.map((t) => t.name).join(' ');
}

/** Creates a group with a unique slug; its creator becomes its first, active ORGANIZER. */
export async function createGroup(ctx: Context, input: CreateGroupInput): Promise<Read<Group>> {
  const viewer = requireViewer(ctx);
  assertTimeZone(input.timezone, 'input.timezone');
  for (let attempt = 0; ; attempt++) {
    try {
      const group = await ctx.em.transactional(async (em) => {
        const group = em.create(Group, {
          slug: await freeSlug(em, input.name),
          name: input.name.trim(),
          description: input.description.trim(),
          city: input.city.trim(),
          lat: input.location.lat,
          lng: input.location.lng,
          timezone: input.timezone,
          visibility: input.visibility ?? GroupVisibility.PUBLIC,
          joinMode: input.joinMode ?? JoinMode.OPEN,
          joinQuestion: input.joinQuestion?.trim() || null,
          memberCount: 1,
        });
        await setTopics(ctx, em, group, input.topics ?? [], 'input.topics');
        const now = new Date();
        em.create(Membership, {
          group,
          user: em.getReference(User, viewer.id),
          role: MemberRole.ORGANIZER,
          status: MembershipStatus.ACTIVE,
          joinedAt: now,
        });
        return group;
      });
      return ctx.em.merge(group);
    } catch (error) {
      // Two groups with one name raced for the same slug: take the next one.
      if (attempt < 5 && isUniqueViolation(error, 'groups_slug_key')) continue;
      throw error;
    }
  }
}

/** Changes a group's profile and settings (ORGANIZER only); the slug stays so links keep working. */
export async function updateGroup(ctx: Context, id: string, input: UpdateGroupInput): Promise<Read<Group>> {
  const group = await groupById(ctx.em, id);
  await assertRole(ctx, group.id, [MemberRole.ORGANIZER], 'change the group');
  assertTimeZone(input.timezone, 'input.timezone');
  await ctx.em.transactional(async (em) => {
    // The row lock serializes changes of one group, so topic counts stay exact under concurrent updates.
    const g = await em.findOneOrFail(Group, group.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (input.name != null) g.name = input.name.trim();
    if (input.description != null) g.description = input.description.trim();
    if (input.city != null) g.city = input.city.trim();
    if (input.location != null) Object.assign(g, { lat: input.location.lat, lng: input.location.lng });
    if (input.timezone != null) g.timezone = input.timezone;
    if (input.visibility != null) g.visibility = input.visibility;
    if (input.joinMode != null) g.joinMode = input.joinMode;
    if (input.joinQuestion != null) g.joinQuestion = input.joinQuestion.trim() || null;
    if (input.topics != null) await setTopics(ctx, em, g, input.topics, 'input.topics');
  });
  await ctx.em.refresh(group);
  // Made private: anyone watching its live updates must be checked again.
  if (input.visibility === GroupVisibility.PRIVATE) publishAccessChange(ctx.live, { groupId: group.id, userId: null });
  return group;
}
