import { registerEnumType } from 'type-graphql';

/** Which occurrences of a series a change reaches. */
export enum SeriesScope {
  THIS_EVENT = 'THIS_EVENT',
  THIS_AND_FOLLOWING = 'THIS_AND_FOLLOWING',
}

registerEnumType(SeriesScope, {
  name: 'SeriesScope',
  description: 'Which occurrences of a recurring event a change reaches.',
  valuesConfig: {
    THIS_EVENT: { description: 'Only this occurrence (the default).' },
    THIS_AND_FOLLOWING: { description: 'This occurrence and every later one, including those created later.' },
  },
});
