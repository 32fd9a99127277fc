import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import { hashPassword } from '../../modules/user/password.js';
import type { Database } from '../database.js';
import { insertRows } from './bulk.js';
import { DEMO_EMAIL, DEMO_PASSWORD, makeCommunity } from './community.js';
import { makeGatherings } from './events.js';
import { Random } from './random.js';
import { makeConversations } from './threads.js';
import { seedDemoNotifications, seedReminders } from './notifications.js';
import { TOPIC_CATALOG } from './topics.js';

/** How much demo data to make, and from which seed. */
export interface SeedOptions {
  /** Multiplies people, groups and everything in them (1 = 1,000 people in 60 groups). Default 1. */
  scale?: number;
  /** Seed of the pseudo-random generator: the same seed gives the same data. Default 42. */
  seed?: number;
  /** scrypt cost (log2 N) of the one password hash every demo account shares. Default 15. */
  passwordLogN?: number;
  /** Delete all users, groups and what hangs off them first, instead of refusing a non-empty database. Default false. */
  force?: boolean;
  /** The moment events are past or upcoming from. Default: now. */
  now?: Date;
}

/** How many rows of each kind were made, and how long it took. */
export interface SeedSummary {
  users: number;
  groups: number;
  memberships: number;
  events: number;
  rsvps: number;
  threads: number;
  messages: number;
  ms: number;
}

/** Whether the database holds no users and no groups (the migration's starter topics do not count). */
export async function isDatabaseEmpty(em: EntityManager): Promise<boolean> {
  const [{ empty }] = await em.execute(`select not exists (select 1 from users) and not exists (select 1 from groups) as empty`);
  return empty as boolean;
}

/** Refusal to seed a database that already has users or groups (the CLI's --force replaces them). */
export class DatabaseNotEmptyError extends Error {
  constructor() {
    super('The database already has users or groups; demo data goes only into an empty database.');
  }
}

const TABLES = 'notifications, notification_settings, password_resets, image_variants, images, messages, threads, rsvps, event_hosts, events, event_series, venues, memberships, group_topics, groups, sessions, users';

/**
 * Fills an empty database with realistic demo data: people in twelve cities, groups on the twenty starter
 * topics, members, past and upcoming events with RSVPs and waitlists, event chats and discussions. Every
 * denormalized count equals its rows. Deterministic for a seed (relative to `now`); one transaction.
 * The demo account is demo@gather.test / gather-demo.
 */
export async function seedDemoData(orm: MikroORM, options: SeedOptions = {}): Promise<SeedSummary> {
  const started = Date.now();
  const { scale = 1, seed = 42, passwordLogN = 15, force = false, now = new Date() } = options;
  if (!(scale > 0) || scale > 1000) throw new Error(`scale must be a positive number up to 1000, not ${scale}`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, not ${seed}`);
  const em = orm.em.fork();
  if (!force && !(await isDatabaseEmpty(em))) throw new DatabaseNotEmptyError();

  const topicRows: Array<{ id: string; slug: string; name: string }> = await em.execute('select id, slug, name from topics');
  const topics = new Map(topicRows.map((t) => [t.slug, t]));
  const missing = TOPIC_CATALOG.filter((t) => !topics.has(t.slug)).map((t) => t.slug);
  if (missing.length) throw new Error(`starter topics missing (is the database migrated?): ${missing.join(', ')}`);

  // One hash for every demo account: scrypt is slow on purpose, and they all share the demo password.
  const passwordHash = await hashPassword(DEMO_PASSWORD, passwordLogN);
  const random = new Random(seed);
  const community = makeCommunity(random, {
    users: Math.max(20, Math.round(1000 * scale)),
    groups: Math.max(2, Math.round(60 * scale)),
    passwordHash,
    now,
    topics,
  });
  const gatherings = makeGatherings(random, community.groups, now);
  const conversations = makeConversations(random, community.groups, gatherings.events, now);

  await em.transactional(async (tx) => {
    if (force) await tx.execute(`truncate ${TABLES}`);
    await insertRows(tx, 'users', community.rows.users);
    await insertRows(tx, 'groups', community.rows.groups);
    await insertRows(tx, 'group_topics', community.rows.groupTopics);
    await insertRows(tx, 'memberships', community.rows.memberships);
    await insertRows(tx, 'venues', community.rows.venues);
    await insertRows(tx, 'events', gatherings.rows.events);
    await insertRows(tx, 'event_hosts', gatherings.rows.hosts);
    await insertRows(tx, 'rsvps', gatherings.rows.rsvps);
    await insertRows(tx, 'threads', conversations.threads);
    await insertRows(tx, 'messages', conversations.messages);
    await tx.execute('update topics set group_count = (select count(*) from group_topics gt where gt.topic_id = topics.id)');
    await seedDemoNotifications(tx, DEMO_EMAIL, now);
    await seedReminders(tx);
  });

  return {
    users: community.rows.users.length,
    groups: community.rows.groups.length,
    memberships: community.rows.memberships.length,
    events: gatherings.rows.events.length,
    rsvps: gatherings.rows.rsvps.length,
    threads: conversations.threads.length,
    messages: conversations.messages.length,
    ms: Date.now() - started,
  };
}

/**
 * First-start demo data: seeds an embedded database that has no users or groups yet, when SEED_DEMO_DATA is on.
 * Returns whether it seeded. A database behind DATABASE_URL is never touched.
 */
export async function seedIfEmpty(db: Database, config: Pick<Config, 'SEED_DEMO_DATA' | 'PASSWORD_SCRYPT_LOG_N'>): Promise<boolean> {
  if (!db.embedded || !config.SEED_DEMO_DATA) return false;
  if (!(await isDatabaseEmpty(db.orm.em.fork()))) return false;
  const summary = await seedDemoData(db.orm, { passwordLogN: config.PASSWORD_SCRYPT_LOG_N });
  console.log(JSON.stringify({ level: 'info', msg: 'loaded demo data', ...summary, login: `${DEMO_EMAIL} / ${DEMO_PASSWORD}` }));
  return true;
}
