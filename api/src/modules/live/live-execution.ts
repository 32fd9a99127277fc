import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../../server/context.js';
import { LiveStream } from './live-stream.js';
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

/**
 * What running subscriptions keep of their context between events, one per `renew` (so per socket, not per
 * subscription): no EntityManager, loaders or logger (a log line made from it takes a fresh context's logger).
 */
class Idle implements Pick<Context, 'renew' | 'requestId' | 'log' | 'clientAddress'> {
  constructor(
    readonly renew: Context['renew'],
    readonly requestId: string,
    readonly clientAddress: string | null,
  ) {}

  get log() {
    return this.renew().log;
  }
}

const idles = new WeakMap<Context['renew'], Idle>();

function idle(ctx: Context): Idle {
  let kept = idles.get(ctx.renew);
  if (!kept) idles.set(ctx.renew, (kept = new Idle(ctx.renew, ctx.requestId, ctx.clientAddress)));
  return kept;
}

/**
 * One subscription's answers: its source stream's payloads, answered from the payload where the plan allows, else
 * executed on a fresh context. For a source other than a LiveStream (which answers its own updates, `mapWith`).
 */
class LiveAnswers implements AsyncIterableIterator<ExecutionResult> {
  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly plan: PayloadPlan | null,
    private readonly keep: Idle,
  ) {}

  async next(): Promise<IteratorResult<ExecutionResult>> {
    const step = await this.source.next();
    if (step.done) return step;
    const answer = (this.plan && sharedAnswer(step.value, this.plan)) ?? (await execute({ ...this.args, rootValue: step.value, contextValue: this.keep.renew() }));
    return { value: answer, done: false };
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.source.throw?.(error);
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/**
 * graphql-js's `subscribe`, answering each event from its payload where the document's plan allows, else executing it
 * on a fresh context. The subscribe-time context is let go once the stream is set up.
 */
export async function subscribeLive(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const keep = idle(args.contextValue as Context);
  // graphql-ws holds these arguments for the subscription's life: keep no EntityManager or loaders in them.
  (args as { contextValue: unknown }).contextValue = keep;
  const plan = payloadPlan(args);
  const stream = source[Symbol.asyncIterator]();
  if (!(stream instanceof LiveStream)) return new LiveAnswers(stream, args, plan, keep);
  // The usual case (live-watch.ts): the stream answers its own updates, one iterator per subscriber.
  stream.mapWith((payload) => (plan && sharedAnswer(payload, plan)) ?? execute({ ...args, rootValue: payload, contextValue: keep.renew() }));
  return stream as unknown as AsyncIterableIterator<ExecutionResult>;
}
