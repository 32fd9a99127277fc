import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate, eventPage, exploreGroups, groupPage, type Json, type Viewer } from './ceiling-pages.js';
import { postMessage, rsvp } from './ceiling-writes.js';

// The ceiling: what the contract's hot paths cost with nothing between HTTP and SQL. A minimal node:http server
// answers EventPage, GroupPage, ExploreGroups, Rsvp and PostMessage (dispatched on operationName) with hand-written
// SQL and JSON.stringify, and a raw `ws` server speaks just enough graphql-ws to take subscriptions and send each
// change to them as one pre-serialized payload. Run as its own process: DATABASE_URL, DB_POOL_MAX; prints {"ready":port}.

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 20) });
const subscribers = new Map<string, Array<{ socket: WebSocket; id: string }>>();

/** Sends one payload to every subscriber of `topic`: serialized once, framed per subscription id. */
function broadcast(topic: string, payload: Json) {
  const list = subscribers.get(topic);
  if (!list) return;
  const json = JSON.stringify(payload);
  for (const { socket, id } of list) socket.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${json}}`);
}

async function answer(body: { operationName?: string; variables?: Record<string, any> }, viewer: Viewer | null): Promise<Json> {
  const vars = body.variables ?? {};
  switch (body.operationName) {
    case 'EventPage':
      return eventPage(pool, viewer, vars.id);
    case 'GroupPage':
      return groupPage(pool, viewer, vars.slug);
    case 'ExploreGroups':
      return exploreGroups(pool, { search: vars.search, near: vars.near, first: vars.first ?? 20 });
    case 'Rsvp': {
      if (!viewer) return { data: null, errors: [{ message: 'Log in first.', extensions: { code: 'UNAUTHENTICATED' } }] };
      const { body: result, changes } = await rsvp(pool, viewer, vars as never);
      for (const change of changes) broadcast(`attendance:${vars.eventId}`, { data: { eventAttendance: change } } as never);
      return result;
    }
    case 'PostMessage': {
      if (!viewer) return { data: null, errors: [{ message: 'Log in first.', extensions: { code: 'UNAUTHENTICATED' } }] };
      const { body: result, update } = await postMessage(pool, viewer, vars as never);
      if (update) broadcast(`thread:${vars.threadId}`, { data: { threadActivity: update } } as never);
      return result;
    }
    default:
      return { data: null, errors: [{ message: `the ceiling does not answer ${body.operationName}` }] };
  }
}

function reply(res: ServerResponse, status: number, payload: Json) {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      const viewer = await authenticate(pool, req.headers.authorization);
      reply(res, 200, await answer(body, viewer));
    } catch (error) {
      reply(res, 500, { errors: [{ message: String(error) }] });
    }
  });
});

const wss = new WebSocketServer({ server, path: '/graphql' });
wss.on('connection', (socket) => {
  const mine: Array<{ topic: string; id: string }> = [];
  socket.on('message', async (data: Buffer) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'connection_init') {
      await authenticate(pool, message.payload?.authorization); // the same session lookup per connection as the API
      socket.send('{"type":"connection_ack"}');
    } else if (message.type === 'subscribe') {
      const vars = message.payload.variables ?? {};
      const topic = vars.eventId ? `attendance:${vars.eventId}` : `thread:${vars.threadId}`;
      let list = subscribers.get(topic);
      if (!list) subscribers.set(topic, (list = []));
      list.push({ socket, id: message.id });
      mine.push({ topic, id: message.id });
    } else if (message.type === 'ping') {
      socket.send('{"type":"pong"}');
    }
  });
  socket.on('close', () => {
    for (const { topic } of mine) {
      const list = subscribers.get(topic);
      if (list) subscribers.set(topic, list.filter((s) => s.socket !== socket));
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ ready: typeof address === 'object' && address ? address.port : 0 }));
});

process.on('SIGTERM', () => {
  for (const socket of wss.clients) socket.terminate();
  server.close();
  pool.end().finally(() => process.exit(0));
});
