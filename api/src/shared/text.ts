/** A URL slug: lower case ASCII words joined by hyphens ("Board Games!" → "board-games"). */
export function slugify(text: string, maxLength = 60): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
}

/** Whether `zone` is an IANA time zone this runtime knows (e.g. "Europe/Berlin"). */
export function isTimeZone(zone: string): boolean {
  if (!zone.includes('/') && zone !== 'UTC') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Characters that show nothing: white space of every kind, controls, format characters (zero-width space and joiners,
 * word joiner, BOM, direction marks), the combining grapheme joiner, and the Hangul and Braille blanks.
 */
const INVISIBLE = /^[\s\p{Z}\p{Cc}\p{Cf}\u034F\u115F\u1160\u2800\u3164\uFFA0]*$/u;

/** Whether a text shows nothing at all (empty, spaces, or only zero-width and other invisible characters). */
export function isBlank(text: string): boolean {
  return INVISIBLE.test(text);
}
