import type { Context } from '../../server/context.js';
import { badInput, isId, notFound } from '../../shared/errors.js';
import type { PageRequest } from '../../shared/find-page.js';
import { columnsOf, query, toRead, type Read } from '../../db/read.js';
import { countOnce, decodeCursor, emptyConnection, pageSize, toConnection, type Connection } from '../../shared/pagination.js';
import type { Group } from '../group/group.entity.js';
import { groupLoaders } from '../group/group.loaders.js';
import { assertActiveMember, canSeeInside, lockActiveMember } from '../membership/membership.policy.js';
import { requireViewer } from '../user/auth.service.js';
import { User } from '../user/user.entity.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';
import type { CreateThreadInput } from './thread.inputs.js';
import { threadLoaders } from './thread.loaders.js';
import { MAX_TITLE, messageBody, trimmedText } from './thread.rules.js';

/** The group a thread or message lives in (batched). */
export async function groupOf(ctx: Context, groupId: string): Promise<Read<Group>> {
  const group = await ctx.loaders.get(groupLoaders).byId.load(groupId);
  if (!group) throw notFound('Group');
  return group;
}

/** Whether the viewer may read the thread: anyone for a public group, ACTIVE members for a private one. */
export async function canReadThread(ctx: Context, thread: Read<Thread>): Promise<boolean> {
  return canSeeInside(ctx, await groupOf(ctx, thread.group.id));
}

/** A thread the viewer may read; NOT_FOUND for unknown ids and for threads of private groups the viewer is outside of. */
export async function visibleThread(ctx: Context, id: string): Promise<Read<Thread>> {
  const thread = isId(id) ? await ctx.loaders.get(threadLoaders).byId.load(id) : null;
  if (!thread || !(await canReadThread(ctx, thread))) throw notFound('Thread');
  return thread;
}

/** Starts a thread with its first message, in one transaction (ACTIVE members only); counts as a post (rate limit). */
export async function createThread(ctx: Context, input: CreateThreadInput): Promise<Read<Thread>> {
  const viewer = requireViewer(ctx);
  await ctx.rateLimits.consume('messagesPerUser', viewer.id);
  const group = isId(input.groupId) ? await ctx.loaders.get(groupLoaders).byId.load(input.groupId) : null;
  if (!group) throw notFound('Group');
  await assertActiveMember(ctx, group.id, 'start threads');
  const title = trimmedText(input.title, 'input.title', MAX_TITLE);
  const body = messageBody(input.body, 'input.body');
  return ctx.em.transactional(async (em) => {
    await lockActiveMember(em, group.id, viewer.id, 'start threads'); // as postMessage: a racing ban waits or refuses
    const now = new Date();
    const author = em.getReference(User, viewer.id);
    const thread = em.create(Thread, { group: group.id, author, title, messageCount: 1, lastMessageAt: now, createdAt: now });
    em.create(Message, { thread, author, body, createdAt: now });
    return thread;
  });
}

/** When a thread was last active: the sort key of a group's thread list. */
const activityKey = (thread: Read<Thread>) => [thread.lastMessageAt ?? thread.createdAt, thread.id];

/**
 * A group's own discussions (event chats excluded), most recently active first; keyset-paged on
 * (coalesce(last_message_at, created_at), id) descending, which threads_group_activity_idx serves.
 * Empty for outsiders of a private group.
 */
export async function groupThreads(ctx: Context, group: Read<Group>, page: PageRequest, withCount = false): Promise<Connection<Read<Thread>>> {
  if (!(await canSeeInside(ctx, group))) return emptyConnection();
  const limit = pageSize(page.first, 'first');
  const after = page.after ? decodeCursor(page.after, [{ kind: 'date' }, { kind: 'id' }]) : [null, null];
  const { columns } = columnsOf(ctx.em, Thread, 't');
  const count = countOnce(withCount, async () => {
    const [row] = await query(ctx.em, { text: 'select count(*)::int as n from threads where group_id = $1 and event_id is null', values: [group.id] });
    return row.n as number;
  });
  const rows =
    limit === 0
      ? []
      : await query(ctx.em, {
          text: `select ${columns} from threads t where t.group_id = $1 and t.event_id is null
                 and ($2::timestamptz is null or (coalesce(t.last_message_at, t.created_at), t.id) < ($2, $3::uuid))
                 order by coalesce(t.last_message_at, t.created_at) desc, t.id desc limit $4`,
          values: [group.id, ...after, limit + 1],
        });
  const threads = rows.map((row) => toRead(ctx.em, Thread, row));
  return toConnection(threads, limit, activityKey, count);
}
