import type { Context } from '../../server/context.js';
import type { AccessChange } from '../../shared/live.js';
import { topics } from '../../shared/live-bus.js';
import { Group } from '../group/group.entity.js';
import { GroupVisibility } from '../group/group.enums.js';
import { Membership } from '../membership/membership.entity.js';
import { MembershipStatus } from '../membership/membership.enums.js';
import type { LiveStream } from './live-stream.js';

/** Whether the viewer may watch a group's live updates now, read fresh from the database. */
async function mayWatch(ctx: Context, groupId: string): Promise<boolean> {
  const em = ctx.em.fork();
  const group = await em.findOne(Group, groupId);
  if (!group) return false;
  if (group.visibility === GroupVisibility.PUBLIC) return true;
  if (!ctx.viewer) return false;
  const m = await em.findOne(Membership, { group: groupId, user: ctx.viewer.id });
  return m?.status === MembershipStatus.ACTIVE;
}

/**
 * Authorization for each update after subscribe: when the viewer's access to the group changes
 * (left, removed, banned, group made private) the stream pauses, re-checks, and ends if access is gone.
 * Only the affected subscribers query the database, and only on such a change.
 */
export function guardStream(ctx: Context, groupId: string, stream: LiveStream<unknown>): void {
  const stop = ctx.live.listen(topics.access(groupId), (payload) => {
    const change = payload as AccessChange;
    if (change.userId !== null && change.userId !== ctx.viewer?.id) return;
    stream.paused = true;
    mayWatch(ctx, groupId).then(
      (ok) => (ok ? stream.resume() : stream.end()),
      () => stream.end(),
    );
  });
  stream.onEnd(stop);
}
