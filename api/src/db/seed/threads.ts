import type { Row } from './bulk.js';
import type { SeedGroup } from './community.js';
import type { SeedEvent } from './events.js';
import { DISCUSSION_LINES, DISCUSSION_TITLES, EVENT_LINES } from './people.js';
import type { Random } from './random.js';

const DAY = 86_400_000;

export interface Conversations {
  threads: Row[];
  messages: Row[];
}

const iso = (date: Date) => date.toISOString();

/** Appends a thread and its messages (sorted in time, a few edited or deleted); its counts are its message rows'. */
function addThread(
  random: Random,
  out: Conversations,
  thread: { id: string; groupId: string; eventId: string | null; title: string; authorId: string; createdAt: Date },
  posts: Array<{ authorId: string; body: string }>,
  until: Date,
) {
  const span = Math.max(0, until.getTime() - thread.createdAt.getTime());
  const at = posts.map(() => thread.createdAt.getTime() + Math.floor(random.next() * span)).sort((a, b) => a - b);
  posts.forEach((post, k) => {
    const deleted = random.chance(0.03);
    const edited = !deleted && random.chance(0.05);
    out.messages.push({
      id: random.uuid(), thread_id: thread.id, author_id: post.authorId, body: deleted ? '' : post.body,
      created_at: iso(new Date(at[k])), edited_at: edited ? iso(new Date(at[k] + random.int(1, 30) * 60_000)) : null, deleted,
    });
  });
  out.threads.push({
    id: thread.id, group_id: thread.groupId, event_id: thread.eventId, title: thread.title, author_id: thread.authorId,
    message_count: posts.length, last_message_at: posts.length ? iso(new Date(at.at(-1)!)) : null, created_at: iso(thread.createdAt),
  });
}

/** Every event's own chat (created with it), and each group's discussion threads, with their messages. */
export function makeConversations(random: Random, groups: SeedGroup[], events: SeedEvent[], now: Date): Conversations {
  const out: Conversations = { threads: [], messages: [] };
  for (const event of events) {
    const talkers = event.respondents.length ? event.respondents : [event.createdBy];
    const posts = Array.from({ length: random.int(0, 6) }, () => ({ authorId: random.pick(talkers), body: random.pick(EVENT_LINES) }));
    const until = new Date(Math.min(now.getTime(), event.endsAt.getTime() + DAY));
    const thread = { id: random.uuid(), groupId: event.group.id, eventId: event.id, title: event.title, authorId: event.createdBy, createdAt: event.createdAt };
    addThread(random, out, thread, posts, until);
  }
  for (const group of groups) {
    const people = group.members.map((m) => m.userId);
    for (const title of random.sample(DISCUSSION_TITLES, random.int(1, 4))) {
      const welcome = title.startsWith('Welcome');
      const authorId = welcome ? people[0] : random.pick(people);
      const createdAt = welcome ? group.createdAt : new Date(group.createdAt.getTime() + Math.floor(random.next() * (now.getTime() - group.createdAt.getTime())));
      const posts = Array.from({ length: random.int(1, 14) }, () => ({ authorId: random.pick(people), body: random.pick(DISCUSSION_LINES) }));
      addThread(random, out, { id: random.uuid(), groupId: group.id, eventId: null, title, authorId, createdAt }, posts, now);
    }
  }
  return out;
}
