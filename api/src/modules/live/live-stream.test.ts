import { describe, expect, it } from 'vitest';
import { LiveStream, MAX_QUEUED_UPDATES } from './live-stream.js';

describe('LiveStream', () => {
  it('hands updates out in order, and holds them while paused', async () => {
    const stream = new LiveStream<number>();
    stream.push(1);
    stream.push(2);
    expect(await stream.next()).toEqual({ value: 1, done: false });
    expect(await stream.next()).toEqual({ value: 2, done: false });
    stream.paused = true;
    stream.push(3);
    let got: IteratorResult<number> | undefined;
    const pending = stream.next().then((r) => (got = r));
    await new Promise((r) => setTimeout(r, 10));
    expect(got).toBeUndefined();
    stream.resume();
    await pending;
    expect(got).toEqual({ value: 3, done: false });
  });

  it('drops a subscriber that falls too far behind, once, and ends its stream', async () => {
    let drops = 0;
    let ends = 0;
    const stream = new LiveStream<number>(() => drops++);
    stream.onEnd(() => ends++);
    for (let i = 0; i <= MAX_QUEUED_UPDATES + 10; i++) stream.push(i);
    expect(drops).toBe(1);
    expect(ends).toBe(1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('ends when the client unsubscribes, running end hooks once', async () => {
    let ends = 0;
    const stream = new LiveStream<number>();
    stream.onEnd(() => ends++);
    const waiting = stream.next();
    await stream.return();
    await stream.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(ends).toBe(1);
  });
});
