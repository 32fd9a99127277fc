import { LockMode } from '@mikro-orm/core';
import type { Context } from '../../server/context.js';
import { badInput, forbidden, isId, notFound } from '../../shared/errors.js';
import { MemberRole } from '../membership/membership.enums.js';
import { assertActiveMember, hasRole, lockActiveMember } from '../membership/membership.policy.js';
import { requireViewer } from '../user/auth.service.js';
import { User } from '../user/user.entity.js';
import { userLoaders } from '../user/user.loaders.js';
import { Message } from './message.entity.js';
import { publishThreadActivity } from './thread-activity.live.js';
import { Thread } from './thread.entity.js';
import { threadLoaders } from './thread.loaders.js';
import { messageBody } from './thread.rules.js';
import { canReadThread, visibleThread } from './thread.service.js';
import { notifyOfReply } from '../notification/notify.js';
import type { Read } from '../../db/read.js';

/**
 * Posts a message (ACTIVE members of the thread's group). The thread's messageCount and lastMessageAt move
 * in the same transaction by one atomic UPDATE, so racing posts never lose a count. Rate-limited per user.
 * The poster's membership row is held FOR SHARE until the commit, so a racing ban waits for the post or refuses it.
 */
export async function postMessage(ctx: Context, threadId: string, rawBody: string): Promise<Read<Message>> {
  const viewer = requireViewer(ctx);
  await ctx.rateLimits.consume('messagesPerUser', viewer.id);
  const found = await visibleThread(ctx, threadId);
  await assertActiveMember(ctx, found.group.id, 'post messages');
  const body = messageBody(rawBody);
  const { message, thread } = await ctx.em.transactional(async (em) => {
    // Checked again under the membership's lock: a ban committed since the check above refuses the post.
    await lockActiveMember(em, found.group.id, viewer.id, 'post messages');
    const now = new Date();
    const rows: Array<Record<string, unknown>> = await em.execute(
      `update threads set message_count = message_count + 1, last_message_at = greatest(last_message_at, ?::timestamptz)
       where id = ? returning *`,
      [now, found.id],
    );
    if (rows.length === 0) throw notFound('Thread');
    const thread = em.map(Thread, rows[0]);
    const message = em.create(Message, { thread, author: em.getReference(User, viewer.id), body, createdAt: now });
    await notifyOfReply(em, thread.id, message.id, viewer.id);
    return { message, thread };
  });
  publishThreadActivity(ctx.live, 'POSTED', thread, message, viewer);
  return message;
}

/** A message and its thread; NOT_FOUND unless it exists and the viewer wrote it or may read its thread. */
async function findMessage(ctx: Context, id: string): Promise<{ message: Message; thread: Read<Thread> }> {
  const message = isId(id) ? await ctx.em.findOne(Message, id) : null;
  const thread = message ? await ctx.loaders.get(threadLoaders).byId.load(message.thread.id) : null;
  if (!message || !thread) throw notFound('Message');
  const isAuthor = message.author.id === ctx.viewer?.id;
  if (!isAuthor && !(await canReadThread(ctx, thread))) throw notFound('Message');
  return { message, thread };
}

/**
 * Changes the body of one's own message and sets editedAt. Only its author, and only while an ACTIVE
 * member (someone who left or was banned can no longer change what the group reads); not once deleted.
 * Saving the same body again changes nothing and publishes nothing.
 */
export async function editMessage(ctx: Context, id: string, rawBody: string): Promise<Read<Message>> {
  const viewer = requireViewer(ctx);
  const { message, thread } = await findMessage(ctx, id);
  if (message.author.id !== viewer.id) throw forbidden('Only its author can edit a message.');
  await assertActiveMember(ctx, thread.group.id, 'edit their messages');
  const body = messageBody(rawBody);
  const edited = await ctx.em.transactional(async (em) => {
    await lockActiveMember(em, thread.group.id, viewer.id, 'edit their messages'); // a racing ban waits or refuses
    // The row lock orders this edit against a racing delete, so a deleted message never gets a body back.
    const m = await em.findOneOrFail(Message, message.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (m.deleted) throw badInput('id', 'this message was deleted and can no longer be edited');
    if (m.body === body) return null;
    m.body = body;
    m.editedAt = new Date();
    return em.findOneOrFail(Thread, thread.id, { refresh: true });
  });
  if (edited) publishThreadActivity(ctx.live, 'EDITED', edited, message, viewer);
  return message;
}

/**
 * Soft-deletes a message: `deleted` set, body emptied, the row kept. Its author or an ORGANIZER of the group may.
 * messageCount counts deleted messages too, so it does not change. Deleting again returns the message as it is.
 */
export async function deleteMessage(ctx: Context, id: string): Promise<Read<Message>> {
  const viewer = requireViewer(ctx);
  const { message, thread } = await findMessage(ctx, id);
  const isAuthor = message.author.id === viewer.id;
  if (!isAuthor && !(await hasRole(ctx, thread.group.id, [MemberRole.ORGANIZER])))
    throw forbidden('Only its author or an organizer of the group can delete a message.');
  const deletedIn = await ctx.em.transactional(async (em) => {
    const m = await em.findOneOrFail(Message, message.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (m.deleted) return null;
    m.deleted = true;
    m.body = '';
    return em.findOneOrFail(Thread, thread.id, { refresh: true });
  });
  if (deletedIn) {
    const author = isAuthor ? viewer : await ctx.loaders.get(userLoaders).byId.load(message.author.id);
    publishThreadActivity(ctx.live, 'DELETED', deletedIn, message, author ?? { id: message.author.id, name: '' });
  }
  return message;
}
