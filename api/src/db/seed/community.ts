import { slugify } from '../../shared/text.js';
import type { Row } from './bulk.js';
import { CITIES, INDOOR_VENUES, OUTDOOR_VENUES, near, type City } from './cities.js';
import { BIOS, FIRST_NAMES, LAST_NAMES } from './people.js';
import type { Random } from './random.js';
import { CLOSERS, TOPIC_CATALOG, type TopicCatalog } from './topics.js';

const DAY = 86_400_000;

/** The demo account: logs in with DEMO_PASSWORD and organizes the first two groups. */
export const DEMO_EMAIL = 'demo@gather.test';
export const DEMO_PASSWORD = 'gather-demo';

export interface SeedUser {
  id: string;
  name: string;
  city: number;
}

export interface SeedMember {
  userId: string;
  role: 'ORGANIZER' | 'EVENT_ORGANIZER' | 'MEMBER';
  joinedAt: Date;
}

export interface SeedVenue {
  id: string;
  name: string;
}

export interface SeedGroup {
  id: string;
  name: string;
  city: City;
  district: string;
  topic: TopicCatalog;
  createdAt: Date;
  /** ACTIVE members, organizers first. */
  members: SeedMember[];
  venues: SeedVenue[];
}

/** Users, groups, topics of groups, memberships and venues, as rows and as what events are made from. */
export interface Community {
  users: SeedUser[];
  groups: SeedGroup[];
  rows: { users: Row[]; groups: Row[]; groupTopics: Row[]; memberships: Row[]; venues: Row[] };
}

const fill = (template: string, city: City, district: string) => template.replace(/\{city\}/g, city.name).replace(/\{district\}/g, district);
const iso = (date: Date) => date.toISOString();
const between = (random: Random, from: Date, to: Date) => new Date(from.getTime() + Math.floor(random.next() * Math.max(0, to.getTime() - from.getTime())));

function makeUsers(random: Random, count: number, passwordHash: string, now: Date): { users: SeedUser[]; rows: Row[] } {
  const users: SeedUser[] = [];
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    const demo = i === 0;
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const city = demo ? 0 : random.int(0, CITIES.length - 1);
    const home = random.chance(0.5) ? near(CITIES[city], 10, () => random.next()) : null;
    const user = { id: random.uuid(), name: demo ? 'Dana Demo' : `${first} ${last}`, city };
    users.push(user);
    rows.push({
      id: user.id,
      email: demo ? DEMO_EMAIL : `${slugify(first)}.${slugify(last)}.${i}@gather.test`,
      password_hash: passwordHash,
      name: user.name,
      bio: demo ? 'I organize a couple of groups here. Log in as me to try the organizer tools.' : random.pick(BIOS),
      city: CITIES[city].name,
      lat: home?.lat ?? null,
      lng: home?.lng ?? null,
      created_at: iso(new Date(now.getTime() - random.int(400, 1200) * DAY)),
    });
  }
  return { users, rows };
}

/**
 * Makes the people and groups of the demo: `groups` groups spread evenly over the twelve cities and twenty
 * topics, each with organizers, members (mostly from its own city), join requests and a few venues.
 */
export function makeCommunity(
  random: Random,
  options: { users: number; groups: number; passwordHash: string; now: Date; topics: Map<string, { id: string; name: string }> },
): Community {
  const { now, topics } = options;
  const { users, rows: userRows } = makeUsers(random, options.users, options.passwordHash, now);
  const demo = users[0];
  const byCity = CITIES.map((_, c) => users.filter((u) => u.city === c && u !== demo));
  const elsewhere = CITIES.map((_, c) => users.filter((u) => u.city !== c && u !== demo));
  let demoAskedToJoin = false;
  const rows: Community['rows'] = { users: userRows, groups: [], groupTopics: [], memberships: [], venues: [] };
  const groups: SeedGroup[] = [];
  const slugs = new Set<string>();

  for (let i = 0; i < options.groups; i++) {
    const city = CITIES[i % CITIES.length];
    const topic = TOPIC_CATALOG[i % TOPIC_CATALOG.length];
    const district = random.pick(city.districts);
    let name = fill(random.pick(topic.names), city, district);
    const base = slugify(name);
    let slug = base;
    for (let n = 2; slugs.has(slug); n++) slug = `${base}-${n}`;
    if (slug !== base) name = `${name} ${slug.slice(base.length + 1)}`;
    slugs.add(slug);
    const topicSlugs = [topic.slug, ...random.sample(topic.related, random.pick([0, 1, 1, 2]))];
    const createdAt = new Date(now.getTime() - random.int(120, 900) * DAY);
    const isDemoGroup = i < 2;
    const visibility = !isDemoGroup && random.chance(0.1) ? 'PRIVATE' : 'PUBLIC';
    const joinMode = visibility === 'PRIVATE' || random.chance(0.15) ? 'APPROVAL' : 'OPEN';
    const group: SeedGroup = { id: random.uuid(), name, city, district, topic, createdAt, members: [], venues: [] };
    const place = near(city, 5, () => random.next());
    const description = [fill(random.pick(topic.openers), city, district), random.pick(topic.details), random.pick(CLOSERS)].join(' ');
    rows.groups.push({
      id: group.id, slug, name, description, city: city.name, lat: place.lat, lng: place.lng, timezone: city.timezone,
      visibility, join_mode: joinMode, join_question: joinMode === 'APPROVAL' ? `What brings you to ${name}?` : null,
      member_count: 0, topic_names: topicSlugs.map((t) => topics.get(t)!.name).join(' '), created_at: iso(createdAt), updated_at: iso(createdAt),
    });
    topicSlugs.forEach((topicSlug, position) => rows.groupTopics.push({ group_id: group.id, topic_id: topics.get(topicSlug)!.id, position }));

    // Members: a long tail of sizes, mostly locals, the organizer first.
    const locals = byCity[i % CITIES.length];
    const others = elsewhere[i % CITIES.length];
    const size = Math.min(5 + Math.floor(120 * random.next() ** 2.5), locals.length + 10);
    const people = [...random.sample(locals, Math.round(size * 0.85)), ...random.sample(others, size - Math.round(size * 0.85))];
    if (isDemoGroup) people.unshift(demo);
    else if (random.chance(0.2) && !people.includes(demo)) people.push(demo);
    const organizers = random.chance(0.3) ? 2 : 1;
    const eventOrganizers = random.int(0, 2);
    people.forEach((person, k) => {
      const role = k < organizers ? 'ORGANIZER' : k < organizers + eventOrganizers ? 'EVENT_ORGANIZER' : 'MEMBER';
      const joinedAt = k === 0 ? createdAt : between(random, createdAt, now);
      group.members.push({ userId: person.id, role, joinedAt });
      rows.memberships.push({
        id: random.uuid(), group_id: group.id, user_id: person.id, role, status: 'ACTIVE',
        answer: joinMode === 'APPROVAL' && k > 0 ? 'I heard about you from a friend.' : null,
        created_at: iso(joinedAt), joined_at: iso(joinedAt), updated_at: iso(joinedAt),
      });
    });
    // Requests waiting for (or refused by) an organizer.
    if (joinMode === 'APPROVAL') {
      const taken = new Set(people.map((p) => p.id));
      const waiting = random.sample(locals.filter((u) => !taken.has(u.id)), random.int(1, 4));
      if (!demoAskedToJoin && !taken.has(demo.id)) {
        waiting.push(demo); // the demo account has one request pending too
        demoAskedToJoin = true;
      }
      waiting.forEach((person, k) => {
        const at = between(random, new Date(now.getTime() - 20 * DAY), now);
        rows.memberships.push({
          id: random.uuid(), group_id: group.id, user_id: person.id, role: 'MEMBER', status: k === 0 && waiting.length > 2 ? 'REJECTED' : 'PENDING',
          answer: 'I would love to join, I have been doing this for a while.', created_at: iso(at), joined_at: null, updated_at: iso(at),
        });
      });
    }
    const row = rows.groups.at(-1)!;
    row.member_count = group.members.length;

    const venueNames = random.sample(topic.outdoor ? OUTDOOR_VENUES : INDOOR_VENUES, random.int(1, 3));
    for (const venueName of venueNames) {
      const at = random.chance(0.9) ? near(city, 8, () => random.next()) : null;
      const venue = { id: random.uuid(), name: fill(venueName, city, district) };
      group.venues.push(venue);
      rows.venues.push({
        id: venue.id, group_id: group.id, name: venue.name, address: `${random.int(1, 220)} ${random.pick(city.streets)}`,
        city: city.name, lat: at?.lat ?? null, lng: at?.lng ?? null,
      });
    }
    groups.push(group);
  }
  return { users, groups, rows };
}
