import { Arg, Ctx, Field, FieldResolver, ID, ObjectType, registerEnumType, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { Message } from './message.entity.js';
import { Thread } from './thread.entity.js';
import { watchThreadActivity, type ThreadActivityChange } from './thread-activity.live.js';
import { threadLoaders } from './thread.loaders.js';

export enum ThreadActivityKind {
  POSTED = 'POSTED',
  EDITED = 'EDITED',
  DELETED = 'DELETED',
}
registerEnumType(ThreadActivityKind, {
  name: 'ThreadActivityKind',
  description: 'What happened to a message.',
  valuesConfig: {
    POSTED: { description: 'A new message.' },
    EDITED: { description: 'Its author changed the text.' },
    DELETED: { description: 'It was deleted; its body is now empty.' },
  },
});

/** Root value: a ThreadActivityChange (thread-activity.live.ts). */
@ObjectType({ description: 'A message posted, edited or deleted in a thread, with the thread\'s new counts.' })
export class ThreadActivity {
  @Field(() => ThreadActivityKind, { description: 'What happened.' })
  kind!: ThreadActivityKind;
}

// Documents answered by the payload never reach these resolvers (live/payload-plan.ts); the others run here, per
// subscriber and per change, on a fresh context.
@Resolver(() => ThreadActivity)
export class ThreadActivityResolver {
  @Subscription(() => ThreadActivity, {
    description: 'Messages posted, edited and deleted in a thread, as they happen.',
    subscribe: ({ args, context }) => watchThreadActivity(context as Context, String(args.threadId)),
  })
  threadActivity(
    @Root() change: ThreadActivityChange,
    @Arg('threadId', () => ID, { description: 'The thread to watch.' }) _threadId: string,
  ): ThreadActivityChange {
    return change;
  }

  @FieldResolver(() => Message, { description: 'The message (its body is empty when deleted).' })
  message(@Root() change: ThreadActivityChange, @Ctx() ctx: Context) {
    return ctx.loaders.get(threadLoaders).messageById.load(change.message.id);
  }

  @FieldResolver(() => Thread, { description: 'The thread with its new counts.' })
  thread(@Root() change: ThreadActivityChange, @Ctx() ctx: Context) {
    return ctx.loaders.get(threadLoaders).byId.load(change.thread.id);
  }
}
