import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file is bench/src/… or bench/dist/…). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const apiDir = join(repoRoot, 'api');
export const benchDir = join(repoRoot, 'bench');
/** The built API's entry point, started as its own process. */
export const apiEntry = join(apiDir, 'dist/index.js');

const importApi = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(apiDir, 'dist', path)).href)) as T;

/** A city of the API's demo data. */
export interface City {
  name: string;
  lat: number;
  lng: number;
  timezone: string;
  districts: string[];
  streets: string[];
}

/** A topic of the API's demo catalog. */
export interface TopicCatalog {
  slug: string;
  names: string[];
  openers: string[];
  details: string[];
  events: string[];
  outdoor: boolean;
  related: string[];
}

/** The words of the API's demo data (api/dist/db/seed), reused so benchmark groups read like real ones. */
export interface Catalog {
  cities: City[];
  topics: TopicCatalog[];
  closers: string[];
  firstNames: string[];
  lastNames: string[];
  discussionTitles: string[];
  discussionLines: string[];
  eventLines: string[];
  indoorVenues: string[];
  outdoorVenues: string[];
}

export async function loadCatalog(): Promise<Catalog> {
  const cities = await importApi<{ CITIES: City[]; INDOOR_VENUES: string[]; OUTDOOR_VENUES: string[] }>('db/seed/cities.js');
  const topics = await importApi<{ TOPIC_CATALOG: TopicCatalog[]; CLOSERS: string[] }>('db/seed/topics.js');
  const people = await importApi<Record<string, string[]>>('db/seed/people.js');
  return {
    cities: cities.CITIES,
    topics: topics.TOPIC_CATALOG,
    closers: topics.CLOSERS,
    firstNames: people.FIRST_NAMES,
    lastNames: people.LAST_NAMES,
    discussionTitles: people.DISCUSSION_TITLES,
    discussionLines: people.DISCUSSION_LINES,
    eventLines: people.EVENT_LINES,
    indoorVenues: cities.INDOOR_VENUES,
    outdoorVenues: cities.OUTDOOR_VENUES,
  };
}

/** Applies the API's migrations to `url` with the API's own migrator (api/dist/db/database.js). */
export async function migrate(url: string): Promise<void> {
  // Entities use decorator metadata: reflect-metadata first, as the API's index.ts does.
  await import(pathToFileURL(createRequire(join(apiDir, 'package.json')).resolve('reflect-metadata')).href);
  const { openDatabase } = await importApi<{
    openDatabase(config: { DATABASE_URL: string; DB_POOL_MAX: number }, dataDir: null): Promise<{ close(): Promise<void> }>;
  }>('db/database.js');
  const db = await openDatabase({ DATABASE_URL: url, DB_POOL_MAX: 2 }, null);
  await db.close();
}
