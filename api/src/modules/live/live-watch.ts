import type { Context } from '../../server/context.js';
import { groupLoaders } from '../group/group.loaders.js';
import { accessTopic } from '../membership/access.live.js';
import { canSeeInside } from '../membership/membership.policy.js';
import { LiveStream } from './live-stream.js';

/** Whether the viewer of `ctx` (a fresh context) may watch a group's live updates now. */
async function mayWatch(ctx: Context, groupId: string): Promise<boolean> {
  const group = await ctx.loaders.get(groupLoaders).byId.load(groupId);
  return !!group && (await canSeeInside(ctx, group));
}

/**
 * One subscriber's stream of a topic (docs/ARCHITECTURE.md, "Live protocol"); `listen` attaches the topic. For a topic
 * inside a group (`groupId`), the caller has already checked that the viewer may see inside it; when the viewer's access
 * changes (left, removed, banned, group made private) the stream pauses, checks again with a fresh context, and ends if
 * access is gone. A topic of the viewer's own (groupId null, e.g. their notifications) needs no such guard: the end of
 * their session closes the socket. Nothing of the subscribe-time context (EntityManager, loaders) is kept.
 */
export function watch<P>(ctx: Context, groupId: string | null, listen: (push: (payload: P) => void) => () => void): LiveStream<P> {
  const { renew, live } = ctx;
  const viewerId = ctx.viewer?.id ?? null;
  const stream = new LiveStream<P>(ctx.connection?.drop);
  stream.onEnd(listen((payload) => stream.push(payload)));
  if (groupId === null) return stream;
  stream.onEnd(
    live.listen(accessTopic, groupId, (change) => {
      if (change.userId !== null && change.userId !== viewerId) return;
      stream.paused = true;
      mayWatch(renew(), groupId).then(
        (ok) => (ok ? stream.resume() : stream.end()),
        () => stream.end(),
      );
    }),
  );
  return stream;
}
