/**
 * Every job queue of Gather, with its retry policy. A queue must be listed here before anything enqueues on it:
 * `openDatabase` creates missing queues at start (docs/ARCHITECTURE.md, "Jobs"). Retries back off exponentially
 * from `retryDelay` seconds; a job still running after `expireInSeconds` counts as failed and is retried.
 */
export const JOB_QUEUES = {
  /** Works out who hears about a change and writes their notifications (modules/notification). */
  notify: { retryLimit: 8, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
  /** Emails one notification. */
  'notification-email': { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 },
  /** The 24-hour reminder of one event; one waiting per event (singletonKey). */
  'event-reminder': { retryLimit: 8, retryDelay: 30, retryBackoff: true, expireInSeconds: 600 },
  /** Creates recurring events' occurrences that came within the horizon; runs daily while a series grows (modules/series). */
  'series-extend': { retryLimit: 8, retryDelay: 60, retryBackoff: true, expireInSeconds: 900 },
  /** Emails a password-reset link. */
  'password-reset-email': { retryLimit: 5, retryDelay: 10, retryBackoff: true, expireInSeconds: 300 },
} as const satisfies Record<string, QueueOptions>;

export interface QueueOptions {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
}

export type JobName = keyof typeof JOB_QUEUES;

/** pg-boss's schema (a PostgreSQL schema of its own next to Gather's tables). */
export const JOB_SCHEMA = 'pgboss';
