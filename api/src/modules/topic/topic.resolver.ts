import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../server/context.js';
import { Topic } from './topic.entity.js';
import { listTopics } from './topic.service.js';

@Resolver(() => Topic)
export class TopicResolver {
  @Query(() => [Topic], { description: 'Every topic, the most used first, with how many groups carry it.' })
  topics(@Ctx() ctx: Context) {
    return listTopics(ctx.em);
  }
}
