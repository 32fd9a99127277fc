import {
  createSourceEventStream,
  execute,
  getOperationAST,
  subscribe,
  type ExecutionArgs,
  type ExecutionResult,
  type SelectionSetNode,
} from 'graphql';

// DESIGN §5: fan-out is cheap. A live change is published once and reaches every subscriber as the same object;
// when a subscription's selection is answered from that payload alone (no viewer, no database), its result is the
// same for everyone who sent the same document and variables, so it is executed once per change and shared.
// Authorization stays per subscriber: each keeps its own source stream (checked at subscribe, guarded after).

type Shape = { [field: string]: true | Shape };

/** What the live resolvers (live.resolver.ts) answer from the published payload, per subscription field. */
const FROM_PAYLOAD: Record<string, Shape> = {
  eventAttendance: {
    version: true,
    event: { id: true, goingCount: true, waitlistCount: true, capacity: true, attendanceVersion: true },
    rsvp: { id: true, status: true, guests: true, waitlistPosition: true, user: { id: true, name: true } },
  },
  threadActivity: {
    kind: true,
    message: { id: true, body: true, createdAt: true, editedAt: true, deleted: true, author: { id: true, name: true } },
    thread: { id: true, messageCount: true, lastMessageAt: true },
  },
};

/** Whether a selection asks only for fields of `shape` (plain fields, no fragments or directives). */
function fits(set: SelectionSetNode | undefined, shape: Shape): boolean {
  if (!set) return false;
  return set.selections.every((s) => {
    if (s.kind !== 'Field' || s.directives?.length) return false;
    const name = s.name.value;
    if (name === '__typename') return !s.selectionSet;
    const rule = shape[name];
    if (rule === true) return !s.selectionSet && !s.arguments?.length;
    return rule !== undefined && !s.arguments?.length && fits(s.selectionSet, rule);
  });
}

const verdicts = new WeakMap<object, string | null>();

/** The sharing key of a subscription whose result depends only on the payload (its text and variables), else null. */
function sharingKey(args: ExecutionArgs): string | null {
  let text = verdicts.get(args.document);
  if (text === undefined) {
    const operation = getOperationAST(args.document, args.operationName);
    const [root, ...more] = operation?.selectionSet.selections ?? [];
    const shape = root?.kind === 'Field' ? FROM_PAYLOAD[root.name.value] : undefined;
    const shareable =
      operation?.operation === 'subscription' && more.length === 0 && root?.kind === 'Field' && !root.directives?.length && !!shape && fits(root.selectionSet, shape);
    text = shareable ? (args.document.loc?.source.body ?? null) : null;
    verdicts.set(args.document, text);
  }
  return text === null ? null : `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${text}`;
}

/** Results per published payload, per sharing key; dropped with the payload. */
const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

function resultFor(payload: unknown, key: string, args: ExecutionArgs): Promise<ExecutionResult> {
  if (typeof payload !== 'object' || payload === null) return Promise.resolve(execute({ ...args, rootValue: payload }));
  let byKey = results.get(payload);
  if (!byKey) results.set(payload, (byKey = new Map()));
  let result = byKey.get(key);
  if (!result) {
    result = Promise.resolve(execute({ ...args, rootValue: payload }));
    byKey.set(key, result);
  }
  return result;
}

/**
 * graphql-js's `subscribe`, except that a subscription answered from the payload alone shares one execution per
 * change with every other subscriber of the same document and variables (graphql-ws still frames it per socket).
 */
export async function subscribeSharing(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const key = sharingKey(args);
  if (key === null) return subscribe(args);
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const iterator = source[Symbol.asyncIterator]();
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const step = await iterator.next();
      return step.done ? step : { value: await resultFor(step.value, key, args), done: false };
    },
    async return() {
      await iterator.return?.();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await iterator.throw?.(error);
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}
