import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Tracks the HTTP requests in flight on each socket, so a shutdown can stop accepting, close idle
 * keep-alive sockets at once, and wait for the requests already running. WebSocket sockets leave the
 * tracking when they upgrade: they are closed afterwards, with 1001 (see ws.ts).
 */
export class HttpDrain {
  private readonly requests = new Map<Socket, number>();
  private draining = false;
  private settled: (() => void) | null = null;

  constructor(private readonly server: Server) {
    server.on('connection', (socket: Socket) => {
      this.requests.set(socket, 0);
      socket.once('close', () => {
        this.requests.delete(socket);
        this.check();
      });
    });
    server.on('upgrade', (req) => {
      this.requests.delete(req.socket as Socket);
      this.check();
    });
    server.on('request', (req, res) => {
      const socket = req.socket as Socket;
      this.requests.set(socket, (this.requests.get(socket) ?? 0) + 1);
      if (this.draining) res.setHeader('connection', 'close'); // the client opens its next request elsewhere
      res.once('close', () => {
        const left = (this.requests.get(socket) ?? 1) - 1;
        if (this.requests.has(socket)) this.requests.set(socket, left);
        if (this.draining && left === 0) socket.end();
        this.check();
      });
    });
  }

  /** Requests being served now. */
  inFlight(): number {
    let n = 0;
    for (const count of this.requests.values()) n += count;
    return n;
  }

  /**
   * Stops accepting connections, ends idle keep-alive sockets, and resolves once every request in
   * flight has been answered: true. After `graceMs` the rest are destroyed instead: false.
   */
  async drain(graceMs: number): Promise<boolean> {
    this.draining = true;
    this.server.close(); // no new connections; its callback waits for WebSockets too, so it is not awaited here
    for (const [socket, count] of this.requests) if (count === 0) socket.end();
    if (this.inFlight() === 0) return true;
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      timer.unref();
      this.settled = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.settled = null;
    if (!answered) for (const socket of this.requests.keys()) socket.destroy();
    return answered;
  }

  private check() {
    if (this.settled && this.inFlight() === 0) this.settled();
  }
}

/** Resolves once the server has no connection left (HTTP and WebSocket); call after drain and the WebSocket close. */
export function serverClosed(server: Server): Promise<void> {
  // close() again only to hear the 'close' event, which comes once the last connection is gone.
  return new Promise((resolve) => server.close(() => resolve()));
}
