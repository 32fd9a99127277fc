import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../shared/pagination.js';
import { Notification } from './notification.entity.js';
import { NotificationKind } from './notification.enums.js';

export const NotificationConnection = ConnectionType('Notification', Notification, 'notifications');

@ObjectType({ description: 'Whether one kind of notification shows in the app and comes by email.' })
export class NotificationSetting {
  @Field(() => NotificationKind, { description: 'The kind.' })
  kind!: NotificationKind;

  @Field({ description: 'Shown in the app (the bell and the notifications page).' })
  inApp!: boolean;

  @Field({ description: 'Sent by email (each email has a link that turns this off).' })
  email!: boolean;
}

@InputType({ description: 'A change to one kind\'s setting; an omitted channel keeps its value.' })
export class NotificationSettingInput {
  @Field(() => NotificationKind, { description: 'The kind to change.' })
  kind!: NotificationKind;

  @Field(() => Boolean, { nullable: true, description: 'Show it in the app.' })
  inApp?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Send it by email.' })
  email?: boolean | null;
}

@ObjectType({ description: 'A notification just added for you, with your unread count after it.' })
export class NotificationAdded {
  @Field(() => Int, { description: 'Your unread notifications now.' })
  unreadCount!: number;

  @Field(() => Notification, { description: 'The new notification.' })
  notification!: Notification;
}
