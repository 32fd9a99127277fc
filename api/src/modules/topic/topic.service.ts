import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../shared/errors.js';
import { slugify } from '../../shared/text.js';
import { Topic } from './topic.entity.js';

/** Most topics one group may carry. */
export const MAX_TOPICS_PER_GROUP = 10;

/** Cleans a list of topic names: trimmed, de-duplicated by slug, at most ten, each sluggable. */
export function cleanTopicNames(names: string[], field: string): Array<{ slug: string; name: string }> {
  const bySlug = new Map<string, string>();
  for (const raw of names) {
    const name = raw.trim().replace(/\s+/g, ' ');
    const slug = slugify(name);
    if (!slug || name.length > 40) throw badInput(field, `"${raw}" is not a usable topic name (1 to 40 characters, with letters or digits)`);
    if (!bySlug.has(slug)) bySlug.set(slug, name);
  }
  if (bySlug.size > MAX_TOPICS_PER_GROUP) throw badInput(field, `a group has at most ${MAX_TOPICS_PER_GROUP} topics`);
  return [...bySlug].map(([slug, name]) => ({ slug, name }));
}

/**
 * The topics of these slugs, creating the unknown ones (topics grow like tags). Safe under concurrent creation.
 * `countNew` is told how many do not exist yet before any is created (the per-user allowance of new topics a day).
 */
export async function ensureTopics(
  em: EntityManager,
  topics: Array<{ slug: string; name: string }>,
  countNew: (n: number) => Promise<void>,
): Promise<Topic[]> {
  if (topics.length === 0) return [];
  const known: Array<{ slug: string }> = await em.execute(`select slug from topics where slug in (${topics.map(() => '?').join(', ')})`, topics.map((t) => t.slug));
  await countNew(topics.length - known.length);
  const values = topics.map(() => '(gen_random_uuid(), ?, ?)').join(', ');
  await em.execute(
    `insert into topics (id, slug, name) values ${values} on conflict (slug) do nothing`,
    topics.flatMap((t) => [t.slug, t.name]),
  );
  const rows = await em.find(Topic, { slug: { $in: topics.map((t) => t.slug) } });
  const bySlug = new Map(rows.map((t) => [t.slug, t]));
  return topics.map((t) => bySlug.get(t.slug)!);
}

/** Most topics the `topics` query lists, and how many when the client does not say. */
export const MAX_TOPICS_LISTED = 100;
export const DEFAULT_TOPICS_LISTED = 50;

/** The `first` most used topics that some group carries (a topic no group uses is not listed), most used first. */
export function listTopics(em: EntityManager, first: number | null | undefined): Promise<Topic[]> {
  const limit = first ?? DEFAULT_TOPICS_LISTED;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_TOPICS_LISTED) throw badInput('first', `must be between 0 and ${MAX_TOPICS_LISTED}`);
  if (limit === 0) return Promise.resolve([]);
  return em.find(Topic, { groupCount: { $gt: 0 } }, { orderBy: [{ groupCount: 'desc' }, { name: 'asc' }, { id: 'asc' }], limit });
}
