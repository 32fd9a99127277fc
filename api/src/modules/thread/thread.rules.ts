import { badInput } from '../../shared/errors.js';
import { isBlank } from '../../shared/text.js';

/** Longest message body, in characters. */
export const MAX_BODY = 4000;
/** Longest thread title, in characters. */
export const MAX_TITLE = 200;

/** `value` trimmed, if it holds 1 to `max` characters (code points, as PostgreSQL's length() counts); else BAD_USER_INPUT on `field`. */
export function trimmedText(value: string, field: string, max: number): string {
  const text = value.trim();
  const length = [...text].length;
  if (length === 0 || isBlank(text)) throw badInput(field, 'must not be empty');
  if (length > max) throw badInput(field, `must be at most ${max.toLocaleString('en')} characters (it has ${length})`);
  return text;
}

/** A message body, trimmed and checked (1 to 4,000 characters). */
export const messageBody = (value: string, field = 'body') => trimmedText(value, field, MAX_BODY);
