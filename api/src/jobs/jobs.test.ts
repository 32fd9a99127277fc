import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test/api.js';
import { sql } from '../test/factories.js';
import { enqueue, unschedule } from './jobs.js';

// The queue's own promises (docs/ARCHITECTURE.md, "Jobs"): a job belongs to the transaction that enqueued it, a
// singletonKey keeps one waiting job per key, and unschedule drops only jobs that have not started.

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ JOBS_WORK: false }); // nothing works the queue: the rows stay to be looked at
});
afterAll(() => t?.close());

const jobsFor = (id: string) => sql(t, `select state, singleton_key, start_after from pgboss.job where name = 'notify' and data->>'id' = ?`, [id]);
const payload = (id: string) => ({ kind: 'EVENT_CREATED', id, actorId: null, at: new Date().toISOString() });

describe('enqueue', () => {
  it('exists if and only if its transaction commits', async () => {
    const [kept, dropped] = [randomUUID(), randomUUID()];
    await t.api.db.orm.em.fork().transactional(async (em) => {
      await enqueue(em, 'notify', payload(kept));
    });
    await expect(
      t.api.db.orm.em.fork().transactional(async (em) => {
        await enqueue(em, 'notify', payload(dropped));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await jobsFor(kept)).toHaveLength(1);
    expect(await jobsFor(dropped)).toEqual([]);
  });

  it('keeps one waiting job per singletonKey, at its startAfter, until unscheduled', async () => {
    const id = randomUUID();
    const key = `test:${id}`;
    const at = new Date(Date.now() + 3600_000);
    const em = t.api.db.orm.em.fork();
    expect(await enqueue(em, 'notify', payload(id), { singletonKey: key, startAfter: at })).toEqual(expect.any(String));
    expect(await enqueue(em, 'notify', payload(id), { singletonKey: key, startAfter: at })).toBeNull();
    const [job] = await jobsFor(id);
    expect(new Date(job.start_after).getTime()).toBe(at.getTime());
    expect(await unschedule(em, 'notify', key)).toBe(1);
    expect(await jobsFor(id)).toEqual([]);
    expect(await enqueue(em, 'notify', payload(id), { singletonKey: key })).toEqual(expect.any(String));
  });
});
