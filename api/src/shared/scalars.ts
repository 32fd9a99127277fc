import { GraphQLScalarType, Kind } from 'graphql';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The instants Gather accepts as input: from 1900-01-01 up to 2300-01-01 UTC (docs/ARCHITECTURE.md, "Limits"). */
export const EARLIEST_DATE = new Date(Date.UTC(1900, 0, 1));
export const LATEST_DATE = new Date(Date.UTC(2300, 0, 1));

/** A DateTime that is malformed or outside the accepted years: the client's mistake, BAD_USER_INPUT naming the field (format-error.ts). */
export class BadDateTime extends TypeError {}

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !ISO.test(value)) throw new BadDateTime('DateTime must be an ISO-8601 string with a time zone offset, e.g. "2026-05-01T18:30:00Z".');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new BadDateTime(`"${value}" is not a real date and time.`);
  if (date < EARLIEST_DATE || date > LATEST_DATE) throw new BadDateTime('must be between 1900-01-01 and 2300-01-01 (UTC).');
  return date;
}

/** An instant, written as ISO-8601 with an offset; always answered in UTC ("2026-05-01T16:30:00.000Z"). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant in time as an ISO-8601 string with an offset, e.g. "2026-05-01T18:30:00+02:00", between 1900-01-01 and 2300-01-01 (UTC). Answers are in UTC.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    return new Date(value as string).toISOString();
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new BadDateTime('DateTime must be a string.');
    return parse(ast.value);
  },
});
