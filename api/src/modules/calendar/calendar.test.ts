import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { insertEvent, type EventSpec } from '../../test/events.js';
import { createGroup, signUp, unique } from '../../test/factories.js';
import { EventStatus } from '../event/event.enums.js';

let t: TestApi;
let organizer: { id: string; token: string };
beforeAll(async () => {
  t = await startTestApi({ PUBLIC_URL: 'https://gather.example' });
  organizer = await signUp(t, 'Organizer');
});
afterAll(() => t?.close());

/** Puts an event straight into the database (this feature only reads events). */
const addEvent = (groupId: string, spec: EventSpec) => insertEvent(t, organizer.id, groupId, spec);

const base = () => t.api.url.replace(/\/graphql$/, '');
const fetchIcs = (path: string) => fetch(`${base()}${path}`);

/** The content lines of an iCalendar text, unfolded, after checking the line format of RFC 5545 §3.1. */
function contentLines(text: string): string[] {
  expect(text.endsWith('\r\n') || text.endsWith('END:VCALENDAR')).toBe(true);
  const physical = text.replace(/\r\n$/, '').split('\r\n');
  for (const line of physical) {
    expect(line).not.toMatch(/[\r\n]/);
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
  }
  return text.replace(/\r\n[ \t]/g, '').replace(/\r\n$/, '').split('\r\n');
}

/**
 * Components by name with their properties ("NAME;PARAMS" → value), checking that BEGIN/END nest and that every
 * property of a component comes before its sub-components (RFC 5545's grammar).
 */
function components(lines: string[]) {
  type Component = { name: string; props: Array<[string, string]>; hasChildren: boolean };
  const found: Component[] = [];
  const open: Component[] = [];
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  for (const line of lines) {
    const colon = line.indexOf(':');
    const [key, value] = [line.slice(0, colon), line.slice(colon + 1)];
    if (key === 'BEGIN') {
      if (open.length) open.at(-1)!.hasChildren = true;
      open.push({ name: value, props: [], hasChildren: false });
    } else if (key === 'END') {
      expect(open.at(-1)?.name).toBe(value);
      found.push(open.pop()!);
    } else {
      expect(open.length, `property outside a component: ${line}`).toBeGreaterThan(0);
      expect(open.at(-1)!.hasChildren, `property after a sub-component: ${line}`).toBe(false);
      open.at(-1)!.props.push([key, value]);
    }
  }
  expect(open).toEqual([]);
  const all = (name: string) => found.filter((c) => c.name === name);
  const prop = (c: { props: Array<[string, string]> }, key: string) => c.props.find(([k]) => k === key || k.startsWith(`${key};`));
  return { all, prop };
}

describe('iCalendar downloads', () => {
  it('serves one event in its group\'s time zone, with a VTIMEZONE, venue, link and stable UID', async () => {
    const group = await createGroup(t, organizer.token, { name: `Oslo Coders ${unique()}`, timezone: 'Europe/Oslo' });
    const id = await addEvent(group.id, {
      title: 'Pizza, talks; and more',
      description: 'Two talks.\nThen pizza.',
      startsAt: '2030-01-15T17:00:00Z',
      venue: { name: 'Café Luna', address: 'Storgata 1', city: 'Oslo', lat: 59.9127, lng: 10.7461 },
    });
    const res = await fetchIcs(`/ical/events/${id}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    const { all, prop } = components(contentLines(text));

    const [calendar] = all('VCALENDAR');
    expect(prop(calendar, 'VERSION')?.[1]).toBe('2.0');
    expect(prop(calendar, 'PRODID')?.[1]).toMatch(/Gather/);
    const [zone] = all('VTIMEZONE');
    expect(prop(zone, 'TZID')?.[1]).toBe('Europe/Oslo');
    // Oslo's summer time: from the last Sunday of March 02:00 (+01:00) to the last Sunday of October 03:00 (+02:00).
    const [daylight] = all('DAYLIGHT');
    expect([prop(daylight, 'TZOFFSETFROM')?.[1], prop(daylight, 'TZOFFSETTO')?.[1], prop(daylight, 'RRULE')?.[1]]).toEqual(['+0100', '+0200', 'FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU']);
    expect(prop(daylight, 'DTSTART')?.[1]).toMatch(/T020000$/);
    const [standard] = all('STANDARD');
    expect([prop(standard, 'TZOFFSETFROM')?.[1], prop(standard, 'TZOFFSETTO')?.[1], prop(standard, 'RRULE')?.[1]]).toEqual(['+0200', '+0100', 'FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU']);
    expect(prop(standard, 'DTSTART')?.[1]).toMatch(/T030000$/);

    const [event] = all('VEVENT');
    expect(prop(event, 'UID')?.[1]).toBe(`${id}@gather`);
    expect(prop(event, 'DTSTART')).toEqual(['DTSTART;TZID=Europe/Oslo', '20300115T180000']);
    expect(prop(event, 'DTEND')).toEqual(['DTEND;TZID=Europe/Oslo', '20300115T200000']);
    expect(prop(event, 'DTSTAMP')?.[1]).toMatch(/^\d{8}T\d{6}Z$/);
    expect(prop(event, 'SUMMARY')?.[1]).toBe('Pizza\\, talks\\; and more');
    expect(prop(event, 'DESCRIPTION')?.[1]).toContain('Two talks.\\nThen pizza.');
    expect(prop(event, 'LOCATION')?.[1]).toBe('Café Luna\\nStorgata 1\\, Oslo');
    expect(prop(event, 'GEO')?.[1]).toBe('59.9127;10.7461');
    expect(prop(event, 'URL')?.[1]).toBe(`https://gather.example/events/${id}`);
    expect(prop(event, 'STATUS')?.[1]).toBe('CONFIRMED');

    const again = await (await fetchIcs(`/ical/events/${id}.ics`)).text();
    expect(again).toBe(text);
  });

  it('keeps the wall-clock time across DST and in zones with odd offsets', async () => {
    const oslo = await createGroup(t, organizer.token, { name: `Oslo Runners ${unique()}`, timezone: 'Europe/Oslo' });
    const summer = await addEvent(oslo.id, { startsAt: '2030-06-15T16:00:00Z' }); // 18:00 summer time
    const summerIcs = components(contentLines(await (await fetchIcs(`/ical/events/${summer}.ics`)).text()));
    expect(summerIcs.prop(summerIcs.all('VEVENT')[0], 'DTSTART')).toEqual(['DTSTART;TZID=Europe/Oslo', '20300615T180000']);

    const bangalore = await createGroup(t, organizer.token, { name: `Bangalore Readers ${unique()}`, city: 'Bangalore', timezone: 'Asia/Kolkata', location: { lat: 12.97, lng: 77.59 } });
    const id = await addEvent(bangalore.id, { startsAt: '2030-03-01T13:00:00Z' }); // 18:30 IST
    const ics = components(contentLines(await (await fetchIcs(`/ical/events/${id}.ics`)).text()));
    expect(ics.prop(ics.all('VEVENT')[0], 'DTSTART')).toEqual(['DTSTART;TZID=Asia/Kolkata', '20300301T183000']);
    const [zone] = ics.all('VTIMEZONE');
    expect(ics.prop(zone, 'TZID')?.[1]).toBe('Asia/Kolkata');
    expect(ics.all('STANDARD').map((c) => ics.prop(c, 'TZOFFSETTO')?.[1])).toEqual(['+0530']);
    expect(ics.all('DAYLIGHT')).toEqual([]);
  });

  it('feeds a group\'s upcoming events, cancelled ones marked, never an online link', async () => {
    const group = await createGroup(t, organizer.token, { name: `Board Gamers ${unique()}`, timezone: 'Europe/Berlin', city: 'Berlin' });
    const later = await addEvent(group.id, { title: 'Later', startsAt: '2031-02-01T18:00:00Z', venue: { name: 'Spielwiese' } });
    const sooner = await addEvent(group.id, { title: 'Sooner', startsAt: '2030-09-01T17:00:00Z', onlineUrl: 'https://meet.example.com/secret-room' });
    const cancelled = await addEvent(group.id, { title: 'Called off', startsAt: '2030-10-01T17:00:00Z', status: EventStatus.CANCELLED });
    const past = await addEvent(group.id, { title: 'Long ago', startsAt: '2020-01-01T17:00:00Z' });

    const res = await fetchIcs(`/ical/groups/${group.slug}.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await res.text();
    expect(text).not.toContain('secret-room');
    const ics = components(contentLines(text));
    const events = ics.all('VEVENT');
    expect(events.map((e) => ics.prop(e, 'UID')?.[1])).toEqual([sooner, cancelled, later].map((id) => `${id}@gather`));
    expect(events.map((e) => ics.prop(e, 'STATUS')?.[1])).toEqual(['CONFIRMED', 'CANCELLED', 'CONFIRMED']);
    expect(ics.prop(events[0], 'LOCATION')?.[1]).toBe('Online');
    expect(ics.prop(events[0], 'DTSTART')).toEqual(['DTSTART;TZID=Europe/Berlin', '20300901T190000']);
    expect(ics.all('VTIMEZONE').map((z) => ics.prop(z, 'TZID')?.[1])).toEqual(['Europe/Berlin']);
    // A past event is no longer in the feed, but its own download still works; a cancelled one says so.
    expect((await fetchIcs(`/ical/events/${past}.ics`)).status).toBe(200);
    const one = components(contentLines(await (await fetchIcs(`/ical/events/${cancelled}.ics`)).text()));
    expect(one.prop(one.all('VEVENT')[0], 'STATUS')?.[1]).toBe('CANCELLED');
  });

  it('answers 404 for a private group\'s events and feed, unknown ids and slugs, and ids that are not UUIDs', async () => {
    const hidden = await createGroup(t, organizer.token, { name: `Secret Society ${unique()}`, visibility: 'PRIVATE' });
    const id = await addEvent(hidden.id, { title: 'Members only', startsAt: '2030-05-05T18:00:00Z' });
    for (const path of [
      `/ical/events/${id}.ics`,
      `/ical/groups/${hidden.slug}.ics`,
      '/ical/events/00000000-0000-4000-8000-000000000000.ics',
      '/ical/events/not-a-uuid.ics',
      `/ical/groups/no-such-group-${unique()}.ics`,
    ]) {
      const res = await fetchIcs(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('Members only');
    }
  });
});
