import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { leanColumns, leanEntity, leanRead, placeholders } from '../../shared/lean.js';
import { groupRows } from '../../shared/loaders.js';
import { Topic } from './topic.entity.js';

/** The topics of groups (lean, shared/lean.ts), in the order the organizers listed them: one query per batch of groups. */
export const topicLoaders = (em: EntityManager) => ({
  byGroupId: new DataLoader<string, Topic[]>(async (groupIds) => {
    const rows = await leanRead(em, 
      `select gt.group_id as link_group_id, ${leanColumns(em, Topic, 't').columns} from group_topics gt join topics t on t.id = gt.topic_id
       where gt.group_id in (${placeholders(groupIds.length)}) order by gt.position`,
      [...groupIds],
    );
    return groupRows(groupIds, rows, (row) => row.link_group_id as string).map((list) => list.map((row) => leanEntity(em, Topic, row)));
  }),
});
