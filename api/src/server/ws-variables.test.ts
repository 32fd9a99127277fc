import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../test/api.js';
import { wsClient } from '../test/ws.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t?.close());

// GraphiQL's example document: a query and a subscription, the subscription's variable left out.
const EXAMPLE = `query UpcomingEvents { events(first: 5) { totalCount } }
subscription WatchAttendance($eventId: ID!) { eventAttendance(eventId: $eventId) { version event { goingCount waitlistCount } } }`;

/** The errors one subscription ends with. */
function errorsOf(client: ReturnType<typeof wsClient>, payload: { query: string; operationName?: string; variables?: Record<string, unknown> }) {
  return new Promise<Array<{ message: string; extensions?: { code?: string } }>>((resolve) => {
    client.subscribe(payload, {
      next: (value) => value.errors && resolve(value.errors as never),
      error: (error) => resolve(Array.isArray(error) ? error : [{ message: String((error as Error)?.message ?? error) }]),
      complete: () => resolve([]),
    });
  });
}

describe('a subscription the client got wrong', () => {
  it('gets a BAD_USER_INPUT error saying what is wrong over WebSocket, not "Internal server error"', async () => {
    const client = wsClient(t.api.url);
    try {
      for (const variables of [undefined, {}, { eventId: null }]) {
        const [error] = await errorsOf(client, { query: EXAMPLE, operationName: 'WatchAttendance', variables });
        expect(error.message).toMatch(/\$eventId/);
        expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      }
      const [unnamed] = await errorsOf(client, { query: EXAMPLE });
      expect(unnamed.message).not.toMatch(/internal/i);
    } finally {
      await client.dispose();
    }
  });
});
