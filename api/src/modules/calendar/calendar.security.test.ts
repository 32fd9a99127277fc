import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, insertEvent } from '../../test/events.js';
import { createGroup, ok, signUp, sql, unique } from '../../test/factories.js';

// Calendar feeds are public, unauthenticated downloads: nothing in them may be forged by a text, a Host header or a date
// (docs/ARCHITECTURE.md, "Calendar feeds").

let t: TestApi;
let organizer: { id: string; token: string };
const PUBLIC_URL = 'https://gather.example';

beforeAll(async () => {
  t = await startTestApi({ PUBLIC_URL });
  organizer = await signUp(t, 'Organizer');
});
afterAll(() => t?.close());

const base = () => t.api.url.replace(/\/graphql$/, '');
async function fetchIcs(path: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${base()}${path}`, { headers });
  expect(res.status).toBe(200);
  return res.text();
}

/** Parses a calendar with ical.js (a real RFC 5545 parser), its time zones registered so times convert. */
function parseCalendar(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  return calendar;
}

/**
 * A text property's value: ical.js unescapes the properties it knows as TEXT; the calendar's NAME and X-WR-* are
 * unknown to it, so they are unescaped here by RFC 5545 §3.3.11.
 */
function textOf(component: ICAL.Component, name: string): string {
  const property = component.getFirstProperty(name)!;
  const value = String(property.getFirstValue());
  return property.type === 'text' ? value : value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Every text that might break a content line or a value: CR, LF, CRLF, `;`, `,`, `\`, `:` and a whole forged component. */
const HOSTILE = 'a;b,c\\d\re\nf\r\ng:h\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged@evil\r\nSUMMARY:forged';

describe('iCalendar feeds are safe', () => {
  it('escapes every text: a parser finds exactly one VEVENT per event and every text as it was written', async () => {
    const group = await createGroup(t, organizer.token, { name: `Escapers ${unique()}`, timezone: 'Europe/Oslo' });
    const title = `Title ${HOSTILE}`;
    const description = `Description ${HOSTILE}`;
    const venue = { name: `Venue ${HOSTILE}`, address: `Street ${HOSTILE}`, city: `City ${HOSTILE}`, lat: 59.9, lng: 10.7 };
    const ids = [
      await insertEvent(t, organizer.id, group.id, { title, description, venue, startsAt: '2030-01-15T17:00:00Z' }),
      await insertEvent(t, organizer.id, group.id, { title: `Second ${HOSTILE}`, startsAt: '2030-07-15T16:00:00Z' }),
    ];
    // Names and descriptions are written straight into the database: whatever the API's own checks, the feed must hold.
    await sql(t, 'update groups set name = ?, description = ? where id = ?', [`Group ${HOSTILE}`, `About ${HOSTILE}`, group.id]);

    const feed = parseCalendar(await fetchIcs(`/ical/groups/${group.slug}.ics`));
    expect(textOf(feed, 'x-wr-calname')).toBe(`Group ${HOSTILE}`.replace(/\r\n|\r/g, '\n'));
    expect(textOf(feed, 'name')).toBe(`Group ${HOSTILE}`.replace(/\r\n|\r/g, '\n'));
    expect(textOf(feed, 'x-wr-caldesc')).toBe(`About ${HOSTILE}`.replace(/\r\n|\r/g, '\n'));
    const events = feed.getAllSubcomponents('vevent');
    expect(events.map((e) => e.getFirstPropertyValue('uid'))).toEqual(ids.map((id) => `${id}@gather`));
    const first = new ICAL.Event(events[0]);
    const lf = (text: string) => text.replace(/\r\n|\r/g, '\n');
    expect(first.summary).toBe(lf(title));
    expect(first.description).toBe(`${lf(description)}\n\n${PUBLIC_URL}/events/${ids[0]}`);
    expect(first.location).toBe(lf(`${venue.name}\n${venue.address}, ${venue.city}`));
    expect(events[0].getFirstPropertyValue('url')).toBe(`${PUBLIC_URL}/events/${ids[0]}`);
    // The time zone the feed carries converts back to the stored instants, summer and winter.
    expect(first.startDate.toJSDate().toISOString()).toBe('2030-01-15T17:00:00.000Z');
    expect(new ICAL.Event(events[1]).startDate.toJSDate().toISOString()).toBe('2030-07-15T16:00:00.000Z');

    const one = parseCalendar(await fetchIcs(`/ical/events/${ids[0]}.ics`));
    expect(one.getAllSubcomponents('vevent')).toHaveLength(1);
    expect(textOf(one, 'x-wr-calname')).toBe(lf(title));
    expect(new ICAL.Event(one.getFirstSubcomponent('vevent')!).summary).toBe(lf(title));
  });

  it('writes links on the configured PUBLIC_URL, whatever Host the request names', async () => {
    const group = await createGroup(t, organizer.token, { name: `Linkers ${unique()}` });
    const id = await insertEvent(t, organizer.id, group.id, { startsAt: '2030-03-01T10:00:00Z' });
    for (const path of [`/ical/events/${id}.ics`, `/ical/groups/${group.slug}.ics`]) {
      const text = await fetchIcs(path, { host: 'evil.example', 'x-forwarded-host': 'evil.example' });
      expect(text).not.toContain('evil.example');
      const [event] = parseCalendar(text).getAllSubcomponents('vevent');
      expect(event.getFirstPropertyValue('url')).toBe(`${PUBLIC_URL}/events/${id}`);
    }
  });

  it('the feed of the widest event costs about what a plain one does, and the API stays responsive', async () => {
    const group = await createGroup(t, organizer.token, { name: `Wide ${unique()}`, timezone: 'Europe/Berlin' });
    const plain = await insertEvent(t, organizer.id, group.id, { startsAt: '2030-03-01T10:00:00Z' });
    // The widest event the API accepts: two weeks at the far end of the accepted years; the group's feed then spans
    // from now to 2300.
    const created = ok(
      await t.gql(contractOperation('CreateEvent'), { input: { groupId: group.id, title: 'Wide', startsAt: '2299-12-17T00:00:00Z', endsAt: '2299-12-31T00:00:00Z' } }, organizer.token),
    ).createEvent.id as string;
    // A row from before these limits (none exist in practice) spanning year 1 to 9999 must not freeze a feed either.
    const legacy = await insertEvent(t, organizer.id, group.id, { startsAt: '0001-01-01T00:00:00Z' });
    await sql(t, `update events set ends_at = '9999-12-31T00:00:00Z' where id = ?`, [legacy]);

    const median = async (path: string) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const started = performance.now();
        await fetchIcs(path);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[3];
    };
    const plainMs = await median(`/ical/events/${plain}.ics`);
    // Whole milliseconds at least, so timer noise on a tiny plain time cannot make the ratio meaningless.
    const floor = Math.max(plainMs, 5);
    for (const path of [`/ical/events/${created}.ics`, `/ical/events/${legacy}.ics`, `/ical/groups/${group.slug}.ics`]) {
      const ms = await median(path);
      expect(ms / floor, `${path}: ${ms.toFixed(1)} ms against ${plainMs.toFixed(1)} ms`).toBeLessThan(4);
    }
    // While the legacy feed is served, /healthz answers at once.
    const feed = fetchIcs(`/ical/events/${legacy}.ics`);
    const started = performance.now();
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    const text = await feed;
    expect(text.length).toBeLessThan(5000);
    expect(parseCalendar(text).getAllSubcomponents('vevent')).toHaveLength(1);
  });
});
