import { describe, it } from 'vitest';

/**
 * Runs a suite only where what it needs is here (a PostgreSQL server, Redis, a binary). Elsewhere the
 * suite is skipped and says why, except under REQUIRE_ALL=1 (CI), where a missing service fails the file.
 * Use the returned `describe`/`it` in place of vitest's.
 */
export function requireOrSkip(available: boolean, reason: string) {
  if (!available) {
    if (process.env.REQUIRE_ALL === '1') throw new Error(`REQUIRE_ALL=1, but ${reason}`);
    console.warn(`[skipped] ${reason}`);
  }
  return { describe: describe.skipIf(!available), it: it.skipIf(!available) };
}
