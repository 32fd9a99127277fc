// Production server: the SvelteKit app (adapter-node's handler) plus a
// pass-through of /graphql (HTTP and WebSocket), the /ical/ calendar feeds and /images/ to
// the api at API_URL, so the browser only ever talks to its own origin.
//
//   PORT (default 3000), HOST (default 0.0.0.0), API_URL (default http://localhost:4000);
//   adapter-node's ADDRESS_HEADER / XFF_DEPTH when a proxy of ours stands in front (client addresses).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { pathToFileURL } from 'node:url';

/** @param {string | undefined} url */
export function isApiPath(url) {
	return (
		url === '/graphql' ||
		!!url?.startsWith('/graphql?') ||
		!!url?.startsWith('/graphql/') ||
		!!url?.startsWith('/ical/') ||
		!!url?.startsWith('/images/')
	);
}

/** WebSockets go to /graphql only. @param {string | undefined} url */
export function isSocketPath(url) {
	return isApiPath(url) && !url?.startsWith('/ical/') && !url?.startsWith('/images/');
}

/**
 * The browser's address as this server knows it, named to the api in X-Forwarded-For (replacing, never
 * appending to, whatever the browser sent; docs/ARCHITECTURE.md, client addresses). It is the socket's
 * peer, or, behind a proxy of ours, what adapter-node's ADDRESS_HEADER and XFF_DEPTH say: the same
 * address `getClientAddress()` gives the app's own calls to the api.
 *
 * @param {http.IncomingMessage} req
 * @param {{ addressHeader?: string, xffDepth?: number }} [options]
 */
export function clientAddress(req, { addressHeader = process.env.ADDRESS_HEADER, xffDepth = Number(process.env.XFF_DEPTH) || 1 } = {}) {
	const header = addressHeader?.toLowerCase();
	if (header) {
		const raw = req.headers[header];
		const value = (Array.isArray(raw) ? raw.join(',') : raw) ?? '';
		if (header !== 'x-forwarded-for') return value.trim();
		const addresses = value.split(',');
		return addresses.length >= xffDepth ? addresses[addresses.length - xffDepth].trim() : '';
	}
	return req.socket.remoteAddress ?? '';
}

/**
 * @param {URL} target
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
function proxyRequest(target, req, res) {
	const request = target.protocol === 'https:' ? https.request : http.request;
	const upstream = request(
		{
			protocol: target.protocol,
			hostname: target.hostname,
			port: target.port,
			method: req.method,
			path: req.url,
			headers: { ...req.headers, 'x-forwarded-for': clientAddress(req) }
		},
		(upstreamRes) => {
			res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
			upstreamRes.pipe(res);
		}
	);
	upstream.on('error', (err) => {
		console.error(`[proxy] ${req.method} ${req.url}: ${err.message}`);
		if (res.headersSent) {
			res.destroy();
		} else {
			res.writeHead(502, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ errors: [{ message: 'The Gather api is unreachable.' }] }));
		}
	});
	req.on('aborted', () => upstream.destroy());
	req.pipe(upstream);
}

/**
 * Relays a WebSocket upgrade as raw bytes: the request head is written to the
 * api, and from then on both sockets are piped into each other (the api's 101
 * response, or its refusal, goes back unchanged).
 *
 * @param {URL} target
 * @param {http.IncomingMessage} req
 * @param {import('node:stream').Duplex} socket
 * @param {Buffer} head
 */
function proxyUpgrade(target, req, socket, head) {
	const secure = target.protocol === 'https:';
	const port = Number(target.port) || (secure ? 443 : 80);
	let connected = false;
	const onConnect = () => {
		connected = true;
		const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
		for (let i = 0; i < req.rawHeaders.length; i += 2) {
			if (req.rawHeaders[i].toLowerCase() === 'x-forwarded-for') continue;
			lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
		}
		lines.push(`X-Forwarded-For: ${clientAddress(req)}`);
		upstream.write(lines.join('\r\n') + '\r\n\r\n');
		if (head.length > 0) upstream.write(head);
		upstream.pipe(socket);
		socket.pipe(upstream);
	};
	const upstream = secure
		? tls.connect({ host: target.hostname, port, servername: target.hostname }, onConnect)
		: net.connect({ host: target.hostname, port }, onConnect);
	upstream.on('error', (err) => {
		console.error(`[proxy] upgrade ${req.url}: ${err.message}`);
		if (connected) socket.destroy();
		else socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
	});
	socket.on('error', () => upstream.destroy());
	upstream.on('close', () => {
		if (connected) socket.destroy();
	});
	socket.on('close', () => upstream.destroy());
}

/**
 * @param {{ handler: (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void, apiUrl?: string }} options
 * @returns {http.Server}
 */
export function createServer({ handler, apiUrl = 'http://localhost:4000' }) {
	const target = new URL(apiUrl);
	const server = http.createServer((req, res) => {
		if (isApiPath(req.url)) {
			proxyRequest(target, req, res);
			return;
		}
		// This server speaks plain HTTP; a TLS proxy in front says so in X-Forwarded-Proto.
		req.headers['x-forwarded-proto'] ??= 'http';
		handler(req, res);
	});
	server.on('upgrade', (req, socket, head) => {
		if (isSocketPath(req.url)) proxyUpgrade(target, req, socket, head);
		else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
	});
	return server;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	// adapter-node takes every request for https unless ORIGIN or PROTOCOL_HEADER says
	// otherwise, and then refuses form posts from http pages as cross-site.
	if (!process.env.ORIGIN && !process.env.PROTOCOL_HEADER) process.env.PROTOCOL_HEADER = 'x-forwarded-proto';
	// Cover pictures (up to 5 MB) come through a form action: room for them and the form around them.
	process.env.BODY_SIZE_LIMIT ??= '8M';
	// build/ exists only after `npm run build`; a computed specifier keeps the
	// type checker out of the generated bundle.
	const { handler } = await import(new URL('./build/handler.js', import.meta.url).href);
	const port = Number(process.env.PORT) || 3000;
	const host = process.env.HOST || '0.0.0.0';
	const apiUrl = process.env.API_URL || 'http://localhost:4000';
	const server = createServer({ handler, apiUrl });
	server.listen(port, host, () => {
		console.log(`Gather web on http://${host}:${port} (api: ${apiUrl})`);
	});
	const shutdown = () => {
		server.close(() => process.exit(0));
		server.closeIdleConnections();
		// Open WebSockets would hold close() forever.
		setTimeout(() => process.exit(0), 3000).unref();
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}
