import { Event } from '../modules/event/event.entity.js';
import { EventHost } from '../modules/event/event-host.entity.js';
import { Venue } from '../modules/event/venue.entity.js';
import { Group } from '../modules/group/group.entity.js';
import { GroupTopic } from '../modules/group/group-topic.entity.js';
import { Membership } from '../modules/membership/membership.entity.js';
import { Notification } from '../modules/notification/notification.entity.js';
import { Rsvp } from '../modules/rsvp/rsvp.entity.js';
import { Message } from '../modules/thread/message.entity.js';
import { Thread } from '../modules/thread/thread.entity.js';
import { EventSeries } from '../modules/series/series.entity.js';
import { Topic } from '../modules/topic/topic.entity.js';
import { Session } from '../modules/user/session.entity.js';
import { User } from '../modules/user/user.entity.js';

/** Every MikroORM entity of Gather. */
export const entities = [User, Session, Topic, Group, GroupTopic, Membership, Venue, EventSeries, Event, EventHost, Rsvp, Thread, Message, Notification];
