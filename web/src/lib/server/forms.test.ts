import { describe, expect, it } from 'vitest';
import { HOSTILE_NEXT, SAME_SITE_NEXT, staysOnSite } from '../../../tests/redirect-cases';
import { fieldOf, loginUrl, safeNext, values } from './forms';

const SITE = 'http://gather.test:3000';

describe('safeNext', () => {
	it('keeps paths on this site and refuses everything else', () => {
		expect(safeNext('/groups/x?y=1', SITE)).toBe('/groups/x?y=1');
		expect(safeNext('https://evil.example/', SITE)).toBe('/');
		expect(safeNext('//evil.example/', SITE)).toBe('/');
		expect(safeNext('/\\evil.example', SITE)).toBe('/');
		expect(safeNext(null, SITE)).toBe('/');
		expect(safeNext('', SITE)).toBe('/');
	});

	it.each(HOSTILE_NEXT.map((v) => [JSON.stringify(v), v]))('sends %s home', (_, value) => {
		expect(safeNext(value, SITE)).toBe('/');
	});

	it.each(SAME_SITE_NEXT.map(([v, want]) => [JSON.stringify(v), v, want]))('keeps %s on this site', (_, value, want) => {
		expect(safeNext(value, SITE)).toBe(want);
		expect(staysOnSite(safeNext(value, SITE), SITE)).toBe(true);
	});

	it('keeps an absolute address of this very site as its path', () => {
		expect(safeNext(`${SITE}/events/2?x=1`, SITE)).toBe('/events/2?x=1');
		expect(safeNext('http://gather.test:3001/events/2', SITE)).toBe('/');
	});

	it('never returns a value a Location header or a browser would misread', () => {
		for (const value of [...HOSTILE_NEXT, ...SAME_SITE_NEXT.map(([v]) => v)]) {
			const out = safeNext(value, SITE);
			expect(staysOnSite(out, SITE), JSON.stringify(value)).toBe(true);
		}
	});
});

describe('form helpers', () => {
	it('names the form field an api error points at', () => {
		expect(fieldOf('input.title')).toBe('title');
		expect(fieldOf('guests')).toBe('guests');
		expect(fieldOf(undefined)).toBeUndefined();
	});

	it('keeps typed values to refill a form, never passwords', () => {
		const form = new FormData();
		form.set('email', 'a@b.c');
		form.set('password', 'secret123');
		expect(values(form)).toEqual({ email: 'a@b.c' });
	});

	it('sends people to log in and come back', () => {
		expect(loginUrl(new URL('http://x/events/1?tab=chat'))).toBe('/login?next=%2Fevents%2F1%3Ftab%3Dchat');
	});
});
