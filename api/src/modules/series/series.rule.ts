import rrule from 'rrule';
import { badInput } from '../../shared/errors.js';
import { wallTime } from '../calendar/time-zone.js';

const { RRule, Frequency } = rrule;

/** Most occurrences a COUNT may ask for. Rules without COUNT or UNTIL go on, created a window ahead at a time. */
export const MAX_COUNT = 200;
/** Largest INTERVAL (every 52 weeks, every 52 months...). */
export const MAX_INTERVAL = 52;
/** How far UNTIL may reach, in years after the first occurrence. */
export const MAX_YEARS = 5;

const FIELD = 'input.recurrence';
const DAY = 86_400_000;
const FREQUENCIES = new Set([Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY]);

/**
 * A wall-clock time as a "floating" Date: its UTC fields are the local fields. rrule expands rules on these
 * (RFC 5545 local time), so a weekly 19:00 stays 19:00 across DST; `instantOf` turns one into a real instant.
 */
export function floatingOf(zone: string, instant: Date): Date {
  const w = wallTime(zone, instant);
  return new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
}

/** The instant a wall-clock time (floating Date) has in `zone`; a time skipped by DST moves forward by the gap. */
export function instantOf(zone: string, floating: Date): Date {
  let guess = floating.getTime();
  for (let i = 0; i < 3; i++) {
    const shown = floatingOf(zone, new Date(guess)).getTime();
    if (shown === floating.getTime()) return new Date(guess);
    guess += floating.getTime() - shown;
  }
  return new Date(guess);
}

/** Parses and checks an RRULE (docs/ARCHITECTURE.md, recurring events): BAD_USER_INPUT on input.recurrence when it is not sane. */
export function parseRule(text: string): string {
  const rule = text.trim().replace(/^RRULE:/i, '');
  if (!rule) throw badInput(FIELD, 'is empty: give a rule such as FREQ=WEEKLY;BYDAY=TU');
  if (/[\r\n]|DTSTART|EXDATE|RDATE/i.test(rule)) {
    throw badInput(FIELD, 'must be one RRULE line such as FREQ=WEEKLY;BYDAY=TU; the first occurrence is startsAt');
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(rule);
  } catch (error) {
    throw badInput(FIELD, `is not a valid RRULE (${(error as Error).message})`);
  }
  if (options.freq === undefined || !FREQUENCIES.has(options.freq)) {
    throw badInput(FIELD, 'must repeat daily, weekly, monthly or yearly (FREQ=DAILY|WEEKLY|MONTHLY|YEARLY)');
  }
  if (options.byhour != null || options.byminute != null || options.bysecond != null) {
    throw badInput(FIELD, 'cannot repeat within a day (no BYHOUR, BYMINUTE or BYSECOND)');
  }
  if (options.interval != null && (options.interval < 1 || options.interval > MAX_INTERVAL)) {
    throw badInput(FIELD, `INTERVAL must be 1 to ${MAX_INTERVAL}`);
  }
  if (options.count != null && (options.count < 1 || options.count > MAX_COUNT)) {
    throw badInput(FIELD, `COUNT must be 1 to ${MAX_COUNT}`);
  }
  if (options.count != null && options.until != null) throw badInput(FIELD, 'cannot have both COUNT and UNTIL');
  return RRule.optionsToString(options).replace(/^RRULE:/, '');
}

/** The rule anchored at the first occurrence's wall time (floating). */
function ruleAt(rule: string, firstFloating: Date) {
  const options = RRule.parseString(rule);
  // UNTIL is a UTC instant in the text; compared in floating time, that is off by the zone's offset at most: fine for a bound.
  return new RRule({ ...options, dtstart: firstFloating });
}

/** Checks that the rule's first occurrence is `startsAt` in the group's zone and that UNTIL is in range. */
export function assertRuleFits(rule: string, zone: string, startsAt: Date): void {
  const first = floatingOf(zone, startsAt);
  const r = ruleAt(rule, first);
  const opening = r.after(new Date(first.getTime() - 1), true);
  if (!opening || opening.getTime() !== first.getTime()) {
    throw badInput(FIELD, 'does not fall on startsAt: the first occurrence must be the event itself (check BYDAY against its day)');
  }
  const until = r.options.until;
  if (until && until.getTime() > first.getTime() + MAX_YEARS * 366 * DAY) throw badInput(FIELD, `UNTIL must be within ${MAX_YEARS} years`);
}

/**
 * The rule's slots (instants in `zone`) after `after` and up to `through`, the first occurrence excluded.
 * Expanded in wall time, so every slot keeps the first one's local time across DST changes.
 */
export function slotsBetween(rule: string, zone: string, firstStartsAt: Date, after: Date, through: Date): Date[] {
  const first = floatingOf(zone, firstStartsAt);
  if (through.getTime() <= after.getTime()) return [];
  // Floating bounds widened by a day either side (any zone's offset), then filtered on real instants.
  const floating = ruleAt(rule, first).between(new Date(after.getTime() - DAY), new Date(through.getTime() + DAY), true);
  return floating
    .filter((f) => f.getTime() > first.getTime())
    .map((f) => instantOf(zone, f))
    .filter((at) => at.getTime() > after.getTime() && at.getTime() <= through.getTime());
}
