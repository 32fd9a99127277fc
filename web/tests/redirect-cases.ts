/**
 * `next` values an attacker puts in a "log in to RSVP" link, as the server receives them (one URL
 * decoding done): each must send the person to a path on this site, never elsewhere and never a 500.
 * Used by the unit test of safeNext and by the HTTP and Chromium tests of log-in and sign-up.
 */
export const HOSTILE_NEXT: string[] = [
	'/\t/evil.example.com',
	'/\n/evil.example.com',
	'/\r/evil.example.com',
	'/\r\n/evil.example.com',
	'/\r\nSet-Cookie: gather_session=attacker',
	'\t//evil.example.com',
	'/\t\t/evil.example.com/',
	'//evil.example.com',
	'///evil.example.com',
	'////evil.example.com/x',
	'/\\evil.example.com',
	'\\\\evil.example.com',
	'\\/evil.example.com',
	'/\t\\evil.example.com',
	'/.//evil.example.com',
	'/..//evil.example.com',
	'/x/..//evil.example.com',
	'https://evil.example.com/',
	'https:/evil.example.com',
	'//evil.example.com@x',
	'javascript:alert(1)',
	' javascript:alert(1)',
	'data:text/html,<script>alert(1)</script>',
	'/\u0000/evil.example.com',
	'/\u007f/evil.example.com',
	'https:evil.example.com'
];

/** Values a browser would keep on this site, percent-encoded or not: where they must land. */
export const SAME_SITE_NEXT: Array<[string, string]> = [
	['/events/1?tab=chat', '/events/1?tab=chat'],
	['/groups/x?y=1#part', '/groups/x?y=1'],
	['/%09/evil.example.com', '/%09/evil.example.com'],
	['/%2F%2Fevil.example.com', '/%2F%2Fevil.example.com'],
	['/%5C%5Cevil.example.com', '/%5C%5Cevil.example.com'],
	['/%0d%0aSet-Cookie:x=1', '/%0d%0aSet-Cookie:x=1'],
	['/me?next=//evil.example.com', '/me?next=//evil.example.com'],
	['/caf\u00e9 bar', '/caf%C3%A9%20bar'],
	// Relative to the site (a browser would resolve them the same way): harmless paths.
	['evil.example.com', '/evil.example.com'],
	['http:evil.example.com', '/evil.example.com']
];

/** Whether `location` (a Location header) stays on `origin` and cannot be read as another host. */
export function staysOnSite(location: string, origin: string): boolean {
	return (
		/^\/(?![/\\])/.test(location) &&
		!/[\u0000-\u001f\u007f\\]/.test(location) &&
		new URL(location, origin).origin === new URL(origin).origin
	);
}
