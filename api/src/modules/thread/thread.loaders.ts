import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../../shared/loaders.js';
import { columnsOf, readAll, type Read } from '../../db/read.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';

/** Threads by id and by their event, messages by id (read rows, db/read.ts); one query per batch each. */
export const threadLoaders = (em: EntityManager) => ({
  byId: byIdLoader(em, Thread),
  /** Messages by id (deleted ones included). */
  messageById: byIdLoader(em, Message),
  /** The discussion thread of each event (null if it has none). */
  byEventId: new DataLoader<string, Read<Thread> | null>(async (eventIds) => {
    const { table, columns } = columnsOf(em, Thread, 't');
    const rows = await readAll(em, Thread, { text: `select ${columns} from ${table} t where t.event_id = any($1)`, values: [eventIds] });
    const byEvent = new Map(rows.map((thread) => [thread.event!.id, thread]));
    return eventIds.map((id) => byEvent.get(id) ?? null);
  }),
});
