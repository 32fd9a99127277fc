/**
 * Starts what the browser tests drive: the built API (`node api/dist/index.js`) on a fresh
 * database with demo data, and the built web server (`node web/server.js`) in front of it.
 * With DATABASE_URL a fresh database is created on that server (and dropped afterwards) and
 * seeded with the API's seed command; without it the embedded database gets a fresh DATA_DIR
 * and seeds itself on first start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const apiEntry = join(repoRoot, 'api/dist/index.js');
const seedEntry = join(repoRoot, 'api/dist/db/seed/cli.js');
const webEntry = join(repoRoot, 'web/server.js');
const webBuild = join(repoRoot, 'web/build/handler.js');

/** Where Debian's Chromium lives (CHROMIUM_PATH overrides); null when it is not installed. */
export function chromiumPath(): string | null {
	const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
	return existsSync(path) ? path : null;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

/** Waits until `url` answers 2xx. */
export async function waitForOk(url: string, what: string, child: Process, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.proc.exitCode !== null) throw new Error(`${what} exited (${child.proc.exitCode}):\n${child.output()}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			// not up yet
		}
		await new Promise((r) => setTimeout(r, 150));
	}
	throw new Error(`${what} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
}

export interface Process {
	proc: ChildProcess;
	output(): string;
	/** SIGTERM (or `signal`), then SIGKILL after 5 s. */
	stop(signal?: NodeJS.Signals): Promise<void>;
}

export function run(args: string[], env: Record<string, string>): Process {
	const proc = spawn(process.execPath, args, {
		cwd: repoRoot,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	proc.stdout?.on('data', (d) => (output = (output + d).slice(-20_000)));
	proc.stderr?.on('data', (d) => (output = (output + d).slice(-20_000)));
	const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
	const kill = () => proc.kill('SIGKILL');
	process.once('exit', kill);
	return {
		proc,
		output: () => output,
		async stop(signal = 'SIGTERM') {
			process.off('exit', kill);
			if (proc.exitCode !== null || proc.signalCode !== null) return;
			proc.kill(signal);
			const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(timer);
		}
	};
}

/** Starts `node web/server.js` on `port` in front of the API. */
export async function startWeb(apiUrl: string, port?: number): Promise<{ url: string; port: number; process: Process }> {
	if (!existsSync(webBuild)) throw new Error('web/build is missing: run `npm run build` first.');
	const webPort = port ?? (await freePort());
	const web = run([webEntry], { PORT: String(webPort), HOST: '127.0.0.1', API_URL: apiUrl });
	const url = `http://127.0.0.1:${webPort}`;
	await waitForOk(`${url}/login`, 'web server', web);
	return { url, port: webPort, process: web };
}

export interface Stack {
	apiUrl: string;
	webUrl: string;
	/** Where the API writes the emails it sends, as .eml files (no SMTP server in browser tests). */
	mailDir: string;
	stop(): Promise<void>;
}

/** A fresh database (on DATABASE_URL's server) for this run; returns its URL and a dropper. */
async function freshDatabase(serverUrl: string) {
	const name = `gather_web_${process.pid}_${Date.now().toString(36)}`;
	const admin = new pg.Client({ connectionString: serverUrl });
	await admin.connect();
	await admin.query(`create database "${name}"`);
	await admin.end();
	const url = new URL(serverUrl);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async drop() {
			const client = new pg.Client({ connectionString: serverUrl });
			await client.connect();
			await client.query(`drop database if exists "${name}" with (force)`);
			await client.end();
		}
	};
}

/** Builds the API when its dist/ is missing (turbo builds it first; a lone `npm test -w web` may not have). */
async function ensureApiBuilt() {
	if (existsSync(apiEntry)) return;
	const tsc = createRequire(join(repoRoot, 'api/package.json')).resolve('typescript/bin/tsc');
	const build = run([tsc, '-p', 'api/tsconfig.build.json'], {});
	await new Promise<void>((resolve) => build.proc.once('exit', () => resolve()));
	if (!existsSync(apiEntry)) throw new Error(`api/dist is missing and building it failed:\n${build.output()}`);
}

export async function startStack(): Promise<Stack> {
	await ensureApiBuilt();
	const apiPort = await freePort();
	const env: Record<string, string> = {
		PORT: String(apiPort),
		HOST: '127.0.0.1',
		NODE_ENV: 'test',
		PASSWORD_SCRYPT_LOG_N: '10',
		REDIS_URL: ''
	};
	const mailDir = mkdtempSync(join(tmpdir(), 'gather-web-mail-'));
	env.MAIL_DIR = mailDir;
	let dropDatabase: (() => Promise<void>) | null = null;
	let dataDir: string | null = null;
	if (process.env.DATABASE_URL) {
		const db = await freshDatabase(process.env.DATABASE_URL);
		dropDatabase = db.drop;
		env.DATABASE_URL = db.url;
		const seed = run([seedEntry, '--scale', '0.3'], env);
		await new Promise<void>((resolve, reject) =>
			seed.proc.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`seeding failed:\n${seed.output()}`))))
		);
	} else {
		dataDir = mkdtempSync(join(tmpdir(), 'gather-web-test-'));
		env.DATA_DIR = dataDir;
		env.DATABASE_URL = '';
	}
	const api = run([apiEntry], env);
	const apiUrl = `http://127.0.0.1:${apiPort}`;
	try {
		await waitForOk(`${apiUrl}/readyz`, 'API', api, 120_000);
		const web = await startWeb(apiUrl);
		return {
			apiUrl,
			webUrl: web.url,
			mailDir,
			async stop() {
				await web.process.stop();
				await api.stop();
				await dropDatabase?.();
				if (dataDir) rmSync(dataDir, { recursive: true, force: true });
				rmSync(mailDir, { recursive: true, force: true });
			}
		};
	} catch (error) {
		await api.stop();
		await dropDatabase?.();
		throw error;
	}
}
