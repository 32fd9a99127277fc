import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { Topic } from './topic.entity.js';
import { DEFAULT_TOPICS_LISTED, listTopics, MAX_TOPICS_LISTED } from './topic.service.js';

@Resolver(() => Topic)
export class TopicResolver {
  @Query(() => [Topic], { description: `The most used topics (those some group carries), the most used first, with how many groups carry each.` })
  topics(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true, description: `How many topics to list, 0 to ${MAX_TOPICS_LISTED}; default ${DEFAULT_TOPICS_LISTED}.` }) first?: number | null,
  ) {
    return listTopics(ctx.em, first);
  }
}
