import type { Catalog } from '../api-bridge.js';
import type { DatasetSize } from '../options.js';

/** A deterministic pseudo-random generator (mulberry32). */
export function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const PRIMES = [7919, 7927, 7933, 7937, 7949, 7951, 7963, 7993, 8009, 8011, 8017, 8039, 8053, 8059, 8069, 8081, 8087, 8089, 8093, 8101];

/**
 * One group as the SQL generator needs it. Its members are users `1 + ((start + k * stride) % users)` for
 * k = 0 … members + pending − 1 (distinct because stride and the user count are coprime): k = 0 is its organizer,
 * k < members are ACTIVE, the rest PENDING.
 */
export interface GroupSpec {
  rank: number;
  name: string;
  slug: string;
  description: string;
  city: string;
  lat: number;
  lng: number;
  timezone: string;
  visibility: 'PUBLIC' | 'PRIVATE';
  join_mode: 'OPEN' | 'APPROVAL';
  join_question: string | null;
  topic_names: string;
  created_days: number;
  members: number;
  pending: number;
  start: number;
  stride: number;
  two_organizers: boolean;
  venues: number;
  titles: string[];
  topics: string[];
}

export interface VenueSpec {
  rank: number;
  v: number;
  name: string;
  address: string;
  city: string;
  lat: number | null;
  lng: number | null;
}

const slugify = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const jitter = (random: () => number, km: number) => (random() - 0.5) * 2 * (km / 111.32);

/**
 * The groups, ranked by popularity: group r has about 0.2 × users / r^0.9 active members (a Zipf-like tail), so a
 * few groups are very large. The first groups of each city are public; a tenth of the rest are private.
 */
export function makeGroups(catalog: Catalog, size: DatasetSize, seed: number): { groups: GroupSpec[]; venues: VenueSpec[] } {
  const random = randomFrom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const strides = PRIMES.filter((p) => gcd(p, size.users) === 1);
  const topicName = new Map(catalog.topics.map((t) => [t.slug, t.slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase())]));
  const groups: GroupSpec[] = [];
  const venues: VenueSpec[] = [];
  for (let rank = 1; rank <= size.groups; rank++) {
    const city = catalog.cities[(rank - 1) % catalog.cities.length];
    const topic = catalog.topics[(rank - 1) % catalog.topics.length];
    const district = pick(city.districts);
    const fill = (t: string) => t.replace(/\{city\}/g, city.name).replace(/\{district\}/g, district);
    const name = fill(pick(topic.names)).slice(0, 90);
    const related = random() < 0.6 ? topic.related.slice(0, 1 + Math.floor(random() * topic.related.length)) : [];
    const topics = [topic.slug, ...related];
    const members = Math.min(size.users, Math.max(8, Math.floor((0.2 * size.users) / rank ** 0.9)));
    const visibility = rank > 24 && random() < 0.1 ? 'PRIVATE' : 'PUBLIC';
    const joinMode = visibility === 'PRIVATE' || random() < 0.15 ? 'APPROVAL' : 'OPEN';
    const pending = joinMode === 'APPROVAL' ? Math.min(size.users - members, Math.max(1, Math.round(members * 0.02))) : 0;
    groups.push({
      rank,
      name,
      slug: `${slugify(name)}-${rank}`,
      description: [fill(pick(topic.openers)), pick(topic.details), pick(catalog.closers)].join(' '),
      city: city.name,
      lat: Number((city.lat + jitter(random, 5)).toFixed(5)),
      lng: Number((city.lng + jitter(random, 5) / Math.cos((city.lat * Math.PI) / 180)).toFixed(5)),
      timezone: city.timezone,
      visibility,
      join_mode: joinMode,
      join_question: joinMode === 'APPROVAL' ? `What brings you to ${name}?` : null,
      topic_names: topics.map((t) => topicName.get(t) ?? t).join(' '),
      created_days: 120 + Math.floor(random() * 780),
      members,
      pending,
      start: Math.floor(random() * size.users),
      stride: strides[rank % strides.length],
      two_organizers: random() < 0.3,
      venues: 1 + Math.floor(random() * 3),
      titles: topic.events,
      topics,
    });
    const places = topic.outdoor ? catalog.outdoorVenues : catalog.indoorVenues;
    for (let v = 1; v <= groups[rank - 1].venues; v++) {
      const located = random() < 0.9;
      venues.push({
        rank,
        v,
        name: fill(pick(places)),
        address: `${1 + Math.floor(random() * 220)} ${pick(city.streets)}`,
        city: city.name,
        lat: located ? Number((city.lat + jitter(random, 8)).toFixed(5)) : null,
        lng: located ? Number((city.lng + jitter(random, 8) / Math.cos((city.lat * Math.PI) / 180)).toFixed(5)) : null,
      });
    }
  }
  return { groups, venues };
}
