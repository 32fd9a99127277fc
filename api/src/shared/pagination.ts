import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { ArgsType, createParameterDecorator, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput, isId } from './errors.js';

/** Largest page a client may ask for. */
export const MAX_PAGE = 100;
/** Page size when the client does not say. */
export const DEFAULT_PAGE = 20;

@ObjectType({ description: 'Where a page sits in its list (Relay cursor connections).' })
export class PageInfo {
  @Field({ description: 'Whether more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'Whether items precede this page (set when paging backwards).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page; pass as `before` to page back.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the page; pass as `after` for the next page.' })
  endCursor!: string | null;
}

/** One page of a list. `totalCount` is a getter so the count query runs only when a client asks for it. */
export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  readonly totalCount: number | Promise<number>;
}

/** Declares `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function ConnectionType<T extends object>(name: string, nodeType: ClassType<T>, what: string) {
  @ObjectType(`${name}Edge`, { description: `One of ${what}, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque cursor of this item; pass it as `after` (or `before`) to page from here.' })
    cursor!: string;

    @Field(() => nodeType, { description: 'The item.' })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what}.` })
  class ConnectionOf {
    @Field(() => [Edge], { description: 'The items of this page, in order.' })
    edges!: Edge[];

    @Field(() => PageInfo, { description: 'Cursors and whether more pages exist.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { simple: false, description: `How many of ${what} there are in all, across pages.` })
    totalCount!: number;
  }
  return ConnectionOf;
}

@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true, description: `How many items to return, 0 to ${MAX_PAGE}; default ${DEFAULT_PAGE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (from a previous page\'s `endCursor`).' })
  after?: string | null;
}

@ArgsType()
export class BackwardPageArgs {
  @Field(() => Int, { nullable: true, description: `How many of the newest items to return, 0 to ${MAX_PAGE}; default ${DEFAULT_PAGE}.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Return the items before this cursor (from a previous page\'s `startCursor`).' })
  before?: string | null;
}

/** Validates a page size argument. */
export function pageSize(value: number | null | undefined, field = 'first'): number {
  if (value == null) return DEFAULT_PAGE;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE) throw badInput(field, `must be between 0 and ${MAX_PAGE}`);
  return value;
}

/** One value of a cursor: a sort key of the row it points after. */
export type CursorValue = string | number | Date | null;

/** Encodes the sort key of a row as an opaque cursor. */
export function encodeCursor(values: CursorValue[]): string {
  const plain = values.map((v) => (v instanceof Date ? { d: v.toISOString() } : v));
  return Buffer.from(JSON.stringify(plain)).toString('base64url');
}

/**
 * What one slot of a cursor may hold: `date` (an instant PostgreSQL can store, years 1 to 9999), `id` (a UUID), `int`
 * (a count, 0 to 2^31-1), `float` (a finite number: a rank or a distance), `micros` (microseconds since 1970 as a
 * decimal string, within the same years: exact where a double or a JS Date is not), `text`, or `{ is }` (that very
 * string: names an ordering, so a cursor of one ordering is refused by another). `nullable` admits null as well.
 */
export type CursorSlot = { kind: 'date' | 'id' | 'int' | 'float' | 'micros' | 'text'; nullable?: boolean } | { is: string };

/** Longest cursor read (ours are under 200 characters). */
const MAX_CURSOR_LENGTH = 2000;
const EARLIEST_MS = new Date('0001-01-01T00:00:00Z').getTime();
const LATEST_MS = new Date('9999-12-31T23:59:59.999Z').getTime();

function slotValue(slot: CursorSlot, v: unknown): CursorValue | undefined {
  if ('is' in slot) return v === slot.is ? v : undefined;
  if (v === null) return slot.nullable ? null : undefined;
  switch (slot.kind) {
    case 'date': {
      if (!v || typeof v !== 'object' || typeof (v as { d?: unknown }).d !== 'string') return undefined;
      const date = new Date((v as { d: string }).d);
      const ms = date.getTime();
      return ms >= EARLIEST_MS && ms <= LATEST_MS ? date : undefined;
    }
    case 'id':
      return typeof v === 'string' && isId(v) ? v : undefined;
    case 'int':
      return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 2 ** 31 - 1 ? (v as number) : undefined;
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    case 'micros': {
      if (typeof v !== 'string' || !/^-?\d{1,18}$/.test(v)) return undefined;
      const micros = BigInt(v);
      return micros >= BigInt(EARLIEST_MS) * 1000n && micros <= BigInt(LATEST_MS) * 1000n + 999n ? v : undefined;
    }
    case 'text':
      return typeof v === 'string' && v.length <= 1000 && !v.includes('\u0000') ? v : undefined;
  }
}

/**
 * The one place a cursor is read (docs/ARCHITECTURE.md, "Pagination"): decodes a cursor made by encodeCursor and checks
 * every value against `slots`, so a forged cursor never reaches SQL; anything else is BAD_USER_INPUT naming `field`.
 */
export function decodeCursor(cursor: string, slots: readonly CursorSlot[], field: 'after' | 'before' = 'after'): CursorValue[] {
  let plain: unknown;
  try {
    plain = cursor.length <= MAX_CURSOR_LENGTH ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined;
  } catch {
    plain = undefined;
  }
  if (Array.isArray(plain) && plain.length === slots.length) {
    const values = plain.map((v: unknown, i) => slotValue(slots[i], v));
    if (values.every((v) => v !== undefined)) return values as CursorValue[];
  }
  throw badInput(field, 'is not a cursor from this list');
}

/** Shapes rows fetched with one extra (to learn if more exist) into a connection. */
export function toConnection<T>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => CursorValue[],
  count: () => Promise<number>,
  backward = false,
): Connection<T> {
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backward) page.reverse();
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage: backward ? false : more,
      hasPreviousPage: backward ? more : false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    get totalCount() {
      return (counted ??= count());
    },
  };
}

/**
 * A list's count, started at once when the client asks for `totalCount` (so it goes to PostgreSQL with the page, in
 * one round trip: db/batch.ts), else only when read.
 */
export function countOnce(now: boolean, count: () => Promise<number>): () => Promise<number> {
  const started = now ? count() : undefined;
  started?.catch(() => {}); // whoever reads totalCount gets the failure; unread, it is no unhandled rejection
  return () => started ?? count();
}

/** Whether the selection of the field being resolved names `field` (directly, or in its fragments). */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, field: string): boolean {
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === field;
      if (s.kind === Kind.INLINE_FRAGMENT) return inSet(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return inSet(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => inSet(node.selectionSet));
}

/** A resolver parameter: whether the client asks the connection the resolver returns for its `totalCount` (look-ahead). */
export const AsksTotalCount = () => createParameterDecorator(({ info }) => selects(info, 'totalCount'));

/** A connection with nothing in it (what outsiders see of a private group's lists). */
export function emptyConnection<T>(): Connection<T> {
  return toConnection<T>([], 0, () => [], async () => 0);
}

type Direction = 'asc' | 'desc';

/** A MikroORM filter for rows strictly after `values` in the order `keys` (mixed directions allowed). */
export function keysetAfter(keys: Array<[string, Direction]>, values: CursorValue[]): Record<string, unknown> {
  return {
    $or: keys.map(([key, dir], i) => {
      const condition: Record<string, unknown> = {};
      for (let j = 0; j < i; j++) condition[keys[j][0]] = values[j];
      condition[key] = { [dir === 'asc' ? '$gt' : '$lt']: values[i] };
      return condition;
    }),
  };
}
