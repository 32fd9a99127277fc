import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../../server/context.js';
import { answerFromPayload, payloadPlan, type PayloadPlan } from './payload-plan.js';

// Fan-out is cheap (docs/ARCHITECTURE.md, "Live protocol"): a change is published once and reaches every subscriber as
// the same object. When a document's plan is answered by that payload, the answer is worked out once per change and
// shared by every subscriber with the same document and variables: no resolver, no database. Any other document runs
// per subscriber, per change, on a fresh context (its own EntityManager fork and loaders), so viewer-dependent fields
// and field-level rights are those of that moment. Authorization stays per subscriber: each keeps its own source stream,
// checked at subscribe and guarded after (live-watch.ts).

/** Answers from one payload, per sharing key; dropped with the payload. */
const shared = new WeakMap<object, Map<string, ExecutionResult | null>>();

function sharedAnswer(payload: unknown, plan: PayloadPlan): ExecutionResult | null {
  if (typeof payload !== 'object' || payload === null) return answerFromPayload(payload, plan);
  let byKey = shared.get(payload);
  if (!byKey) shared.set(payload, (byKey = new Map()));
  let answer = byKey.get(plan.sharingKey);
  if (answer === undefined) byKey.set(plan.sharingKey, (answer = answerFromPayload(payload, plan)));
  return answer;
}

/** What a running subscription keeps of its context between events: how to make a fresh one, and its log scope. */
function idle(ctx: Context): Pick<Context, 'renew' | 'requestId' | 'log' | 'clientAddress'> {
  return { renew: ctx.renew, requestId: ctx.requestId, log: ctx.log, clientAddress: ctx.clientAddress };
}

/**
 * graphql-js's `subscribe`, answering each event from its payload where the document's plan allows, else executing it
 * on a fresh context. The subscribe-time context is let go once the stream is set up.
 */
export async function subscribeLive(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const ctx = args.contextValue as Context;
  const keep = idle(ctx);
  // graphql-ws holds these arguments for the subscription's life: keep no EntityManager or loaders in them.
  (args as { contextValue: unknown }).contextValue = keep;
  const plan = payloadPlan(args);
  const iterator = source[Symbol.asyncIterator]();
  const answer = async (payload: unknown): Promise<ExecutionResult> =>
    (plan && sharedAnswer(payload, plan)) ?? (await execute({ ...args, rootValue: payload, contextValue: keep.renew() }));
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const step = await iterator.next();
      return step.done ? step : { value: await answer(step.value), done: false };
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
