import { Field, ID, ObjectType } from 'type-graphql';

/** The signed-in person as they see themselves; resolved from their User row. */
@ObjectType('Me', { description: 'The signed-in person, with what only they may see: email, location, memberships and RSVPs.' })
export class Me {
  @Field(() => ID, { description: 'Stable identifier of the user (the same as on `User`).' })
  id!: string;

  @Field({ description: 'Email address used to log in.' })
  email!: string;

  @Field({ description: 'Display name.' })
  name!: string;

  @Field({ description: 'A few words about oneself.' })
  bio!: string;

  @Field(() => String, { nullable: true, description: 'Home city.' })
  city!: string | null;

  @Field(() => Date, { description: 'When the account was created.' })
  createdAt!: Date;
}

@ObjectType({ description: 'A new session: the token to send as `Authorization: Bearer <token>`, and who it is for.' })
export class AuthPayload {
  @Field({ description: 'Session token. Also set as an HttpOnly cookie for browsers. Keep it secret.' })
  token!: string;

  @Field(() => Me, { description: 'The signed-in person.' })
  user!: Me;
}
