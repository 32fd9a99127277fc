import type { Router } from 'express';
import express from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';

/** What /readyz reports about live updates; the pub/sub layer fills it in. */
export type LiveStatus = () => { mode: 'in-process' | 'redis'; healthy: boolean };

async function databaseReachable(orm: MikroORM): Promise<boolean> {
  try {
    await Promise.race([
      orm.em.getConnection().execute('select 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** `/healthz`: the process is alive. `/readyz`: the database answers (503 if not); live updates' state. */
export function healthRoutes(orm: MikroORM, live: LiveStatus): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const database = await databaseReachable(orm);
    const { mode, healthy } = live();
    res.status(database ? 200 : 503).json({
      status: database ? (healthy ? 'ready' : 'degraded') : 'unavailable',
      database: database ? 'ok' : 'unreachable',
      liveUpdates: { mode, status: healthy ? 'ok' : 'degraded' },
    });
  });
  return router;
}
