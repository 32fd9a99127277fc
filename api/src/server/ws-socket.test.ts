import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApi, type TestApi } from '../test/api.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ WS_INIT_TIMEOUT_MS: 300 });
});
afterAll(() => t?.close());

/** A raw graphql-transport-ws socket, once open. */
async function openSocket(): Promise<WebSocket> {
  const socket = new WebSocket(t.api.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

const closeOf = (socket: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })));

describe('the connection-init timeout', () => {
  it('closes a socket that never sends connection_init with 4408', async () => {
    const socket = await openSocket();
    expect(await closeOf(socket)).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('keeps a socket that sent connection_init in time open past it', async () => {
    const socket = await openSocket();
    const closed = closeOf(socket);
    const acked = new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    expect(await acked).toEqual({ type: 'connection_ack' });
    await new Promise((resolve) => setTimeout(resolve, 600)); // twice the timeout
    const pong = new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
    socket.send(JSON.stringify({ type: 'ping' }));
    expect(await pong).toEqual({ type: 'pong' });
    socket.close(1000);
    expect((await closed).code).toBe(1000);
  });
});
