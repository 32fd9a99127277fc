import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext } from '../../server/context.js';
import { silentLive, type Live } from '../../shared/live.js';
import { threadActivityTopic, type ThreadActivityChange } from './thread-activity.live.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { addMember, createGroup, ok, signUp, sql, type TestUser } from '../../test/factories.js';
import { countQueries } from '../../test/query-counter.js';
import { Event } from '../event/event.entity.js';
import { User } from '../user/user.entity.js';
import { deleteMessage, editMessage, postMessage } from './message.service.js';
import { EventThreadResolver } from './thread.resolver.js';

// Threads and messages through the contract's own operations, then the database behind them.

const contractFile = fileURLToPath(new URL('../../../../schema/contract.graphql', import.meta.url));
const contract = readFileSync(contractFile, 'utf8');
/** The text of one contract operation, verbatim. */
function op(name: string): string {
  const def = parse(contract).definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition' && d.name?.value === name);
  if (!def?.loc) throw new Error(`contract has no operation ${name}`);
  return contract.slice(def.loc.start, def.loc.end);
}

const GROUP_THREADS = `query ($slug: String!, $first: Int, $after: String) {
  group(slug: $slug) { threads(first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id title messageCount author { id name } group { id } event { id } } } } } }`;
const EVENT_CHAT = `query ($id: ID!) { thread(id: $id) { id event { id title thread { id messageCount } } } }`;
const EVENT_THREAD = `query ($id: ID!) { event(id: $id) { id thread { id messageCount } } }`;
const GROUP_EVENT_THREADS = `query ($slug: String!) { group(slug: $slug) { events(first: 10) { edges { node { id thread { id messageCount } } } } } }`;

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

/** A public group with its organizer and `count` more active members. */
async function groupWithMembers(count = 1) {
  const organizer = await signUp(t, 'Olga');
  const { id: groupId, slug } = await createGroup(t, organizer.token);
  const members = await Promise.all(Array.from({ length: count }, () => addMember(t, organizer.token, groupId)));
  return { groupId, slug, organizer, members };
}

async function createThread(groupId: string, who: TestUser, title = 'Weekend plans') {
  const r = await t.gql(op('CreateThread'), { input: { groupId, title, body: 'Anyone up for a hike?' } }, who.token);
  expect(r.errors).toBeUndefined();
  return r.data!.createThread.id as string;
}

/** An event of the group, made by the contract's CreateEvent (which also starts its chat). */
async function eventWithChat(groupId: string, organizer: TestUser, title = 'Picnic') {
  const startsAt = new Date(Date.now() + 86_400_000).toISOString();
  const event = ok(await t.gql(op('CreateEvent'), { input: { groupId, title, startsAt } }, organizer.token)).createEvent;
  expect(event.thread).not.toBeNull();
  return { eventId: event.id as string, threadId: event.thread.id as string };
}

describe('threads and messages', () => {
  it('runs CreateThread, PostMessage, EditMessage, DeleteMessage and ThreadMessages from the contract', async () => {
    const { groupId, slug, members: [ann, bob] } = await groupWithMembers(2);
    const created = await t.gql(op('CreateThread'), { input: { groupId, title: 'Books for May', body: 'Suggestions?' } }, ann.token);
    expect(created.data!.createThread).toMatchObject({ title: 'Books for May', messageCount: 1 });
    const threadId = created.data!.createThread.id;

    const posted = await t.gql(op('PostMessage'), { threadId, body: 'Dune!' }, bob.token);
    expect(posted.data!.postMessage).toMatchObject({ body: 'Dune!', author: { id: bob.id, name: bob.name } });
    const messageId = posted.data!.postMessage.id;
    const edited = await t.gql(op('EditMessage'), { id: messageId, body: 'Dune, the first one' }, bob.token);
    expect(edited.data!.editMessage).toMatchObject({ id: messageId, body: 'Dune, the first one' });
    expect(edited.data!.editMessage.editedAt).not.toBeNull();
    const deleted = await t.gql(op('DeleteMessage'), { id: messageId }, bob.token);
    expect(deleted.data!.deleteMessage).toEqual({ id: messageId, deleted: true });

    const read = await t.gql(op('ThreadMessages'), { id: threadId, last: 10 });
    expect(read.errors).toBeUndefined();
    const thread = read.data!.thread;
    expect(thread).toMatchObject({ id: threadId, title: 'Books for May', messageCount: 2, group: { id: groupId, slug }, event: null });
    expect(thread.messages.pageInfo.hasPreviousPage).toBe(false);
    expect(thread.messages.edges.map((e: any) => e.node)).toMatchObject([
      { body: 'Suggestions?', deleted: false, editedAt: null, author: { id: ann.id, name: ann.name } },
      { id: messageId, body: '', deleted: true, author: { id: bob.id } },
    ]);

    const [row] = await sql(t, 'select message_count, last_message_at from threads where id = ?', [threadId]);
    const messages = await sql(t, 'select body, deleted, edited_at, created_at from messages where thread_id = ? order by created_at, id', [threadId]);
    expect(row.message_count).toBe(2);
    expect(row.last_message_at).toEqual(messages[1].created_at);
    expect(new Date(thread.lastMessageAt)).toEqual(new Date(messages[1].created_at));
    expect(messages[1]).toMatchObject({ body: '', deleted: true });
    expect(new Date(messages[1].edited_at)).toEqual(new Date(edited.data!.editMessage.editedAt));
  });

  it('pages backwards through 25 messages, newest last, without duplicates or gaps', async () => {
    const { groupId, members: [ann] } = await groupWithMembers(1);
    const threadId = await createThread(groupId, ann);
    for (let i = 2; i <= 25; i++) await t.gql(op('PostMessage'), { threadId, body: `Message ${i}` }, ann.token);
    const inOrder = (await sql(t, 'select id from messages where thread_id = ? order by created_at, id', [threadId])).map((r: any) => r.id);
    expect(inOrder).toHaveLength(25);

    const pages: Array<{ ids: string[]; hasPreviousPage: boolean }> = [];
    let before: string | null = null;
    type Page = { data?: { thread: { messages: { edges: Array<{ cursor: string; node: { id: string } }>; pageInfo: { hasPreviousPage: boolean; startCursor: string } } } } | null };
    do {
      const r: Page & { errors?: unknown } = await t.gql(op('ThreadMessages'), { id: threadId, last: 10, before });
      expect(r.errors).toBeUndefined();
      const { edges, pageInfo } = r.data!.thread.messages;
      pages.push({ ids: edges.map((e) => e.node.id), hasPreviousPage: pageInfo.hasPreviousPage });
      expect(pageInfo.startCursor).toBe(edges[0].cursor);
      before = pageInfo.hasPreviousPage ? pageInfo.startCursor : null;
    } while (before);

    expect(pages.map((p) => p.ids.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.hasPreviousPage)).toEqual([true, true, false]);
    expect(pages[0].ids).toEqual(inOrder.slice(15));
    expect(pages[1].ids).toEqual(inOrder.slice(5, 15));
    expect(pages[2].ids).toEqual(inOrder.slice(0, 5));
    expect([...pages].reverse().flatMap((p) => p.ids)).toEqual(inOrder);
  });

  it('keeps messageCount exact under 30 parallel posts', async () => {
    const { groupId, members } = await groupWithMembers(5);
    const threadId = await createThread(groupId, members[0]);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.gql(op('PostMessage'), { threadId, body: `Racing ${i}` }, members[i % 5].token)),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const [row] = await sql(t, 
      `select t.message_count, t.last_message_at, count(m.id)::int as rows, max(m.created_at) as newest
       from threads t join messages m on m.thread_id = t.id where t.id = ? group by t.id`,
      [threadId],
    );
    expect(row.message_count).toBe(31);
    expect(row.rows).toBe(31);
    expect(row.last_message_at).toEqual(row.newest);
  });
});

describe('a group\'s threads', () => {
  it('lists discussions most recently active first, pages by keyset, and leaves event chats out', async () => {
    const { groupId, slug, organizer, members: [ann] } = await groupWithMembers(1);
    const [a, b, c] = [await createThread(groupId, ann, 'A'), await createThread(groupId, ann, 'B'), await createThread(groupId, ann, 'C')];
    await t.gql(op('PostMessage'), { threadId: a, body: 'Bump' }, ann.token);
    await eventWithChat(groupId, organizer);

    const first = await t.gql(GROUP_THREADS, { slug, first: 2 });
    expect(first.errors).toBeUndefined();
    const list = first.data!.group.threads;
    expect(list.totalCount).toBe(3);
    expect(list.edges.map((e: any) => e.node.id)).toEqual([a, c]);
    expect(list.edges[0].node).toMatchObject({ title: 'A', messageCount: 2, author: { id: ann.id, name: ann.name }, group: { id: groupId }, event: null });
    expect(list.pageInfo.hasNextPage).toBe(true);
    const rest = (await t.gql(GROUP_THREADS, { slug, first: 2, after: list.pageInfo.endCursor })).data!.group.threads;
    expect(rest.edges.map((e: any) => e.node.id)).toEqual([b]);
    expect(rest.pageInfo.hasNextPage).toBe(false);

    const page = ok(await t.gql(op('GroupPage'), { slug })).group.threads;
    expect(page.totalCount).toBe(3);
    expect(page.edges.map((e: any) => e.node.title)).toEqual(['A', 'C', 'B']);
    expect((await t.gql(GROUP_THREADS, { slug, after: 'garbage' })).errors![0].extensions!.field).toBe('after');
  });

  it('links an event and its chat both ways (Thread.event, Event.thread), for members of a private group only', async () => {
    const organizer = await signUp(t, 'Olga');
    const { id: groupId } = await createGroup(t, organizer.token, { visibility: 'PRIVATE' });
    const [ann, outsider] = [await addMember(t, organizer.token, groupId), await signUp(t, 'Otto')];
    const { eventId, threadId } = await eventWithChat(groupId, organizer);
    ok(await t.gql(op('PostMessage'), { threadId, body: 'I bring cake' }, ann.token));

    const fromThread = ok(await t.gql(EVENT_CHAT, { id: threadId }, ann.token));
    expect(fromThread.thread.event).toEqual({ id: eventId, title: 'Picnic', thread: { id: threadId, messageCount: 1 } });
    expect(ok(await t.gql(EVENT_THREAD, { id: eventId }, ann.token)).event.thread).toEqual({ id: threadId, messageCount: 1 });
    expect((await t.gql(EVENT_THREAD, { id: eventId }, outsider.token)).data!.event).toBeNull();

    // Defence in depth: even handed an event of the group, an outsider gets no thread.
    const event = await t.api.db.orm.em.fork().findOneOrFail(Event, eventId);
    const asOutsider = makeContext({ orm: t.api.db.orm, config: t.config }, await t.api.db.orm.em.fork().findOneOrFail(User, outsider.id), null);
    expect(await new EventThreadResolver().thread(event, asOutsider)).toBeNull();
  });

  it('batches Event.thread by event id: the query count does not grow with the number of events', async () => {
    const queriesFor = async (count: number) => {
      const organizer = await signUp(t, 'Olga');
      const { id: groupId, slug } = await createGroup(t, organizer.token);
      for (let i = 0; i < count; i++) await eventWithChat(groupId, organizer, `Meetup ${i}`);
      const { result, queries } = await countQueries(() => t.gql(GROUP_EVENT_THREADS, { slug }));
      const threads = ok(result).group.events.edges.map((e: any) => e.node.thread);
      expect(threads.every((th: any) => th?.messageCount === 0)).toBe(true);
      return { n: queries.length, events: threads.length };
    };
    const [few, many] = [await queriesFor(2), await queriesFor(5)];
    expect([few.events, many.events]).toEqual([2, 5]);
    expect(many.n).toBe(few.n);
  });

  it('batches authors, groups and events: the query count does not grow with the number of threads', async () => {
    const queriesFor = async (slug: string) => {
      const { result, queries } = await countQueries(() => t.gql(GROUP_THREADS, { slug, first: 20 }));
      expect(result.errors).toBeUndefined();
      return { n: queries.length, threads: result.data!.group.threads.edges.length };
    };
    const small = await groupWithMembers(2);
    const large = await groupWithMembers(6);
    for (const m of small.members) await createThread(small.groupId, m);
    for (const m of large.members) await createThread(large.groupId, m);
    const [few, many] = [await queriesFor(small.slug), await queriesFor(large.slug)];
    expect([few.threads, many.threads]).toEqual([2, 6]);
    expect(many.n).toBe(few.n);
  });
});

describe('live thread activity', () => {
  async function recordingContext(userId: string, live: Live) {
    const viewer = await t.api.db.orm.em.fork().findOneOrFail(User, userId);
    return makeContext({ orm: t.api.db.orm, config: t.config, live }, viewer, null);
  }

  it('publishes POSTED, EDITED and DELETED with the thread\'s counts, and nothing for refusals or no-ops', async () => {
    const { groupId, organizer, members: [ann] } = await groupWithMembers(1);
    const outsider = await signUp(t, 'Otto');
    const threadId = await createThread(groupId, ann);
    const changes: ThreadActivityChange[] = [];
    const live: Live = {
      ...silentLive,
      publish: (topic, _key, payload) => void (topic === threadActivityTopic && changes.push(payload as ThreadActivityChange)),
    };

    const posted = await postMessage(await recordingContext(ann.id, live), threadId, ' Hello ');
    await editMessage(await recordingContext(ann.id, live), posted.id, 'Hello, all');
    await editMessage(await recordingContext(ann.id, live), posted.id, 'Hello, all'); // same text: no-op
    await expect(postMessage(await recordingContext(outsider.id, live), threadId, 'Hi')).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await deleteMessage(await recordingContext(organizer.id, live), posted.id);
    await deleteMessage(await recordingContext(ann.id, live), posted.id); // already deleted: no-op

    expect(changes.map((c) => c.kind)).toEqual(['POSTED', 'EDITED', 'DELETED']);
    const [row] = await sql(t, 'select created_at, edited_at from messages where id = ?', [posted.id]);
    const message = { id: posted.id, createdAt: new Date(row.created_at).toISOString(), author: { id: ann.id, name: ann.name } };
    expect(changes[0]).toMatchObject({ groupId, message: { ...message, body: 'Hello', deleted: false, editedAt: null }, thread: { id: threadId, messageCount: 2, lastMessageAt: message.createdAt } });
    expect(changes[1].message).toMatchObject({ ...message, body: 'Hello, all', editedAt: new Date(row.edited_at).toISOString() });
    expect(changes[2]).toMatchObject({ message: { ...message, body: '', deleted: true }, thread: { messageCount: 2 } });
  });

  it('publishes only after the commit: a publisher that throws cannot undo the post', async () => {
    const { groupId, members: [ann] } = await groupWithMembers(1);
    const threadId = await createThread(groupId, ann);
    const live: Live = {
      ...silentLive,
      publish() {
        throw new Error('publisher exploded');
      },
    };
    await expect(postMessage(await recordingContext(ann.id, live), threadId, 'Still saved')).rejects.toThrow('publisher exploded');
    const [row] = await sql(t, 
      `select t.message_count, (select count(*)::int from messages m where m.thread_id = t.id and m.body = 'Still saved') as saved from threads t where t.id = ?`,
      [threadId],
    );
    expect(row).toEqual({ message_count: 2, saved: 1 });
  });
});
