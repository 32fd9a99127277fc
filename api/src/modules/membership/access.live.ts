import { topic, type LivePublisher } from '../../shared/live.js';

/** Someone lost access to a group (`userId`), or everyone's access must be checked again (null). */
export interface AccessChange {
  groupId: string;
  userId: string | null;
}

/** Access changes of a group (left, removed, banned, made private): live streams of the group check again. */
export const accessTopic = topic<AccessChange>('access');

/** Tells the group's live streams to check access again (after the commit). */
export function publishAccessChange(live: LivePublisher, change: AccessChange): void {
  live.publish(accessTopic, change.groupId, change);
}
