import type { ICalLuxonDateTimeStub } from 'ical-generator';

/** Calendar fields of an instant on a wall clock. */
interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of `instant` in the IANA zone `zone`. */
export function wallTime(zone: string, instant: Date): WallTime {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** The zone's offset from UTC at `instant`, in minutes (Oslo in winter: 60). */
export function offsetMinutes(zone: string, instant: Date): number {
  const w = wallTime(zone, instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** iCalendar DATE-TIME without a zone suffix: 20261201T180000. */
function icalLocal(w: WallTime): string {
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

/** An iCalendar UTC-OFFSET: +0100, -0330. */
function icalOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/**
 * An instant shown in a time zone, in the Luxon-like shape ical-generator formats with `TZID=<zone>`.
 * (Native Dates would be printed in the server's own zone.)
 */
export class ZonedInstant implements ICalLuxonDateTimeStub {
  constructor(
    private readonly instant: Date,
    private readonly timeZone: string,
  ) {}

  readonly zone = { type: 'iana' };

  get isValid(): boolean {
    return !Number.isNaN(this.instant.getTime());
  }

  setZone(zone?: string): ZonedInstant {
    return new ZonedInstant(this.instant, zone ?? this.timeZone);
  }

  /** The two formats ical-generator asks for. */
  toFormat(format: string): string {
    const local = icalLocal(wallTime(this.timeZone, this.instant));
    if (format === 'yyyyLLdd') return local.slice(0, 8);
    if (format === 'HHmmss') return local.slice(9);
    throw new Error(`ZonedInstant cannot format "${format}"`);
  }

  toJSDate(): Date {
    return this.instant;
  }

  toJSON(): string {
    return this.instant.toISOString();
  }
}

const DAY = 86_400_000;

/** The exact instant (to the second) in (from, to] where the zone's offset changes; the offset differs at the ends. */
function transitionBetween(zone: string, from: number, to: number): number {
  const before = offsetMinutes(zone, new Date(from));
  while (to - from > 1000) {
    const mid = from + Math.floor((to - from) / 2000) * 1000;
    if (offsetMinutes(zone, new Date(mid)) === before) from = mid;
    else to = mid;
  }
  return to;
}

/**
 * A VTIMEZONE component for `zone` that covers the years of `from` to `to`: the offset in force at the
 * start, then every change (daylight saving, or a zone's change of rules), each with its exact local onset.
 */
export function vtimezone(zone: string, from: Date, to: Date): string {
  const start = Date.UTC(from.getUTCFullYear(), 0, 1) - DAY;
  const end = Date.UTC(to.getUTCFullYear() + 1, 0, 1) + DAY;
  const changes: Array<{ at: number; from: number; to: number }> = [];
  let offset = offsetMinutes(zone, new Date(start));
  for (let day = start + DAY; day <= end; day += DAY) {
    const next = offsetMinutes(zone, new Date(day));
    if (next !== offset) changes.push({ at: transitionBetween(zone, day - DAY, day), from: offset, to: next });
    offset = next;
  }
  const initial = offsetMinutes(zone, new Date(start));
  const standard = Math.min(initial, ...changes.map((c) => c.to));
  const observance = (onset: number, fromOffset: number, toOffset: number) => {
    const kind = toOffset > standard ? 'DAYLIGHT' : 'STANDARD';
    // The onset is written in the local time that was in force before it (RFC 5545 §3.6.5).
    const local = new Date(onset + fromOffset * 60_000);
    const wall = {
      year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(),
      hour: local.getUTCHours(), minute: local.getUTCMinutes(), second: local.getUTCSeconds(),
    };
    return [`BEGIN:${kind}`, `DTSTART:${icalLocal(wall)}`, `TZOFFSETFROM:${icalOffset(fromOffset)}`, `TZOFFSETTO:${icalOffset(toOffset)}`, `END:${kind}`];
  };
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${zone}`,
    `X-LIC-LOCATION:${zone}`,
    ...observance(start, initial, initial),
    ...changes.flatMap((c) => observance(c.at, c.from, c.to)),
    'END:VTIMEZONE',
  ].join('\r\n');
}
