// Preloaded (node --expose-gc --require probe.cjs) into every server the bench measures memory of:
// on SIGUSR2 it collects garbage twice and prints {"probe":{"rss":…,"heapUsed":…}} on stdout.
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ probe: { rss, heapUsed } })}\n`);
});
