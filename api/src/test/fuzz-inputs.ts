import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** Strings a hostile client sends: empty, blank, huge, every kind of Unicode, NUL bytes, injection attempts. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }), // lone surrogates and control characters included
  fc.constantFrom(
    '',
    ' ',
    '\t\n',
    '\u0000',
    'a\u0000b',
    "'; drop table users; --",
    '" or 1=1 --',
    '<script>alert(1)</script>',
    '%s%n%x',
    '../../etc/passwd',
    '\u202Eevil\u202C',
    '\uFEFF',
    'Europe/Oslo',
    'Not/AZone',
    'hiking',
    'https://example.com/meet',
    'javascript:alert(1)',
  ),
  fc.constantFrom(1, 255, 4_001, 20_000).map((n) => 'x'.repeat(n)),
  fc.constantFrom(100, 3_000).map((n) => '🧑‍🤝‍🧑'.repeat(n)),
);

/** 32-bit integers, with the edges a validator forgets. */
export const hostileInt = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(0, -1, 1, 2, 99, 100, 101, 1000, 2 ** 31 - 1, -(2 ** 31)),
);

/** Finite doubles (JSON has no NaN), with the edges of latitudes, longitudes and radii. */
export const hostileFloat = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 90, -90, 90.000001, 180, -180, 180.5, 1e308, -1e308, 5e-324),
);

/** DateTimes: well formed ISO-8601, from year 0 to 9999 and JavaScript's extremes, plus a few impossible ones. */
export const hostileDateTime = fc.oneof(
  fc.date({ min: new Date('0000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', '2026-06-01T25:61:00+14:00', '1970-01-01T00:00:00Z'),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '1899-12-31T23:59:59Z',
    '1900-01-01T00:00:00Z',
    '2300-01-01T00:00:00Z',
    '2300-01-01T00:00:01Z',
    '9999-12-31T23:59:59+14:00',
    '-271821-04-20T00:00:00.000Z',
    '+275760-09-13T00:00:00.000Z',
  ),
);

/** Any JSON at all, for variables of the wrong type. */
export const anyJson = fc.jsonValue({ maxDepth: 3 });

/**
 * Well-typed values for one operation's variables, read from the schema: every value has the declared
 * type, but is as hostile as that type allows. `ids` are real ids the inputs may point at; `byName` adds
 * values for variables of that name (real slugs, cursors good and bad).
 */
export function variablesFor(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  ids: fc.Arbitrary<string>,
  byName: Record<string, fc.Arbitrary<unknown>> = {},
) {
  const id = fc.oneof({ weight: 4, arbitrary: ids }, { weight: 1, arbitrary: fc.uuid() }, { weight: 2, arbitrary: hostileString });
  const scalar: Record<string, fc.Arbitrary<unknown>> = {
    ID: id,
    String: hostileString,
    Int: hostileInt,
    Float: hostileFloat,
    Boolean: fc.boolean(),
    DateTime: hostileDateTime,
  };
  const valueOf = (type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> =>
    isNonNullType(type)
      ? present(type.ofType as GraphQLInputType, depth)
      : fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: present(type, depth) });
  const present = (type: GraphQLInputType, depth: number): fc.Arbitrary<unknown> => {
    if (isListType(type)) return fc.array(valueOf(type.ofType as GraphQLInputType, depth), { maxLength: 12 });
    const named = getNamedType(type);
    if (isEnumType(named)) return fc.constantFrom(...named.getValues().map((v) => v.name));
    if (isInputObjectType(named)) {
      const fields = Object.values(named.getFields());
      const shape = Object.fromEntries(fields.map((f) => [f.name, depth > 3 ? fc.constant(null) : valueOf(f.type, depth + 1)]));
      return fc.record(shape, { requiredKeys: fields.filter((f) => isNonNullType(f.type)).map((f) => f.name) });
    }
    return scalar[named.name] ?? hostileString;
  };
  const definitions = operation.variableDefinitions ?? [];
  const shape = Object.fromEntries(
    definitions.map((d) => {
      const name = d.variable.name.value;
      const typed = valueOf(typeFromAST(schema, d.type as never) as GraphQLInputType, 0);
      return [name, byName[name] ? fc.oneof(byName[name], typed) : typed];
    }),
  );
  const required = definitions.filter((d) => d.type.kind === 'NonNullType').map((d) => d.variable.name.value);
  return fc.record(shape, { requiredKeys: required });
}

/** The sort keys a cursor may hold, forged: dates PostgreSQL cannot store, numbers out of every range, orderings' names. */
const forgedSlot = fc.oneof(
  fc.constantFrom('-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '1650-01-01T00:00:00.000Z').map((d) => ({ d })),
  fc.date({ noInvalidDate: true }).map((d) => ({ d: d.toISOString() })),
  fc.double({ noNaN: true }),
  fc.constantFrom(2 ** 31, 2 ** 53, -1, 1e308, -8.64e21),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom('soonest', 'relevance', 'members', 'distance'),
  fc.uuid(),
);

/** Cursors: base64url JSON of the wrong shape, or not even that, or of the right shape with forged values. */
export const badCursor = fc.oneof(
  fc.array(forgedSlot, { minLength: 1, maxLength: 3 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc.constantFrom([{ d: 'not a date' }, 'x'], [1, 2], [null, null], ['2020-01-01', 'not-a-uuid'], { d: 5 }, [], [{ d: '9999-99-99' }, '00000000-0000-0000-0000-000000000000'], 'a'.repeat(50)).map((v) =>
    Buffer.from(JSON.stringify(v)).toString('base64url'),
  ),
  fc.string({ maxLength: 30 }),
  fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64url')),
);
