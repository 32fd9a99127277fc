import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An email as the test SMTP server received it. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Header lines as sent, by lower-case name. */
  headers: Map<string, string>;
}

/** A real SMTP server in the test process: what arrived, a way to wait for it, and failures to inject. */
export interface TestSmtp {
  url: string;
  mails: ReceivedMail[];
  /** Resolves with the mails to `to` once `count` have arrived (rejects after `timeoutMs`). */
  waitFor(to: string, count?: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  to(address: string): ReceivedMail[];
  /** The next `times` messages to `address` are refused with a temporary error (451). */
  failNext(address: string, times: number): void;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const failures = new Map<string, number>();
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const left = failures.get(address.address.toLowerCase()) ?? 0;
      if (left > 0) {
        failures.set(address.address.toLowerCase(), left - 1);
        const error = new Error('try again later') as Error & { responseCode: number };
        error.responseCode = 451;
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
          mails.push({ to: (to?.value[0]?.address ?? '').toLowerCase(), subject: parsed.subject ?? '', text: parsed.text ?? '', html: String(parsed.html || ''), headers: rawHeaders(parsed.headerLines) });
          for (const wake of [...waiters]) wake();
          callback();
        },
        (error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const to = (address: string) => mails.filter((m) => m.to === address.toLowerCase());
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    to,
    waitFor(address, count = 1, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (to(address).length < count) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(to(address));
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${to(address).length} of ${count} mails to ${address} arrived`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    failNext(address, times) {
      failures.set(address.toLowerCase(), times);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers as the lines said them (mailparser restructures some, e.g. List-*). */
function rawHeaders(lines: ReadonlyArray<{ key: string; line: string }>): Map<string, string> {
  return new Map(lines.map(({ key, line }) => [key.toLowerCase(), line.slice(line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim()]));
}
