import { createHash, timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type Router } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../config.js';

/** Compares without leaking, through timing, how much of a secret matched. */
const sameSecret = (given: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

/** What an operation came to: no errors, only the client's own errors, or an error of ours. */
export type Outcome = 'ok' | 'client_error' | 'internal_error';
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

/** Things the gauges read when scraped (filled in once the API's parts exist). */
export interface MetricSources {
  openSockets(): number;
  liveListeners(): number;
  pool(): { used: number; free: number; pending: number; max: number } | null;
}

/** Operation names are the client's to choose: keep this many distinct ones, count the rest as "other". */
const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/** The Prometheus metrics of one API (its own registry, so several APIs can share a process in tests). */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();
  private readonly operations: Counter<'operation' | 'type' | 'outcome'>;
  private readonly durations: Histogram<'operation' | 'type'>;
  private readonly subscriptions: Gauge;
  private readonly deliveryLag: Histogram<'source'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'gather_' });
    this.operations = new Counter({
      name: 'gather_graphql_operations_total',
      help: 'GraphQL operations by name, type and outcome (ok, client_error, internal_error).',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.durations = new Histogram({
      name: 'gather_graphql_operation_duration_seconds',
      help: 'Time to answer a GraphQL operation (for a subscription: to set it up), by name and type.',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({ name: 'gather_websockets_open', help: 'WebSocket connections open now.', registers, collect() { this.set(sources.openSockets()); } });
    this.subscriptions = new Gauge({ name: 'gather_subscriptions_active', help: 'GraphQL subscriptions running now.', registers });
    new Gauge({
      name: 'gather_live_listeners',
      help: 'Listeners on the live bus of this process (one subscription may listen to several topics).',
      registers,
      collect() { this.set(sources.liveListeners()); },
    });
    new Gauge({
      name: 'gather_db_pool_connections',
      help: 'Database pool: connections in use, idle, requests waiting for one, and the pool size.',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = sources.pool();
        if (!pool) return;
        for (const state of ['used', 'free', 'pending', 'max'] as const) this.set({ state }, pool[state]);
      },
    });
    this.deliveryLag = new Histogram({
      name: 'gather_live_delivery_lag_seconds',
      help: 'Time from publishing a live update to its delivery to this process\'s listeners (source: local or redis).',
      labelNames: ['source'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
  }

  /** The label for a client-chosen operation name: anonymous, the name, or "other" past the cap. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'other';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  recordOperation(name: string | null | undefined, type: OperationType, outcome: Outcome, seconds: number): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ operation, type, outcome });
    this.durations.observe({ operation, type }, seconds);
  }

  subscriptionStarted(): void {
    this.subscriptions.inc();
  }

  subscriptionEnded(): void {
    this.subscriptions.dec();
  }

  observeDeliveryLag(seconds: number, source: 'local' | 'redis'): void {
    this.deliveryLag.observe({ source }, Math.max(0, seconds));
  }
}

/** The knex (tarn) pool behind MikroORM: connections used, free, waited for. */
export function poolUse(orm: MikroORM): ReturnType<MetricSources['pool']> {
  const pool = (orm.em.getConnection().getKnex() as unknown as { client?: { pool?: TarnPool } }).client?.pool;
  if (!pool) return null;
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
}
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

/**
 * GET /metrics in Prometheus text format; with METRICS_TOKEN set, only for `Authorization: Bearer <token>`.
 * In production it is not served at all (404) until METRICS_TOKEN is set: open metrics leak traffic and operation names.
 */
export function metricsRoute(metrics: ApiMetrics, config: Config): Router {
  const router = express.Router();
  if (config.NODE_ENV === 'production' && !config.METRICS_TOKEN) return router;
  router.get('/metrics', async (req, res) => {
    if (config.METRICS_TOKEN && !sameSecret(req.headers.authorization ?? '', `Bearer ${config.METRICS_TOKEN}`)) {
      res.status(401).json({ error: 'metrics need a bearer token' });
      return;
    }
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}
