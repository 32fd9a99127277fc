import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation } from '../../test/events.js';
import { expectError, ok } from '../../test/factories.js';
import { MAX_PLACES } from './place.inputs.js';

const PLACES = contractOperation('Places');
const PLACE = `query ($id: ID!) { place(id: $id) { id name region country countryCode timezone location { lat lng } } }`;

interface Place {
  id: string;
  name: string;
  region: string | null;
  country: string;
  countryCode: string;
  population: number;
  timezone: string;
  location: { lat: number; lng: number };
}

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

async function places(search: string, first?: number): Promise<Place[]> {
  return ok(await t.gql(PLACES, { search, first })).places as Place[];
}

describe('places(search, first)', () => {
  it('finds São Paulo from "sao pa", without accents or capitals, with its country and time zone', async () => {
    const [first] = await places('sao pa');
    expect(first).toMatchObject({ name: 'São Paulo', country: 'Brazil', countryCode: 'BR', timezone: 'America/Sao_Paulo' });
    expect(first!.population).toBeGreaterThan(10_000_000);
    expect(first!.location.lat).toBeCloseTo(-23.55, 1);
    expect(first!.location.lng).toBeCloseTo(-46.64, 1);
    expect((await places('SÃO PAULO'))[0]!.id).toBe(first!.id);
  });

  it('finds Zürich from "zur" and "zurich", with its canton', async () => {
    const [fromPrefix] = await places('zur');
    expect(fromPrefix).toMatchObject({ name: 'Zürich', region: 'Zürich', country: 'Switzerland', timezone: 'Europe/Zurich' });
    expect((await places('zurich'))[0]!.id).toBe(fromPrefix!.id);
  });

  it('ranks New York City first for "new york", then smaller places; a later word finds it too', async () => {
    const found = await places('new york');
    expect(found[0]).toMatchObject({ name: 'New York City', region: 'New York', countryCode: 'US', timezone: 'America/New_York' });
    const wholeNames = found.filter((p) => p.name.toLowerCase().startsWith('new york'));
    expect(found.slice(0, wholeNames.length)).toEqual(wholeNames);
    for (let i = 1; i < wholeNames.length; i++) expect(wholeNames[i]!.population).toBeLessThanOrEqual(wholeNames[i - 1]!.population);
    expect((await places('york city')).map((p) => p.name)).toContain('New York City');
  });

  it('puts larger places first among equal matches, and an exact name before a bigger place it starts', async () => {
    const manchesters = await places('manchester');
    expect(manchesters[0]).toMatchObject({ name: 'Manchester', countryCode: 'GB', region: 'England', timezone: 'Europe/London' });
    const populations = manchesters.filter((p) => p.name === 'Manchester').map((p) => p.population);
    expect(populations).toEqual([...populations].sort((a, b) => b - a));
    expect((await places('bath'))[0]).toMatchObject({ name: 'Bath', countryCode: 'GB' });
  });

  it('narrows by country or region after a comma', async () => {
    const found = await places('manchester, us');
    expect(found.length).toBeGreaterThan(1);
    expect(found.every((p) => p.countryCode === 'US')).toBe(true);
    expect((await places('manchester, new hampshire'))[0]).toMatchObject({ name: 'Manchester', region: 'New Hampshire' });
    expect((await places('london, canada'))[0]).toMatchObject({ name: 'London', countryCode: 'CA', region: null });
    // A label as the web shows it ("name, region, country") reads back as the same place.
    expect((await places('Manchester, New Hampshire, United States'))[0]).toMatchObject({ name: 'Manchester', region: 'New Hampshire' });
    expect((await places('Zürich, Zürich, Switzerland'))[0]).toMatchObject({ name: 'Zürich', countryCode: 'CH' });
  });

  it('returns at most `first` places, 8 by default, and refuses more than the cap naming the field', async () => {
    expect(await places('san', 3)).toHaveLength(3);
    expect(await places('san')).toHaveLength(8);
    expect(await places('san', MAX_PLACES)).toHaveLength(MAX_PLACES);
    expectError(await t.gql(PLACES, { search: 'san', first: MAX_PLACES + 1 }), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(PLACES, { search: 'san', first: -1 }), 'BAD_USER_INPUT', 'first');
    expectError(await t.gql(PLACES, { search: 'x'.repeat(101) }), 'BAD_USER_INPUT', 'search');
  });

  it('answers a blank search, or one that matches nothing, with no places', async () => {
    expect(await places('')).toEqual([]);
    expect(await places('   ')).toEqual([]);
    expect(await places(' , ')).toEqual([]);
    expect(await places('qqqxzzy')).toEqual([]);
  });

  it('looks a place up by the id a search gave, and answers null for an unknown one', async () => {
    const [zurich] = await places('zurich');
    expect(ok(await t.gql(PLACE, { id: zurich!.id })).place).toMatchObject({ name: 'Zürich', countryCode: 'CH' });
    expect(ok(await t.gql(PLACE, { id: '999999999' })).place).toBeNull();
    expect(ok(await t.gql(PLACE, { id: 'not-a-number' })).place).toBeNull();
  });

  it('answers about as fast as a trivial query, even for a one-letter search (ratio of medians, machine-independent)', async () => {
    await places('a'); // the gazetteer is built on first use (or at start-up in the server)
    // Interleaved, so a busy machine slows all three alike; a search that scanned the whole gazetteer per
    // request (or went to the database) would be many times slower than a request that does nothing.
    const runs = { trivial: [] as number[], broad: [] as number[], narrow: [] as number[] };
    const time = async (into: number[], run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      into.push(performance.now() - start);
    };
    for (let i = 0; i < 41; i++) {
      await time(runs.trivial, () => t.gql('{ __typename }'));
      await time(runs.broad, () => places('s', MAX_PLACES));
      await time(runs.narrow, () => places('sao pa'));
    }
    const median = (times: number[]) => times.sort((a, b) => a - b)[20]!;
    const [trivial, broad, narrow] = [median(runs.trivial), median(runs.broad), median(runs.narrow)];
    console.log(`places: trivial query ${trivial.toFixed(2)} ms, "s" ${broad.toFixed(2)} ms, "sao pa" ${narrow.toFixed(2)} ms`);
    expect(narrow / trivial).toBeLessThan(3);
    expect(broad / trivial).toBeLessThan(4);
  });
});
