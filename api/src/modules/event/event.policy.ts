import type { Context } from '../../server/context.js';
import { unauthenticated } from '../../shared/errors.js';
import { MemberRole } from '../membership/membership.enums.js';
import { actsAsMember, assertRole, EVENT_MANAGERS, holdsRole, notInRole, viewerMembership } from '../membership/membership.policy.js';
import { RsvpStatus } from '../rsvp/rsvp.enums.js';
import { rsvpLoaders } from '../rsvp/rsvp.loaders.js';
import type { Event } from './event.entity.js';
import { eventLoaders } from './event.loaders.js';
import type { Read } from '../../db/read.js';

// Rights over one event, decided here (docs/ARCHITECTURE.md, "Who may see and do what"). Every right below needs an
// ACTIVE membership first: a host or attendee who leaves, is removed or is banned loses it at once, whatever
// rows (event_hosts, rsvps) still name them. Seeing the event itself is the group's rule (membership.policy.ts).

/** Whether the viewer hosts the event: named among its hosts and an ACTIVE member of its group (the list holds only those). */
export async function isHost(ctx: Context, event: Read<Event>): Promise<boolean> {
  const viewerId = ctx.viewer?.id;
  if (!viewerId) return false;
  const [membership, hosts] = await Promise.all([
    viewerMembership(ctx, event.group.id),
    ctx.loaders.get(eventLoaders).hostsByEventId.load(event.id),
  ]);
  return membership !== null && actsAsMember(membership) && hosts.some((host) => host.id === viewerId);
}

/** Whether the viewer sees the event's online link: its GOING attendees, hosts and the group's organizers, all ACTIVE. */
export async function canSeeOnlineUrl(ctx: Context, event: Read<Event>): Promise<boolean> {
  if (!ctx.viewer) return false;
  const membership = await viewerMembership(ctx, event.group.id);
  if (membership === null || !actsAsMember(membership)) return false;
  if (holdsRole(membership, [MemberRole.ORGANIZER])) return true;
  const [host, rsvp] = await Promise.all([isHost(ctx, event), ctx.loaders.get(rsvpLoaders).viewerByEventId.load(event.id)]);
  return host || rsvp?.status === RsvpStatus.GOING;
}

/** Refuses unless the viewer may create, change or cancel the group's events: ACTIVE organizers and event organizers. */
export function assertCanManageEvents(ctx: Context, groupId: string, action: string): Promise<void> {
  return assertRole(ctx, groupId, EVENT_MANAGERS, action);
}

/** Refuses unless the viewer may mark attendance at the event: an ACTIVE host, organizer or event organizer. */
export async function assertCanMarkAttendance(ctx: Context, event: Read<Event>): Promise<void> {
  if (!ctx.viewer) throw unauthenticated();
  if (await isHost(ctx, event)) return;
  if (!holdsRole(await viewerMembership(ctx, event.group.id), EVENT_MANAGERS)) throw notInRole(EVENT_MANAGERS, 'mark attendance');
}
