import { Entity, ManyToOne, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Topic } from '../topic/topic.entity.js';
import { Group } from './group.entity.js';

/** A topic of a group, in the order the organizers listed them. */
@Entity({ tableName: 'group_topics' })
export class GroupTopic {
  [PrimaryKeyProp]?: ['group', 'topic'];

  @ManyToOne(() => Group, { primary: true, deleteRule: 'cascade' })
  group!: Group;

  @ManyToOne(() => Topic, { primary: true, deleteRule: 'cascade' })
  topic!: Topic;

  @Property({ type: 'smallint' })
  position!: number;
}
