import { describe, expect, it } from 'vitest';
import { fieldOf, loginUrl, safeNext, values } from './forms';

describe('safeNext', () => {
	it('keeps paths on this site and refuses everything else', () => {
		expect(safeNext('/groups/x?y=1')).toBe('/groups/x?y=1');
		expect(safeNext('https://evil.example/')).toBe('/');
		expect(safeNext('//evil.example/')).toBe('/');
		expect(safeNext('/\\evil.example')).toBe('/');
		expect(safeNext(null)).toBe('/');
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
