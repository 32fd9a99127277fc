import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique } from './api';
import { skipBrowserTests } from './helpers';
import { freePort, repoRoot, run, startWeb, waitForOk, type Process } from './stack';

/**
 * The client address behind the web server (docs/ARCHITECTURE.md, client addresses): the api trusts
 * the web server as its proxy (TRUST_PROXY=loopback here), the web server names the browser's real
 * address (its own calls overwrite X-Forwarded-For, its /graphql pass-through appends the peer it saw),
 * so an X-Forwarded-For the browser makes up changes nothing: the sign-up limit still hits.
 */
describe.skipIf(skipBrowserTests())('a browser’s made-up X-Forwarded-For', () => {
	let api: Process;
	let web: Awaited<ReturnType<typeof startWeb>>;
	let dataDir: string;

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'gather-xff-test-'));
		const port = await freePort();
		api = run([join(repoRoot, 'api/dist/index.js')], {
			PORT: String(port),
			HOST: '127.0.0.1',
			NODE_ENV: 'test',
			PASSWORD_SCRYPT_LOG_N: '10',
			// The embedded database and in-process limits: nothing shared with other tests.
			DATABASE_URL: '',
			REDIS_URL: '',
			DATA_DIR: dataDir,
			SEED_DEMO_DATA: 'false',
			TRUST_PROXY: 'loopback',
			RATE_LIMIT_SIGNUP_PER_ADDRESS: '3/1h'
		});
		await waitForOk(`http://127.0.0.1:${port}/readyz`, 'API', api, 120_000);
		web = await startWeb(`http://127.0.0.1:${port}`);
	});
	afterAll(async () => {
		await web?.process.stop();
		await api?.stop();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	const spoofed = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `203.0.113.${i}` });

	const signUpForm = (i: number) =>
		fetch(`${web.url}/signup`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: web.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...spoofed(i) },
			body: new URLSearchParams({ name: 'Sybil', email: `${unique('s')}@example.test`, password: 'correct horse battery' })
		});

	const signUpGraphql = (i: number) =>
		fetch(`${web.url}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...spoofed(i) },
			body: JSON.stringify({
				query: 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }',
				variables: { input: { name: 'Sybil', email: `${unique('s')}@example.test`, password: 'correct horse battery' } }
			})
		}).then((r) => r.json() as Promise<{ errors?: Array<{ extensions?: { code?: string } }> }>);

	it('through the sign-up form and the /graphql pass-through alike', async () => {
		for (let i = 1; i <= 3; i++) expect((await signUpForm(i)).status, `sign-up ${i}`).toBe(303);
		const fourth = await signUpForm(4);
		expect(fourth.status).toBe(429);
		expect(await fourth.text()).toContain('Too many sign-ups from your address');
		// The pass-through names the same real address, whatever the browser wrote before it.
		for (let i = 5; i <= 7; i++) expect((await signUpGraphql(i)).errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
	});
});
