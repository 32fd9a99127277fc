import { Field, ID, InputType } from 'type-graphql';

// Lengths are checked by thread.rules.ts after trimming, in characters as PostgreSQL counts them.
@InputType({ description: 'A new discussion thread in a group, with its first message.' })
export class CreateThreadInput {
  @Field(() => ID, { description: 'The group to start the thread in; you must be an active member.' })
  groupId!: string;

  @Field({ description: 'Title of the thread, 1 to 200 characters (surrounding spaces are trimmed).' })
  title!: string;

  @Field({ description: 'The first message, 1 to 4,000 characters (surrounding spaces are trimmed).' })
  body!: string;
}
