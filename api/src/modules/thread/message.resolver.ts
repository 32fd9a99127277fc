import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { User } from '../user/user.entity.js';
import { userLoaders } from '../user/user.loaders.js';
import { Message } from './message.entity.js';
import * as messages from './message.service.js';
import type { Read } from '../../db/read.js';

@Resolver(() => Message)
export class MessageResolver {
  @Mutation(() => Message, { description: 'Posts a message to a thread (active members of its group only).' })
  postMessage(
    @Arg('threadId', () => ID, { description: 'The thread to post to.' }) threadId: string,
    @Arg('body', { description: 'The text, 1 to 4,000 characters (surrounding spaces are trimmed).' }) body: string,
    @Ctx() ctx: Context,
  ) {
    return messages.postMessage(ctx, threadId, body);
  }

  @Mutation(() => Message, { description: 'Changes the text of your own message and sets editedAt.' })
  editMessage(
    @Arg('id', () => ID, { description: 'The message to edit.' }) id: string,
    @Arg('body', { description: 'The new text, 1 to 4,000 characters (surrounding spaces are trimmed).' }) body: string,
    @Ctx() ctx: Context,
  ) {
    return messages.editMessage(ctx, id, body);
  }

  @Mutation(() => Message, { description: 'Deletes a message (its author or an organizer): the body is emptied, the message stays as deleted.' })
  deleteMessage(@Arg('id', () => ID, { description: 'The message to delete.' }) id: string, @Ctx() ctx: Context) {
    return messages.deleteMessage(ctx, id);
  }

  @FieldResolver(() => User, { description: 'Who wrote the message.' })
  async author(@Root() message: Read<Message>, @Ctx() ctx: Context) {
    return ctx.loaders.get(userLoaders).byId.load(message.author.id);
  }
}
