import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { GroupTopic } from '../group/group-topic.entity.js';
import { groupRows } from '../../shared/loaders.js';
import type { Topic } from './topic.entity.js';

/** The topics of groups, in the order the organizers listed them: one query per batch of groups. */
export const topicLoaders = (em: EntityManager) => ({
  byGroupId: new DataLoader<string, Topic[]>(async (groupIds) => {
    const links = await em.find(
      GroupTopic,
      { group: { $in: [...groupIds] } },
      { populate: ['topic'], orderBy: [{ position: 'asc' }] },
    );
    return groupRows(groupIds, links, (link) => link.group.id).map((list) => list.map((link) => link.topic));
  }),
});
