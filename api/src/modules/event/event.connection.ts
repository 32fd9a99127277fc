import { ConnectionType } from '../../shared/pagination.js';
import { Event } from './event.entity.js';

/** A page of events: `Query.events` (discovery) and a group's `events` both answer with it. */
export const EventConnection = ConnectionType('Event', Event, 'events');
