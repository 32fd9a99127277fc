import { describe, expect, it } from 'vitest';
import { findCity, placeFromQuery } from './cities';

describe('placeFromQuery', () => {
	it('reads a listed city, in any case', () => {
		expect(placeFromQuery(new URLSearchParams('city=oslo'))).toEqual({ label: 'Oslo', lat: 59.9139, lng: 10.7522 });
		expect(findCity(' São Paulo ')?.timezone).toBe('America/Sao_Paulo');
	});

	it('reads the browser location from lat and lng', () => {
		expect(placeFromQuery(new URLSearchParams('lat=52.5&lng=13.4'))).toEqual({ label: 'your location', lat: 52.5, lng: 13.4 });
	});

	it('ignores what it cannot use instead of failing', () => {
		expect(placeFromQuery(new URLSearchParams('city=Atlantis'))).toBeNull();
		expect(placeFromQuery(new URLSearchParams('lat=95&lng=10'))).toBeNull();
		expect(placeFromQuery(new URLSearchParams('lat=abc&lng=10'))).toBeNull();
		expect(placeFromQuery(new URLSearchParams('lat=10'))).toBeNull();
		expect(placeFromQuery(new URLSearchParams(''))).toBeNull();
	});
});
