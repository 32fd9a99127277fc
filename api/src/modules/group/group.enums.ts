import { registerEnumType } from 'type-graphql';

export enum GroupVisibility {
  PUBLIC = 'PUBLIC',
  PRIVATE = 'PRIVATE',
}
registerEnumType(GroupVisibility, {
  name: 'GroupVisibility',
  description: 'Who can see what happens inside a group.',
  valuesConfig: {
    PUBLIC: { description: 'Anyone can see the group, its members, events and threads.' },
    PRIVATE: { description: 'Anyone sees the name, description, city, topics and member count; only active members see the rest.' },
  },
});

export enum JoinMode {
  OPEN = 'OPEN',
  APPROVAL = 'APPROVAL',
}
registerEnumType(JoinMode, {
  name: 'JoinMode',
  description: 'How people become members.',
  valuesConfig: {
    OPEN: { description: 'Anyone signed in (and not banned) joins at once.' },
    APPROVAL: { description: 'A request stays pending until an organizer approves or rejects it.' },
  },
});
