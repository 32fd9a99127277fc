import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage } from 'type-graphql';
import { AuthResolver } from '../modules/user/auth.resolver.js';
import { UserResolver } from '../modules/user/user.resolver.js';
import { TopicResolver } from '../modules/topic/topic.resolver.js';
import { GroupResolver } from '../modules/group/group.resolver.js';
import { EventSearchResolver } from '../modules/event/event-search.resolver.js';
import { EventResolver, GroupEventsResolver, VenueResolver } from '../modules/event/event.resolver.js';
import { EventLiveResolver } from '../modules/event/event-live.resolver.js';
import { EventAttendanceResolver } from '../modules/rsvp/attendance.resolver.js';
import { ThreadActivityResolver } from '../modules/thread/thread-activity.resolver.js';
import { EventRsvpsResolver, MeRsvpsResolver, RsvpResolver } from '../modules/rsvp/rsvp.resolver.js';
import { GroupMembersResolver, MeMembershipsResolver, MembershipResolver } from '../modules/membership/membership.resolver.js';
import { MessageResolver } from '../modules/thread/message.resolver.js';
import { EventThreadResolver, GroupThreadsResolver, ThreadResolver } from '../modules/thread/thread.resolver.js';
import { limitMutations } from '../shared/rate-limit.js';
import { EventCoverResolver, GroupCoverResolver, PictureResolver } from '../modules/image/image.resolver.js';
import { PlaceResolver } from '../modules/place/place.resolver.js';
import { EventSeriesFieldResolver, EventSeriesResolver } from '../modules/series/series.resolver.js';
import { GroupPendingResolver, MePendingResolver } from '../modules/membership/pending-requests.resolver.js';
import { EventAttendedCountResolver } from '../modules/rsvp/attended-count.resolver.js';
import { MeNotificationsResolver, NotificationResolver } from '../modules/notification/notification.resolver.js';
import { AccountResolver } from '../modules/user/account.resolver.js';
import { DateTimeScalar } from '../shared/scalars.js';
import { validateInput } from '../shared/validation.js';

/** Every resolver class of the API. */
export const resolvers = [
  AuthResolver,
  UserResolver,
  TopicResolver,
  GroupResolver,
  EventSearchResolver,
  EventResolver,
  VenueResolver,
  GroupEventsResolver,
  EventSeriesFieldResolver,
  EventSeriesResolver,
  EventAttendedCountResolver,
  GroupPendingResolver,
  MePendingResolver,
  RsvpResolver,
  EventRsvpsResolver,
  MeRsvpsResolver,
  MembershipResolver,
  GroupMembersResolver,
  MeMembershipsResolver,
  EventAttendanceResolver,
  EventLiveResolver,
  ThreadActivityResolver,
  ThreadResolver,
  GroupThreadsResolver,
  EventThreadResolver,
  MessageResolver,
  PictureResolver,
  GroupCoverResolver,
  EventCoverResolver,
  PlaceResolver,
  MeNotificationsResolver,
  NotificationResolver,
  AccountResolver,
] as const;

/** Builds the executable schema from the decorated classes. */
export async function buildGatherSchema(): Promise<GraphQLSchema> {
  for (const type of [...getMetadataStorage().objectTypes, ...getMetadataStorage().interfaceTypes]) type.simpleResolvers ??= true;
  const schema = await buildSchema({
    resolvers: [...resolvers] as never,
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validateFn: validateInput,
    // Subscriptions bring their own streams (modules/live); type-graphql's topic PubSub is unused.
    pubSub: {
      publish: () => {},
      subscribe: () => {
        throw new Error('use a subscribe function');
      },
    },
  });
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  const about = ['Everything you can read.', 'Everything you can change.', 'Live updates over graphql-ws on the same /graphql endpoint.'];
  roots.forEach((root, i) => {
    if (root) root.description = about[i];
  });
  limitMutations(schema);
  return schema;
}

/** The schema as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export function printGatherSchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
