import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Writes emails as .eml files on a thread of its own (mailer.ts, without SMTP_URL): rendering MIME with nodemailer
// and the file writes stay off the event loop that answers requests and fans out live updates.

/** The thread's code (CommonJS, evaluated: the same under tsc's dist/ and vitest's sources). */
const CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { mkdir, rename, writeFile } = require('node:fs/promises');
const { join } = require('node:path');
const transport = require(workerData.nodemailer).createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
const made = new Set();
parentPort.on('message', async ({ id, dir, mail }) => {
  try {
    const info = await transport.sendMail(mail);
    if (!made.has(dir)) await mkdir(dir, { recursive: true });
    made.add(dir);
    const file = join(dir, new Date().toISOString().replace(/[:.]/g, '-') + '-' + mail.to.replace(/[^a-z0-9@._-]/gi, '_') + '.eml');
    try {
      // Written aside, then renamed: whoever watches the folder only ever sees whole messages.
      await writeFile(file + '.part', info.message);
      await rename(file + '.part', file);
    } catch (error) {
      made.delete(dir); // e.g. the folder was removed: made again on the retry
      throw error;
    }
    parentPort.postMessage({ id, file });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

type Pending = { resolve: (file: string) => void; reject: (error: Error) => void };

let thread: { worker: Worker; pending: Map<number, Pending> } | null = null;
let nextId = 0;

function start() {
  const worker = new Worker(CODE, { eval: true, workerData: { nodemailer: createRequire(import.meta.url).resolve('nodemailer') } });
  const pending = new Map<number, Pending>();
  const current = { worker, pending };
  worker.unref(); // never keeps the process alive
  worker.on('message', ({ id, file, error }: { id: number; file?: string; error?: string }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (error !== undefined) p?.reject(new Error(error));
    else p?.resolve(file!);
  });
  const fail = (error: Error) => {
    if (thread === current) thread = null; // the next email starts a new thread
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the mail-writing thread stopped (exit code ${code})`)));
  return current;
}

/** Renders `mail` (nodemailer's message fields) and writes it into `dir`; resolves with the file's path. */
export function writeEml(dir: string, mail: object): Promise<string> {
  thread ??= start();
  const { worker, pending } = thread;
  const id = nextId++;
  return new Promise<string>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, dir, mail });
  });
}
