import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { insertEvent } from '../../test/events.js';
import { createGroup, joinGroup, ok, signUp, unique, type TestUser } from '../../test/factories.js';
import { countQueries } from '../../test/query-counter.js';
import { EventStatus } from '../event/event.enums.js';

// What an explore card shows beyond the group itself: how far it is from the searched place, and its next event.
const CARDS = `query ($search: String, $near: GeoInput, $first: Int) {
  groups(filter: { search: $search, near: $near }, first: $first) {
    edges { node { id name distanceKm nextEvent { id title startsAt } } }
  }
}`;

const OSLO = { lat: 59.9139, lng: 10.7522 };
const SANDVIKA = { lat: 59.8906, lng: 10.5245 }; // about 13 km west of central Oslo
const TROMSO = { lat: 69.6492, lng: 18.9553 }; // far north, alone: its searches see only this test's groups

type Card = { id: string; name: string; distanceKm: number | null; nextEvent: { id: string; title: string; startsAt: string } | null };

let t: TestApi;
let organizer: TestUser;
let outsider: TestUser;
beforeAll(async () => {
  t = await startTestApi();
  [organizer, outsider] = await Promise.all([signUp(t, 'Olga'), signUp(t, 'Otto')]);
});
afterAll(() => t?.close());

async function cards(variables: Record<string, unknown>, token?: string): Promise<Card[]> {
  return (ok(await t.gql(CARDS, { first: 100, ...variables }, token)).groups.edges as Array<{ node: Card }>).map((e) => e.node);
}

const hours = (h: number) => new Date(Date.now() + h * 3600_000);

describe('Group.distanceKm', () => {
  it('gives each group\'s distance from the point searched near, and null when the list was not searched near a point', async () => {
    const word = `fjord${unique().replace(/\d/g, 'x')}`;
    const centre = await createGroup(t, organizer.token, { name: `Central ${word}`, location: OSLO });
    const west = await createGroup(t, organizer.token, { name: `West ${word}`, location: SANDVIKA });
    const near = await cards({ near: { ...OSLO, radiusKm: 30 } });
    const byId = new Map(near.map((c) => [c.id, c]));
    expect(byId.get(centre.id)!.distanceKm).toBeCloseTo(0, 3);
    expect(byId.get(west.id)!.distanceKm).toBeGreaterThan(12.5);
    expect(byId.get(west.id)!.distanceKm).toBeLessThan(13.5);
    // Searching words near a point ranks by relevance but still tells the distance.
    const searched = await cards({ search: word, near: { ...SANDVIKA, radiusKm: 30 } });
    expect(searched.find((c) => c.id === west.id)!.distanceKm).toBeCloseTo(0, 3);
    expect((await cards({ search: word })).map((c) => c.distanceKm)).toEqual([null, null]);
  });
});

describe('Group.nextEvent', () => {
  it('is the soonest scheduled event that has not ended: not a past or cancelled one', async () => {
    const group = await createGroup(t, organizer.token, { location: TROMSO });
    await insertEvent(t, organizer.id, group.id, { title: 'Last week', startsAt: hours(-170) });
    await insertEvent(t, organizer.id, group.id, { title: 'Called off', startsAt: hours(5), status: EventStatus.CANCELLED });
    const soon = await insertEvent(t, organizer.id, group.id, { title: 'Soon', startsAt: hours(30) });
    await insertEvent(t, organizer.id, group.id, { title: 'Later', startsAt: hours(300) });
    const [card] = (await cards({ near: { ...TROMSO, radiusKm: 1 } })).filter((c) => c.id === group.id);
    expect(card!.nextEvent).toMatchObject({ id: soon, title: 'Soon' });
    const quiet = await createGroup(t, organizer.token, { location: TROMSO });
    expect((await cards({ near: { ...TROMSO, radiusKm: 1 } })).find((c) => c.id === quiet.id)!.nextEvent).toBeNull();
  });

  it('hides a private group\'s next event from outsiders and signed-out visitors, and shows it to members', async () => {
    const group = await createGroup(t, organizer.token, { location: TROMSO, visibility: 'PRIVATE' });
    const event = await insertEvent(t, organizer.id, group.id, { title: 'Members only', startsAt: hours(48) });
    const seenBy = async (token?: string) => (await cards({ near: { ...TROMSO, radiusKm: 1 } }, token)).find((c) => c.id === group.id)!.nextEvent;
    expect(await seenBy()).toBeNull();
    expect(await seenBy(outsider.token)).toBeNull();
    expect(await seenBy(organizer.token)).toMatchObject({ id: event });
  });

  it('costs the same SQL statements for a page of 2 groups as for 12 (one batch for all cards, no query per group)', async () => {
    const place = { lat: 78.2232 + Math.random() / 100, lng: 15.6267 }; // Longyearbyen: nobody else meets there
    const statements = async (n: number) => {
      const { result, queries } = await countQueries(() => t.gql(CARDS, { near: { ...place, radiusKm: 5 }, first: 100 }, outsider.token));
      expect(ok(result).groups.edges).toHaveLength(n);
      return queries.length;
    };
    const make = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const group = await createGroup(t, organizer.token, { location: place, visibility: i % 2 ? 'PRIVATE' : 'PUBLIC' });
        await insertEvent(t, organizer.id, group.id, { startsAt: hours(24 + i) });
        if (i % 3 === 0) await joinGroup(t, outsider.token, group.id);
      }
    };
    await make(2);
    const small = await statements(2);
    await make(10);
    expect(await statements(12)).toBe(small);
  });
});
