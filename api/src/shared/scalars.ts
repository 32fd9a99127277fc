import { GraphQLScalarType, Kind } from 'graphql';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): Date {
  if (typeof value !== 'string' || !ISO.test(value)) throw new TypeError('DateTime must be an ISO-8601 string with a time zone offset, e.g. "2026-05-01T18:30:00Z".');
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`"${value}" is not a real date and time.`);
  return date;
}

/** An instant, written as ISO-8601 with an offset; always answered in UTC ("2026-05-01T16:30:00.000Z"). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant in time as an ISO-8601 string with an offset, e.g. "2026-05-01T18:30:00+02:00". Answers are in UTC.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    return parse(value).toISOString();
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be a string.');
    return parse(ast.value);
  },
});
