import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { CloseCode, MessageType, stringifyMessage, validateMessage, type SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';

type Maybe<T> = T | Promise<T>;
type Answers = AsyncIterator<ExecutionResult> & { return?: () => Promise<unknown> };

/** What ws.ts does at each step of the protocol (graphql-ws's server hooks, the ones Gather uses). */
export interface ProtocolHooks<E> {
  /** connection_init arrived: false refuses it (4403), an object is the ack's payload. */
  onConnect(conn: Connection<E>): Maybe<boolean | Record<string, unknown>>;
  /** The socket closed (after its subscriptions were stopped). */
  onClose(conn: Connection<E>): void;
  /** A subscribe message: the arguments to run it with, or the errors that refuse it. */
  onSubscribe(conn: Connection<E>, id: string, payload: SubscribePayload): ExecutionArgs | readonly GraphQLError[];
  context(conn: Connection<E>): unknown;
  execute(args: ExecutionArgs): Maybe<ExecutionResult>;
  subscribe(args: ExecutionArgs): Maybe<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  onOperation(conn: Connection<E>, id: string, args: ExecutionArgs, result: unknown): void;
  /** Each result before it is sent: a replacement, or nothing to send it as it is. */
  onNext(conn: Connection<E>, args: ExecutionArgs, result: ExecutionResult): FormattedExecutionResult | void;
  onError(conn: Connection<E>, errors: readonly GraphQLError[]): readonly GraphQLFormattedError[] | void;
  /** The operation ended: completed by either side, failed, or stopped as its socket closed. */
  onComplete(conn: Connection<E>, id: string): void;
}

/** One operation of a socket, from its subscribe message until it ends. */
class Operation {
  answers: Answers | null = null;
  constructor(
    readonly id: string,
    readonly args: ExecutionArgs | null,
  ) {}
}

/**
 * One socket speaking graphql-transport-ws, as graphql-ws's server speaks it (same messages, close codes and hook
 * order), but holding less: a running subscription is an `Operation` whose answers are pulled by promise callbacks, not
 * a message handler suspended in `for await` with its message, closures and promises (docs/ARCHITECTURE.md).
 */
export class Connection<E> {
  initReceived = false;
  acknowledged = false;
  /** connection_init's payload, until onConnect lets it go. */
  connectionParams: Record<string, unknown> | undefined = undefined;
  /** Operations running now, oldest first. */
  operations: Operation[] = [];

  constructor(
    readonly socket: WebSocket,
    readonly extra: E,
    private readonly hooks: ProtocolHooks<E>,
    private readonly failed: (socket: WebSocket, err: unknown) => void,
  ) {}

  has(id: string): boolean {
    return this.operations.some((op) => op.id === id);
  }

  /** Stops every running subscription (each then completes, telling the client). */
  stopAll(): void {
    for (const op of this.operations) void op.answers?.return?.();
  }

  send(message: Parameters<typeof stringifyMessage>[0]): Promise<void> {
    const socket = this.socket;
    const data = stringifyMessage(message);
    return new Promise<void>((resolve, reject) => {
      if (socket.readyState !== socket.OPEN) return resolve();
      socket.send(data, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** A message as received (parsed JSON, or its text when it was not JSON). */
  receive(data: unknown): void {
    let message: ReturnType<typeof validateMessage>;
    try {
      message = validateMessage(data);
    } catch {
      return this.socket.close(CloseCode.BadRequest, 'Invalid message received');
    }
    let handled: Promise<unknown> | undefined;
    switch (message.type) {
      case MessageType.ConnectionInit:
        if (this.initReceived) return this.socket.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
        this.initReceived = true;
        if (message.payload && typeof message.payload === 'object') this.connectionParams = message.payload;
        handled = this.connect();
        break;
      case MessageType.Ping:
        handled = this.send(message.payload ? { type: MessageType.Pong, payload: message.payload } : { type: MessageType.Pong });
        break;
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        if (!this.acknowledged) return this.socket.close(CloseCode.Unauthorized, 'Unauthorized');
        if (this.has(message.id)) return this.socket.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${message.id} already exists`);
        handled = this.start(message.id, message.payload);
        break;
      case MessageType.Complete: {
        const op = this.operations.find((running) => running.id === message.id);
        if (!op) return;
        this.forget(op);
        handled = op.answers?.return?.();
        break;
      }
      default:
        return this.failed(this.socket, new Error(`Unexpected message of type ${message.type} received`));
    }
    handled?.catch((err) => this.failed(this.socket, err));
  }

  private async connect() {
    const permitted = await this.hooks.onConnect(this);
    if (permitted === false) return this.socket.close(CloseCode.Forbidden, 'Forbidden');
    this.acknowledged = true;
    await this.send(typeof permitted === 'object' ? { type: MessageType.ConnectionAck, payload: permitted } : { type: MessageType.ConnectionAck });
  }

  private forget(op: Operation) {
    const at = this.operations.indexOf(op);
    if (at >= 0) this.operations.splice(at, 1);
  }

  private async error(id: string, errors: readonly GraphQLError[]) {
    const formatted = this.hooks.onError(this, errors) || errors.map((e) => e.toJSON());
    await this.send({ id, type: MessageType.Error, payload: formatted });
  }

  private async complete(op: Operation) {
    const notify = this.operations.includes(op);
    this.forget(op);
    this.hooks.onComplete(this, op.id);
    if (notify) await this.send({ id: op.id, type: MessageType.Complete });
  }

  private async next(op: Operation, args: ExecutionArgs, result: ExecutionResult) {
    const replaced = this.hooks.onNext(this, args, result);
    const { errors, ...rest } = result;
    const payload = replaced || { ...rest, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) };
    await this.send({ id: op.id, type: MessageType.Next, payload });
  }

  /** Runs one subscribe message up to its first answer; a subscription then goes on in `pull`. */
  private async start(id: string, payload: SubscribePayload) {
    const placeholder = new Operation(id, null);
    this.operations.push(placeholder);
    let handedOver = false;
    try {
      const prepared = this.hooks.onSubscribe(this, id, payload);
      if (Array.isArray(prepared)) return this.operations.includes(placeholder) ? await this.error(id, prepared) : undefined;
      const args = prepared as ExecutionArgs;
      const ast = getOperationAST(args.document, args.operationName);
      if (!ast) return this.operations.includes(placeholder) ? await this.error(id, [new GraphQLError('Unable to identify operation')]) : undefined;
      if (!('contextValue' in args)) (args as { contextValue: unknown }).contextValue = this.hooks.context(this);
      const result = ast.operation === 'subscription' ? await this.hooks.subscribe(args) : await this.hooks.execute(args);
      this.hooks.onOperation(this, id, args, result);
      if (result && typeof result === 'object' && Symbol.asyncIterator in result) {
        const answers = (result as AsyncIterableIterator<ExecutionResult>)[Symbol.asyncIterator]() as Answers;
        if (!this.operations.includes(placeholder)) {
          void answers.return?.();
          return await this.complete(placeholder);
        }
        // From here the subscription is driven by callbacks: nothing of this call stays suspended while it idles.
        const op = new Operation(id, args);
        op.answers = answers;
        this.operations[this.operations.indexOf(placeholder)] = op;
        handedOver = true;
        this.pull(op);
        return;
      }
      if (this.operations.includes(placeholder)) await this.next(placeholder, args, result as ExecutionResult);
      await this.complete(placeholder);
    } finally {
      if (!handedOver) this.forget(placeholder);
    }
  }

  /** Waits for a subscription's next answer, sends it, and waits again, until its answers end. */
  private pull(op: Operation): void {
    op.answers!.next().then(
      (step) => {
        if (step.done) return void this.complete(op).catch((err) => this.failed(this.socket, err));
        this.next(op, op.args!, step.value).then(
          () => this.pull(op),
          (err) => this.stopWith(op, err),
        );
      },
      (err) => this.stopWith(op, err),
    );
  }

  /** A subscription whose answers (or their sending) failed: its stream is stopped, the client gets the error, then it ends. */
  private stopWith(op: Operation, err: unknown): void {
    const original = err instanceof Error ? err : new Error(String(err));
    this.forget(op);
    void op.answers?.return?.()?.catch(() => {}); // as `for await` would when its body throws: the listeners go
    this.error(op.id, [new GraphQLError(original.message, { originalError: original })])
      .then(() => this.complete(op))
      .catch((e) => this.failed(this.socket, e));
  }

  /** The socket closed: stops its subscriptions (each completes without telling the client), then onClose. */
  async close(): Promise<void> {
    const running = this.operations;
    this.operations = [];
    await Promise.all(running.map((op) => op.answers?.return?.()));
    this.hooks.onClose(this);
  }
}
