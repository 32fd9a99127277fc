import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, createServer, isApiPath, isSocketPath } from '../server.js';

function listen(server: http.Server): Promise<string> {
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		});
	});
}

function close(server: http.Server): Promise<void> {
	server.closeAllConnections();
	return new Promise((resolve) => server.close(() => resolve()));
}

interface Seen {
	method?: string;
	url?: string;
	headers?: http.IncomingHttpHeaders;
	body?: string;
}

/** A stand-in for the api: echoes what it received, and echoes WebSocket-ish bytes after a 101. */
function fakeApi(seen: Seen) {
	const api = http.createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			Object.assign(seen, { method: req.method, url: req.url, headers: req.headers, body });
			res.writeHead(200, {
				'content-type': 'application/json',
				'set-cookie': ['session=abc; HttpOnly; Path=/']
			});
			res.end(JSON.stringify({ data: { ok: true } }));
		});
	});
	api.on('upgrade', (req, socket: Socket) => {
		seen.headers = req.headers;
		seen.url = req.url;
		socket.write(
			'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
				`Sec-WebSocket-Protocol: ${req.headers['sec-websocket-protocol']}\r\n\r\n`
		);
		socket.on('data', (data) => socket.write(Buffer.concat([Buffer.from('echo:'), data])));
		socket.on('end', () => socket.end());
	});
	return api;
}

describe('isApiPath', () => {
	it('matches /graphql and its query strings and sub-paths only', () => {
		expect(isApiPath('/graphql')).toBe(true);
		expect(isApiPath('/graphql?query=%7B__typename%7D')).toBe(true);
		expect(isApiPath('/graphql/')).toBe(true);
		expect(isApiPath('/graphqlx')).toBe(false);
		expect(isApiPath('/ical/events/1.ics')).toBe(true);
		expect(isApiPath('/icalendar')).toBe(false);
		expect(isApiPath('/images/0b0e/small.0123456789abcdef.webp')).toBe(true);
		expect(isApiPath('/imagesx')).toBe(false);
		expect(isApiPath('/groups/graphql')).toBe(false);
		expect(isApiPath('/')).toBe(false);
		expect(isApiPath(undefined)).toBe(false);
	});
});

describe('isSocketPath', () => {
	it('lets WebSockets through to /graphql but not to the calendar files', () => {
		expect(isSocketPath('/graphql')).toBe(true);
		expect(isSocketPath('/ical/events/1.ics')).toBe(false);
		expect(isSocketPath('/images/0b0e/small.0123456789abcdef.webp')).toBe(false);
	});
});

describe('server.js proxy', () => {
	const seen: Seen = {};
	const appSeen: { proto?: string | string[] } = {};
	const api = fakeApi(seen);
	let web: http.Server;
	let webUrl = '';

	beforeAll(async () => {
		const apiUrl = await listen(api);
		web = createServer({
			handler: (req, res) => {
				appSeen.proto = req.headers['x-forwarded-proto'];
				res.writeHead(200, { 'content-type': 'text/html' });
				res.end('<h1>app</h1>');
			},
			apiUrl
		});
		webUrl = await listen(web);
	});
	afterAll(() => Promise.all([close(api), close(web)]));

	it('serves app pages with the SvelteKit handler, telling it the request came over plain HTTP', async () => {
		const res = await fetch(`${webUrl}/groups/x`);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe('<h1>app</h1>');
		expect(appSeen.proto).toBe('http');
		await fetch(`${webUrl}/groups/x`, { headers: { 'x-forwarded-proto': 'https' } });
		expect(appSeen.proto).toBe('https');
	});

	it('forwards /graphql requests with body, query string and cookies, and relays the response', async () => {
		const res = await fetch(`${webUrl}/graphql?op=Home`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', cookie: 'session=xyz' },
			body: JSON.stringify({ query: '{ topics { id } }' })
		});
		expect(res.status).toBe(200);
		expect(res.headers.get('set-cookie')).toBe('session=abc; HttpOnly; Path=/');
		expect(await res.json()).toEqual({ data: { ok: true } });
		expect(seen.method).toBe('POST');
		expect(seen.url).toBe('/graphql?op=Home');
		expect(seen.headers?.cookie).toBe('session=xyz');
		expect(seen.headers?.['x-forwarded-for']).toBe('127.0.0.1');
		expect(JSON.parse(seen.body ?? '')).toEqual({ query: '{ topics { id } }' });
	});

	it('names the real peer to the api, replacing an X-Forwarded-For the browser made up', async () => {
		await fetch(`${webUrl}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
			body: '{"query":"{ __typename }"}'
		});
		expect(seen.headers?.['x-forwarded-for']).toBe('127.0.0.1');
		const { port } = new URL(webUrl);
		const socket = await new Promise<Socket>((resolve, reject) => {
			const req = http.request({
				host: '127.0.0.1',
				port,
				path: '/graphql',
				headers: {
					connection: 'Upgrade',
					upgrade: 'websocket',
					'x-forwarded-for': '203.0.113.9',
					'sec-websocket-protocol': 'graphql-transport-ws',
					'sec-websocket-version': '13',
					'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ=='
				}
			});
			req.on('upgrade', (_res, socket) => resolve(socket));
			req.on('error', reject);
			req.end();
		});
		expect(seen.headers?.['x-forwarded-for']).toBe('127.0.0.1');
		socket.destroy();
	});

	it('forwards calendar downloads under /ical/ to the api', async () => {
		const res = await fetch(`${webUrl}/ical/events/abc.ics`);
		expect(res.status).toBe(200);
		expect(seen.method).toBe('GET');
		expect(seen.url).toBe('/ical/events/abc.ics');
	});

	it('forwards pictures under /images/ to the api, with the cookie (private events\' covers are checked there)', async () => {
		const res = await fetch(`${webUrl}/images/abc/small.0123456789abcdef.webp`, { headers: { cookie: 'session=xyz' } });
		expect(res.status).toBe(200);
		expect(seen.url).toBe('/images/abc/small.0123456789abcdef.webp');
		expect(seen.headers?.cookie).toBe('session=xyz');
	});

	it('relays WebSocket upgrades on /graphql in both directions', async () => {
		const { port } = new URL(webUrl);
		const { socket, res } = await new Promise<{ socket: Socket; res: http.IncomingMessage }>(
			(resolve, reject) => {
				const req = http.request({
					host: '127.0.0.1',
					port,
					path: '/graphql',
					headers: {
						connection: 'Upgrade',
						upgrade: 'websocket',
						'sec-websocket-protocol': 'graphql-transport-ws',
						'sec-websocket-version': '13',
						'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ=='
					}
				});
				req.on('upgrade', (res, socket) => resolve({ socket, res }));
				req.on('error', reject);
				req.end();
			}
		);
		expect(res.statusCode).toBe(101);
		expect(res.headers['sec-websocket-protocol']).toBe('graphql-transport-ws');
		expect(seen.url).toBe('/graphql');
		expect(seen.headers?.['sec-websocket-protocol']).toBe('graphql-transport-ws');

		const reply = new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
		socket.write('hello');
		expect(await reply).toBe('echo:hello');
		socket.destroy();
	});

	it('refuses upgrades elsewhere', async () => {
		const { port } = new URL(webUrl);
		const status = await new Promise<number | undefined>((resolve, reject) => {
			const req = http.request({
				host: '127.0.0.1',
				port,
				path: '/other',
				headers: { connection: 'Upgrade', upgrade: 'websocket' }
			});
			req.on('response', (res) => resolve(res.statusCode));
			req.on('upgrade', () => reject(new Error('unexpected upgrade')));
			req.on('error', reject);
			req.end();
		});
		expect(status).toBe(404);
	});
});

describe('server.js proxy with the api down', () => {
	let webUrl = '';
	let web: http.Server;

	beforeAll(async () => {
		// Find a free port, then close it so nothing listens there.
		const probe = http.createServer();
		const deadUrl = await listen(probe);
		await close(probe);
		web = createServer({ handler: () => {}, apiUrl: deadUrl });
		webUrl = await listen(web);
	});
	afterAll(() => close(web));

	it('answers a request with 502 and a GraphQL-shaped error', async () => {
		const res = await fetch(`${webUrl}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"query":"{ topics { id } }"}'
		});
		expect(res.status).toBe(502);
		const body = await res.json();
		expect(body.errors[0].message).toMatch(/unreachable/);
	});

	it('answers a WebSocket upgrade with 502', async () => {
		const { port } = new URL(webUrl);
		const status = await new Promise<number | undefined>((resolve, reject) => {
			const req = http.request({
				host: '127.0.0.1',
				port,
				path: '/graphql',
				headers: { connection: 'Upgrade', upgrade: 'websocket' }
			});
			req.on('response', (res) => resolve(res.statusCode));
			req.on('upgrade', () => reject(new Error('unexpected upgrade')));
			req.on('error', reject);
			req.end();
		});
		expect(status).toBe(502);
	});
});

describe('clientAddress', () => {
	const req = (headers: http.IncomingHttpHeaders) => ({ headers, socket: { remoteAddress: '198.51.100.7' } }) as unknown as http.IncomingMessage;

	it('is the socket peer unless a proxy of ours is configured, whatever the browser sends', () => {
		expect(clientAddress(req({ 'x-forwarded-for': '6.6.6.6' }), { addressHeader: '' })).toBe('198.51.100.7');
	});

	it('behind our proxy, is the entry XFF_DEPTH from the right, as adapter-node reads it', () => {
		const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.5' };
		expect(clientAddress(req(headers), { addressHeader: 'X-Forwarded-For', xffDepth: 1 })).toBe('203.0.113.5');
		expect(clientAddress(req(headers), { addressHeader: 'x-forwarded-for', xffDepth: 2 })).toBe('6.6.6.6');
		expect(clientAddress(req({ 'x-real-ip': '203.0.113.5' }), { addressHeader: 'x-real-ip' })).toBe('203.0.113.5');
	});
});
