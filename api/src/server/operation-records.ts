import { performance } from 'node:perf_hooks';
import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST, type DocumentNode, type ExecutionArgs, type GraphQLError } from 'graphql';
import type { Context } from './context.js';
import { isClientError } from './format-error.js';
import type { Logger } from './logger.js';
import type { ApiMetrics, OperationType, Outcome } from './metrics.js';

/** ok, or the worst kind of error among `errors`. */
function outcomeOf(errors: readonly unknown[] | undefined): Outcome {
  if (!errors?.length) return 'ok';
  return errors.every((e) => isClientError(e)) ? 'client_error' : 'internal_error';
}

/** The operation's name: as the client sent it, else from the document (parsed, or read from its first line). */
export function operationNameOf(sent: string | null | undefined, document?: DocumentNode | null, query?: string): string | null {
  if (sent) return sent;
  if (document) return getOperationAST(document)?.name?.value ?? null;
  return (query && /^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query)?.[1]) || null;
}

/** One line per operation, on the request's logger (so it carries the request id). */
function logOperation(log: Logger, fields: { operation: string | null; type: OperationType; outcome: Outcome; ms: number; subscriptionId?: string }) {
  const line = { ...fields, operation: fields.operation ?? 'anonymous', ms: Math.round(fields.ms * 10) / 10 };
  if (fields.outcome === 'internal_error') log.error(line, 'graphql operation failed');
  else log.info(line, 'graphql operation');
}

/** HTTP: counts, times and logs every operation Apollo answers. */
export function operationRecordsPlugin(metrics: ApiMetrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      let errors: readonly GraphQLError[] | undefined;
      return {
        async didEncounterErrors(request) {
          errors = request.errors;
        },
        async willSendResponse({ contextValue, operation, operationName, request, document }) {
          const ms = performance.now() - started;
          const name = operationName ?? operationNameOf(request.operationName, document, request.query);
          const type: OperationType = operation?.operation ?? 'unknown';
          const outcome = outcomeOf(errors);
          metrics.recordOperation(name, type, outcome, ms / 1000);
          logOperation(contextValue.log, { operation: name, type, outcome, ms });
        },
      };
    },
  };
}

interface Running {
  id: string;
  started: number;
  name: string | null;
  subscription: boolean;
}

/**
 * WebSocket: the same records for operations over graphql-ws, plus the count of subscriptions running.
 * The hooks are called from ws.ts with the connection's `extra` (one short list of running operations per socket).
 */
export class WsOperationRecords {
  private readonly sockets = new WeakMap<object, Running[]>();

  constructor(private readonly metrics: ApiMetrics | undefined) {}

  /** Takes operation `id` of a socket off its list, returning it. */
  private take(extra: object, id: string): Running | undefined {
    const running = this.sockets.get(extra);
    const at = running?.findIndex((op) => op.id === id) ?? -1;
    return at < 0 ? undefined : running!.splice(at, 1)[0];
  }

  /** A Subscribe message arrived. */
  started(extra: object, id: string, payload: { operationName?: string | null; query: string }): void {
    const op = { id, started: performance.now(), name: operationNameOf(payload.operationName, null, payload.query), subscription: false };
    const running = this.sockets.get(extra);
    if (running) running.push(op);
    else this.sockets.set(extra, [op]);
  }

  /** The operation was refused before running (parse, validation, cost): a client error. */
  refused(extra: object, id: string, log: Logger): void {
    const op = this.take(extra, id);
    if (op) this.record(log, id, op, 'unknown', 'client_error');
  }

  /** It ran: a single result is recorded now; a subscription counts as running until `completed`. */
  operated(extra: object, id: string, log: Logger, args: ExecutionArgs, result: unknown): void {
    const op = this.sockets.get(extra)?.find((running) => running.id === id);
    if (!op) return;
    const ast = getOperationAST(args.document, args.operationName);
    const type = (ast?.operation ?? 'unknown') as OperationType;
    op.name = args.operationName ?? ast?.name?.value ?? op.name;
    if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
      op.subscription = true;
      this.metrics?.subscriptionStarted();
      this.record(log, id, op, type, 'ok');
      return;
    }
    this.take(extra, id);
    this.record(log, id, op, type, outcomeOf((result as { errors?: unknown[] }).errors));
  }

  /** It ended (completed by either side, or its socket closed). */
  completed(extra: object, id: string): void {
    if (this.take(extra, id)?.subscription) this.metrics?.subscriptionEnded();
  }

  private record(log: Logger, id: string, op: Running, type: OperationType, outcome: Outcome) {
    const ms = performance.now() - op.started;
    this.metrics?.recordOperation(op.name, type, outcome, ms / 1000);
    logOperation(log, { operation: op.name, type, outcome, ms, subscriptionId: id });
  }
}
