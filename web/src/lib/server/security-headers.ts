/**
 * Headers on every page and form response of the web app besides the Content-Security-Policy
 * (which SvelteKit writes from `kit.csp` in svelte.config.js). See docs/ARCHITECTURE.md (web security).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin',
	// Only the site itself may ask for the location ("near me"); no camera, microphone, payments…
	'permissions-policy': 'geolocation=(self), camera=(), microphone=(), payment=(), usb=(), browsing-topics=()',
	// For browsers older than CSP's frame-ancestors.
	'x-frame-options': 'DENY',
	'cross-origin-opener-policy': 'same-origin'
};

/** Two years, as the HSTS preload list asks; sent only when the page came over TLS. */
export const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Adds the security headers to `response` (headers a route set itself are kept). `tls` is whether the
 * page was served over TLS: the request URL's protocol, which adapter-node takes from ORIGIN, or from
 * PROTOCOL_HEADER (X-Forwarded-Proto of the proxy in front).
 */
export function withSecurityHeaders(response: Response, tls: boolean): Response {
	try {
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
			if (!response.headers.has(name)) response.headers.set(name, value);
		}
		if (tls && !response.headers.has('strict-transport-security')) response.headers.set('strict-transport-security', HSTS);
		return response;
	} catch {
		// Immutable headers (a Response passed through from fetch): copy it.
		const copy = new Response(response.body, response);
		return withSecurityHeaders(copy, tls);
	}
}
