import type { TestApi } from './api.js';
import { contractOperation, createEvent, rsvp } from './events.js';
import { createGroup, joinGroup, ok, setRole, signUp, unique, type TestUser } from './factories.js';

/** Who looks at a private group: from nobody signed in to its organizer. */
export const VIEWERS = ['anonymous', 'outsider', 'pending', 'banned', 'member', 'going', 'organizer'] as const;
export type Viewer = (typeof VIEWERS)[number];
/** The ACTIVE members: they see inside the group. */
export const INSIDERS: readonly Viewer[] = ['member', 'going', 'organizer'];

/** Who looks at a public group's event with an online link. */
export const PUBLIC_VIEWERS = ['anonymous', 'outsider', 'member', 'going', 'host', 'organizer'] as const;
export type PublicViewer = (typeof PUBLIC_VIEWERS)[number];

const REVIEW = contractOperation('ReviewMembership');
const REMOVE = contractOperation('RemoveMember');
const CREATE_THREAD = contractOperation('CreateThread');
const POST = contractOperation('PostMessage');
const EVENT_PAGE = contractOperation('EventPage');
const THREAD = contractOperation('ThreadMessages');

/**
 * A private group with everything docs/ARCHITECTURE.md (Who may see and do what) hides from outsiders, each piece carrying a unique string
 * (a "secret") that a response can be searched for; and a public group's event with an online link.
 */
export async function privacyWorld(t: TestApi) {
  const tag = unique();
  const secret = {
    organizerName: `Organizer ${tag}`,
    memberName: `Member ${tag}`,
    goingName: `Going ${tag}`,
    togglerName: `Toggler ${tag}`,
    eventTitle: `Secret supper ${tag}`,
    eventDescription: `Hidden agenda ${tag}`,
    threadTitle: `Secret thread ${tag}`,
    messageBody: `Secret message ${tag}`,
    chatBody: `Secret chat ${tag}`,
    liveBody: `Live secret ${tag}`,
    onlineUrl: `https://meet.example/private-${tag}`,
    answer: `Secret answer ${tag}`,
    publicOnlineUrl: `https://meet.example/public-${tag}`,
  };

  const organizer = await signUp(t, secret.organizerName);
  const group = await createGroup(t, organizer.token, {
    name: `Quiet circle ${tag}`,
    visibility: 'PRIVATE',
    joinMode: 'APPROVAL',
    joinQuestion: 'Who sent you?',
  });
  const admit = async (name: string) => {
    const user = await signUp(t, name);
    const m = await joinGroup(t, user.token, group.id, 'A friend');
    ok(await t.gql(REVIEW, { membershipId: m.id, approve: true }, organizer.token));
    return { ...user, membershipId: m.id };
  };
  const member = await admit(secret.memberName);
  const going = await admit(secret.goingName);
  const toggler = await admit(secret.togglerName);
  const banned = await admit('Banned');
  ok(await t.gql(REMOVE, { membershipId: banned.membershipId, ban: true }, organizer.token));
  const pending = await signUp(t, 'Pending');
  await joinGroup(t, pending.token, group.id, secret.answer);
  const outsider = await signUp(t, 'Outsider');

  const event = await createEvent(t, organizer.token, group.id, {
    title: secret.eventTitle,
    description: secret.eventDescription,
    onlineUrl: secret.onlineUrl,
    capacity: 10,
  });
  const goingRsvp = ok(await rsvp(t, going.token, event.id, 'YES')).rsvp as { id: string };
  ok(await rsvp(t, member.token, event.id, 'NO')); // an RSVP, but not going: still no online link
  const thread = ok(await t.gql(CREATE_THREAD, { input: { groupId: group.id, title: secret.threadTitle, body: secret.messageBody } }, member.token))
    .createThread as { id: string };
  const eventThreadId = ok(await t.gql(EVENT_PAGE, { id: event.id }, organizer.token)).event.thread.id as string;
  ok(await t.gql(POST, { threadId: eventThreadId, body: secret.chatBody }, going.token));
  const messageId = ok(await t.gql(THREAD, { id: thread.id }, member.token)).thread.messages.edges[0].node.id as string;

  const users: Record<Viewer, TestUser | null> = { anonymous: null, outsider, pending, banned, member, going, organizer };
  return { secret, group, event, goingRsvp, thread, eventThreadId, messageId, users, toggler, publicWorld: await publicEvent(t, secret.publicOnlineUrl, outsider) };
}

/** A public group whose event has an online link: its organizer, the event's host (an event organizer), one going, one member. */
async function publicEvent(t: TestApi, onlineUrl: string, outsider: TestUser) {
  const organizer = await signUp(t, 'Public organizer');
  const group = await createGroup(t, organizer.token, { visibility: 'PUBLIC' });
  const host = await signUp(t, 'Public host');
  await setRole(t, organizer.token, (await joinGroup(t, host.token, group.id)).id, 'EVENT_ORGANIZER');
  const event = await createEvent(t, host.token, group.id, { onlineUrl, title: `Open evening ${unique()}` });
  const member = await signUp(t, 'Public member');
  await joinGroup(t, member.token, group.id);
  ok(await rsvp(t, member.token, event.id, 'NO'));
  const going = await signUp(t, 'Public going');
  await joinGroup(t, going.token, group.id);
  ok(await rsvp(t, going.token, event.id, 'YES'));
  const users: Record<PublicViewer, TestUser | null> = { anonymous: null, outsider, member, going, host, organizer };
  return { group, event, users };
}

export type PrivacyWorld = Awaited<ReturnType<typeof privacyWorld>>;
export type SecretKey = keyof PrivacyWorld['secret'];
