import type { ICalLuxonDateTimeStub } from 'ical-generator';
import { tzlib_get_ical_block } from 'timezones-ical-library';

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

/**
 * A VTIMEZONE component for `zone` from timezones-ical-library (the IANA database as iCalendar rules: one STANDARD
 * and one DAYLIGHT observance with yearly RRULEs), so its size and cost do not grow with the years a feed spans
 * (docs/ARCHITECTURE.md, "Calendar feeds"). The library files links under their canonical zone (Europe/Oslo as
 * Europe/Berlin); the TZID is written as the zone the events name. A zone it does not know gets its present offset.
 */
export function vtimezone(zone: string): string {
  const [block] = tzlib_get_ical_block(zone) as [string?, string?];
  if (block && block.startsWith('BEGIN:VTIMEZONE')) {
    return block
      .replace(/^TZID:.*$/m, `TZID:${zone}`)
      .replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${zone}`);
  }
  const offset = icalOffset(offsetMinutes(zone, new Date()));
  return ['BEGIN:VTIMEZONE', `TZID:${zone}`, 'BEGIN:STANDARD', 'DTSTART:19700101T000000', `TZOFFSETFROM:${offset}`, `TZOFFSETTO:${offset}`, 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');
}
