import type { Context } from '../../server/context.js';
import { isId, notFound } from '../../shared/errors.js';
import { topic, type LivePublisher } from '../../shared/live.js';
import { watch } from '../live/live-watch.js';
import type { LiveStream } from '../live/live-stream.js';
import { canSeeInside } from '../membership/membership.policy.js';
import type { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';
import type { Read } from '../../db/read.js';

/** A message posted, edited or deleted in a thread, shaped like `ThreadActivity` (docs/ARCHITECTURE.md, "Live protocol"). */
export interface ThreadActivityChange {
  /** The thread's group, for access checks (not a GraphQL field). */
  groupId: string;
  kind: 'POSTED' | 'EDITED' | 'DELETED';
  message: {
    id: string;
    body: string;
    createdAt: string;
    editedAt: string | null;
    deleted: boolean;
    author: { id: string; name: string };
  };
  thread: { id: string; messageCount: number; lastMessageAt: string | null };
}

/** Message activity per thread id. */
export const threadActivityTopic = topic<ThreadActivityChange>('thread');

/** Sends one committed change of a thread to its live subscribers (never throws into the mutation). */
export function publishThreadActivity(
  live: LivePublisher,
  kind: ThreadActivityChange['kind'],
  thread: Read<Thread>,
  message: Message,
  author: { id: string; name: string },
): void {
  live.publish(threadActivityTopic, thread.id, {
    groupId: thread.group.id,
    kind,
    message: {
      id: message.id,
      body: message.body,
      createdAt: message.createdAt.toISOString(),
      editedAt: message.editedAt?.toISOString() ?? null,
      deleted: message.deleted,
      author: { id: author.id, name: author.name },
    },
    thread: { id: thread.id, messageCount: thread.messageCount, lastMessageAt: thread.lastMessageAt?.toISOString() ?? null },
  });
}

/** Starts watching a thread's messages, with the same access rules as reading it. */
export async function watchThreadActivity(ctx: Context, threadId: string): Promise<LiveStream<ThreadActivityChange>> {
  const thread = isId(threadId) ? await ctx.em.fork().findOne(Thread, threadId, { populate: ['group'] }) : null;
  if (!thread || !(await canSeeInside(ctx, thread.group))) throw notFound('Thread');
  return watch(ctx, thread.group.id, (push) => ctx.live.listen(threadActivityTopic, thread.id, push));
}
