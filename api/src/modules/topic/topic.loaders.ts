import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { columnsOf, query, toRead, type Read } from '../../db/read.js';
import { groupRows } from '../../shared/loaders.js';
import { Topic } from './topic.entity.js';

/** The topics of groups (read rows, db/read.ts), in the order the organizers listed them: one query per batch of groups. */
export const topicLoaders = (em: EntityManager) => ({
  byGroupId: new DataLoader<string, Read<Topic>[]>(async (groupIds) => {
    const rows = await query(em, {
      text: `select gt.group_id as link_group_id, ${columnsOf(em, Topic, 't').columns} from group_topics gt join topics t on t.id = gt.topic_id
             where gt.group_id = any($1) order by gt.position`,
      values: [groupIds],
    });
    return groupRows(groupIds, rows, (row) => row.link_group_id as string).map((list) => list.map((row) => toRead(em, Topic, row)));
  }),
});
