import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { addMember, createGroup, expectError, joinGroup, ok, signUp, sql, type TestUser } from '../../test/factories.js';

// Who may do what with threads and messages (docs/ARCHITECTURE.md, Who may see and do what), each rule allowed and refused.

const REVIEW = `mutation ($membershipId: ID!) { reviewMembership(membershipId: $membershipId, approve: true) { id status } }`;
const CREATE_EVENT = `mutation ($input: CreateEventInput!) { createEvent(input: $input) { id thread { id } } }`;
const CANCEL_EVENT = `mutation ($id: ID!) { cancelEvent(id: $id) { id status } }`;
const REMOVE = `mutation ($membershipId: ID!) { removeMember(membershipId: $membershipId, ban: true) }`;
const CREATE_THREAD = `mutation ($input: CreateThreadInput!) { createThread(input: $input) { id title messageCount } }`;
const POST = `mutation ($threadId: ID!, $body: String!) { postMessage(threadId: $threadId, body: $body) { id body } }`;
const EDIT = `mutation ($id: ID!, $body: String!) { editMessage(id: $id, body: $body) { id body editedAt } }`;
const DELETE = `mutation ($id: ID!) { deleteMessage(id: $id) { id body deleted } }`;
const THREAD = `query ($id: ID!) { thread(id: $id) { id title messages(last: 5) { edges { node { id body } } } } }`;
const GROUP_THREADS = `query ($slug: String!) { group(slug: $slug) { threads(first: 10) { totalCount edges { node { id } } } } }`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

/** A group with its organizer, an active member, a signed-in outsider and a banned former member. */
async function cast(settings: { visibility?: 'PUBLIC' | 'PRIVATE'; joinMode?: 'OPEN' | 'APPROVAL' } = {}) {
  const [organizer, member, outsider, banned] = await Promise.all(['Olga', 'Mia', 'Otto', 'Bert'].map((name) => signUp(t, name)));
  const { id: groupId, slug } = await createGroup(t, organizer.token, settings);
  for (const person of [member, banned]) {
    const joined = await joinGroup(t, person.token, groupId);
    if (settings.joinMode === 'APPROVAL') ok(await t.gql(REVIEW, { membershipId: joined.id }, organizer.token));
    if (person === banned) expect(ok(await t.gql(REMOVE, { membershipId: joined.id }, organizer.token)).removeMember).toBe(true);
  }
  return { groupId, slug, organizer, member, outsider, banned };
}

const count = async (query: string, params: unknown[]) => Number((await sql(t, query, params))[0].n);

async function startThread(groupId: string, who: TestUser, title = 'Trail talk') {
  const threadId: string = ok(await t.gql(CREATE_THREAD, { input: { groupId, title, body: 'First!' } }, who.token)).createThread.id;
  const firstMessageId = (await sql(t, 'select id from messages where thread_id = ?', [threadId]))[0].id as string;
  return { threadId, firstMessageId };
}

describe('createThread', () => {
  it('lets active members start threads and refuses everyone else', async () => {
    const g = await cast();
    const created = ok(await t.gql(CREATE_THREAD, { input: { groupId: g.groupId, title: '  Hikes  ', body: ' Who is in? ' } }, g.member.token));
    expect(created.createThread).toMatchObject({ title: 'Hikes', messageCount: 1 });
    const [row] = await sql(t, 'select t.message_count, t.last_message_at, m.body, m.created_at from threads t join messages m on m.thread_id = t.id where t.id = ?', [created.createThread.id]);
    expect(row).toMatchObject({ message_count: 1, body: 'Who is in?' });
    expect(row.last_message_at).toEqual(row.created_at);

    const input = { groupId: g.groupId, title: 'Nope', body: 'Nope' };
    const outsider = await t.gql(CREATE_THREAD, { input }, g.outsider.token);
    expectError(outsider, 'FORBIDDEN');
    expect(outsider.errors![0].message).toMatch(/join the group first/i);
    expectError(await t.gql(CREATE_THREAD, { input }, g.banned.token), 'FORBIDDEN');
    expectError(await t.gql(CREATE_THREAD, { input }), 'UNAUTHENTICATED');
    expect(await count('select count(*) as n from threads where group_id = ?', [g.groupId])).toBe(1);
  });

  it('refuses pending members of a group that approves members', async () => {
    const g = await cast({ joinMode: 'APPROVAL' });
    const pending = await signUp(t, 'Pat');
    expect((await joinGroup(t, pending.token, g.groupId)).status).toBe('PENDING');
    expectError(await t.gql(CREATE_THREAD, { input: { groupId: g.groupId, title: 'Hi', body: 'Hi' } }, pending.token), 'FORBIDDEN');
  });

  it('names the offending field of bad input and writes nothing', async () => {
    const g = await cast();
    const attempt = (title: string, body: string) => t.gql(CREATE_THREAD, { input: { groupId: g.groupId, title, body } }, g.member.token);
    expectError(await attempt('   ', 'Body'), 'BAD_USER_INPUT', 'input.title');
    expectError(await attempt('x'.repeat(201), 'Body'), 'BAD_USER_INPUT', 'input.title');
    expectError(await attempt('Title', ' \n '), 'BAD_USER_INPUT', 'input.body');
    expectError(await attempt('Title', 'x'.repeat(4001)), 'BAD_USER_INPUT', 'input.body');
    expect(await count('select count(*) as n from threads where group_id = ?', [g.groupId])).toBe(0);
    // 4,000 characters (emoji count once each, as PostgreSQL counts them) and a 200-character title fit.
    expect((await attempt('t'.repeat(200), '😀'.repeat(4000))).errors).toBeUndefined();
    for (const groupId of ['not-a-uuid', '00000000-0000-4000-8000-000000000000'])
      expectError(await t.gql(CREATE_THREAD, { input: { groupId, title: 'T', body: 'B' } }, g.member.token), 'NOT_FOUND');
  });
});

describe('postMessage', () => {
  it('lets active members post and refuses outsiders, banned and pending people and anonymous callers', async () => {
    const g = await cast({ joinMode: 'APPROVAL' });
    const pending = await signUp(t, 'Pat');
    await joinGroup(t, pending.token, g.groupId);
    const { threadId } = await startThread(g.groupId, g.organizer);
    const posted = await t.gql(POST, { threadId, body: '  See you there  ' }, g.member.token);
    expect(posted.data!.postMessage.body).toBe('See you there');

    for (const who of [g.outsider, g.banned, pending]) {
      const r = await t.gql(POST, { threadId, body: 'Let me in' }, who.token);
      expectError(r, 'FORBIDDEN');
      expect(r.errors![0].message).toMatch(/join the group first/i);
    }
    expectError(await t.gql(POST, { threadId, body: 'Anon' }), 'UNAUTHENTICATED');
    expect(await count('select message_count as n from threads where id = ?', [threadId])).toBe(2);
    expect(await count('select count(*) as n from messages where thread_id = ?', [threadId])).toBe(2);
  });

  it('checks the body after trimming and finds no unknown thread', async () => {
    const g = await cast();
    const { threadId } = await startThread(g.groupId, g.member);
    expectError(await t.gql(POST, { threadId, body: '   ' }, g.member.token), 'BAD_USER_INPUT', 'body');
    expectError(await t.gql(POST, { threadId, body: 'x'.repeat(4001) }, g.member.token), 'BAD_USER_INPUT', 'body');
    expect((await t.gql(POST, { threadId, body: ` ${'x'.repeat(4000)} ` }, g.member.token)).errors).toBeUndefined();
    expectError(await t.gql(POST, { threadId: 'nope', body: 'Hi' }, g.member.token), 'NOT_FOUND');
    expectError(await t.gql(POST, { threadId: '00000000-0000-4000-8000-000000000000', body: 'Hi' }, g.member.token), 'NOT_FOUND');
    expect(await count('select message_count as n from threads where id = ?', [threadId])).toBe(2);
  });

  it('hides a private group\'s threads from outsiders (NOT_FOUND) and posts to a cancelled event\'s chat', async () => {
    const g = await cast({ visibility: 'PRIVATE' });
    const { threadId } = await startThread(g.groupId, g.member);
    expectError(await t.gql(POST, { threadId, body: 'Hi' }, g.outsider.token), 'NOT_FOUND');

    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const event = ok(await t.gql(CREATE_EVENT, { input: { groupId: g.groupId, title: 'Called off', startsAt } }, g.organizer.token)).createEvent;
    expect(ok(await t.gql(CANCEL_EVENT, { id: event.id }, g.organizer.token)).cancelEvent.status).toBe('CANCELLED');
    const chat = event.thread as { id: string };
    const r = await t.gql(POST, { threadId: chat.id, body: 'Shame, next time!' }, g.member.token);
    expect(r.errors).toBeUndefined();
    expect(await count('select message_count as n from threads where id = ?', [chat.id])).toBe(1);
  });
});

describe('editMessage', () => {
  it('lets only the author edit, not other members nor organizers, and not once deleted', async () => {
    const g = await cast();
    const { threadId, firstMessageId } = await startThread(g.groupId, g.member);
    const edited = await t.gql(EDIT, { id: firstMessageId, body: ' First, edited ' }, g.member.token);
    expect(edited.data!.editMessage).toMatchObject({ body: 'First, edited' });
    expect(Date.parse(edited.data!.editMessage.editedAt)).toBeGreaterThan(0);

    const otherMember = await addMember(t, g.organizer.token, g.groupId);
    for (const who of [otherMember, g.organizer, g.outsider]) expectError(await t.gql(EDIT, { id: firstMessageId, body: 'Hijack' }, who.token), 'FORBIDDEN');
    expectError(await t.gql(EDIT, { id: firstMessageId, body: 'Anon' }), 'UNAUTHENTICATED');
    expectError(await t.gql(EDIT, { id: firstMessageId, body: '  ' }, g.member.token), 'BAD_USER_INPUT', 'body');
    expectError(await t.gql(EDIT, { id: 'nope', body: 'x' }, g.member.token), 'NOT_FOUND');

    await t.gql(DELETE, { id: firstMessageId }, g.member.token);
    expectError(await t.gql(EDIT, { id: firstMessageId, body: 'Back' }, g.member.token), 'BAD_USER_INPUT', 'id');
    const [row] = await sql(t, 'select body, deleted from messages where id = ?', [firstMessageId]);
    expect(row).toEqual({ body: '', deleted: true });
    expect(await count('select message_count as n from threads where id = ?', [threadId])).toBe(1);
  });

  it('refuses an author who has been banned since', async () => {
    const g = await cast();
    const { firstMessageId } = await startThread(g.groupId, g.member);
    const m = await sql(t, 'select id from memberships where user_id = ? and group_id = ?', [g.member.id, g.groupId]);
    await t.gql(REMOVE, { membershipId: m[0].id }, g.organizer.token);
    expectError(await t.gql(EDIT, { id: firstMessageId, body: 'Spam' }, g.member.token), 'FORBIDDEN');
    expect((await sql(t, 'select body from messages where id = ?', [firstMessageId]))[0].body).toBe('First!');
  });
});

describe('deleteMessage', () => {
  it('lets the author and organizers delete; other members and event organizers may not', async () => {
    const g = await cast();
    const { threadId, firstMessageId } = await startThread(g.groupId, g.member);
    const second = (await t.gql(POST, { threadId, body: 'Second' }, g.member.token)).data!.postMessage.id as string;
    const eventOrganizer = await addMember(t, g.organizer.token, g.groupId, 'EVENT_ORGANIZER');

    for (const who of [eventOrganizer, g.outsider, g.banned]) expectError(await t.gql(DELETE, { id: second }, who.token), 'FORBIDDEN');
    expectError(await t.gql(DELETE, { id: second }), 'UNAUTHENTICATED');
    expectError(await t.gql(DELETE, { id: 'nope' }, g.member.token), 'NOT_FOUND');

    expect((await t.gql(DELETE, { id: firstMessageId }, g.member.token)).data!.deleteMessage).toEqual({ id: firstMessageId, body: '', deleted: true });
    expect((await t.gql(DELETE, { id: second }, g.organizer.token)).data!.deleteMessage.deleted).toBe(true);
    // Deleting again is a no-op that returns the message.
    expect((await t.gql(DELETE, { id: second }, g.member.token)).data!.deleteMessage).toEqual({ id: second, body: '', deleted: true });

    const rows = await sql(t, 'select body, deleted from messages where thread_id = ? order by created_at', [threadId]);
    expect(rows).toEqual([{ body: '', deleted: true }, { body: '', deleted: true }]);
    // messageCount counts deleted messages too.
    expect(await count('select message_count as n from threads where id = ?', [threadId])).toBe(2);
  });
});

describe('reading threads', () => {
  it('shows a public group\'s threads to anyone, signed in or not', async () => {
    const g = await cast();
    const { threadId } = await startThread(g.groupId, g.member);
    for (const token of [undefined, g.outsider.token, g.banned.token]) {
      const r = await t.gql(THREAD, { id: threadId }, token);
      expect(r.data!.thread.messages.edges.map((e: any) => e.node.body)).toEqual(['First!']);
      expect((await t.gql(GROUP_THREADS, { slug: g.slug }, token)).data!.group.threads.totalCount).toBe(1);
    }
  });

  it('shows a private group\'s threads to its active members only', async () => {
    const g = await cast({ visibility: 'PRIVATE', joinMode: 'APPROVAL' });
    const pending = await signUp(t, 'Pat');
    await joinGroup(t, pending.token, g.groupId);
    const { threadId } = await startThread(g.groupId, g.member);

    expect((await t.gql(THREAD, { id: threadId }, g.member.token)).data!.thread.id).toBe(threadId);
    expect((await t.gql(GROUP_THREADS, { slug: g.slug }, g.member.token)).data!.group.threads.totalCount).toBe(1);
    for (const token of [undefined, g.outsider.token, g.banned.token, pending.token]) {
      const r = await t.gql(THREAD, { id: threadId }, token);
      expect(r.data!.thread).toBeNull();
      expectError(r, 'NOT_FOUND');
      const list = await t.gql(GROUP_THREADS, { slug: g.slug }, token);
      expect(list.data!.group.threads).toEqual({ totalCount: 0, edges: [] });
    }
  });

  it('answers NOT_FOUND for unknown and malformed ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'abc', "1' or '1'='1"]) {
      const r = await t.gql(THREAD, { id });
      expect(r.data!.thread).toBeNull();
      expectError(r, 'NOT_FOUND');
    }
  });
});
