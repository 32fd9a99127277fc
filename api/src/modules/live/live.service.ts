import type { Context } from '../../server/context.js';
import { isId, notFound } from '../../shared/errors.js';
import type { AttendanceChange, ThreadActivityChange } from '../../shared/live.js';
import { topics } from '../../shared/live-bus.js';
import { Event } from '../event/event.entity.js';
import { canSeeInside } from '../membership/membership.policy.js';
import { Thread } from '../thread/thread.entity.js';
import { sequencerOf } from './attendance-sequencer.js';
import { guardStream } from './live-access.js';
import { LiveStream } from './live-stream.js';

/**
 * Starts watching an event's attendance: refused (NOT_FOUND, as for `event(id)`) when the viewer
 * may not see inside its group; then guarded for access changes while it runs.
 */
export async function subscribeAttendance(ctx: Context, eventId: string): Promise<LiveStream<AttendanceChange>> {
  // Read on a fork of its own: the subscription lives long, what this loads need not live with it.
  const event = isId(eventId) ? await ctx.em.fork().findOne(Event, eventId, { populate: ['group'] }) : null;
  if (!event || !(await canSeeInside(ctx, event.group))) throw notFound('Event');
  const stream = new LiveStream<AttendanceChange>(() => ctx.connection?.drop());
  stream.onEnd(sequencerOf(ctx.live).listen(event.id, event.attendanceVersion, (change) => stream.push(change)));
  guardStream(ctx, event.group.id, stream as LiveStream<unknown>);
  return stream;
}

/** Starts watching a thread's messages, with the same access rules as reading it. */
export async function subscribeThread(ctx: Context, threadId: string): Promise<LiveStream<ThreadActivityChange>> {
  const thread = isId(threadId) ? await ctx.em.fork().findOne(Thread, threadId, { populate: ['group'] }) : null;
  if (!thread || !(await canSeeInside(ctx, thread.group))) throw notFound('Thread');
  const stream = new LiveStream<ThreadActivityChange>(() => ctx.connection?.drop());
  stream.onEnd(ctx.live.listen(topics.thread(thread.id), (change) => stream.push(change as ThreadActivityChange)));
  guardStream(ctx, thread.group.id, stream as LiveStream<unknown>);
  return stream;
}
