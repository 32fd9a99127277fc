import { registerWorker } from '../../jobs/jobs.js';
import { extendSeries, scheduleSeriesGrowth, seriesStillGrowing } from './series.service.js';

// The daily growth of recurring series (docs/ARCHITECTURE.md, "Recurring events"): each run creates the occurrences
// that came within the 90-day horizon and queues the next run while any series still grows. Idempotent, so a run
// repeated after a crash or worked by two processes creates nothing twice.
registerWorker<Record<string, never>>('series-extend', async (_payload, ctx) => {
  const now = new Date();
  const created = await extendSeries(ctx.em, now);
  if (created > 0) ctx.log.info({ created }, 'recurring series grew');
  await ctx.em.transactional(async (em) => {
    if (await seriesStillGrowing(em)) await scheduleSeriesGrowth(em, now);
  });
});
