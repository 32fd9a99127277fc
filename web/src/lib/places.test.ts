import { describe, expect, it } from 'vitest';
import { formatDistance, placeLabel, pointFromQuery, radiusFromQuery } from './places';

describe('places helpers', () => {
	it('labels a place with its region only when it adds something', () => {
		expect(placeLabel({ name: 'Zürich', region: 'Zürich', country: 'Switzerland' })).toBe('Zürich, Switzerland');
		expect(placeLabel({ name: 'Manchester', region: 'New Hampshire', country: 'United States' })).toBe(
			'Manchester, New Hampshire, United States'
		);
		expect(placeLabel({ name: 'São Paulo', region: null, country: 'Brazil' })).toBe('São Paulo, Brazil');
	});

	it('reads the browser location from lat and lng, ignoring what it cannot use', () => {
		expect(pointFromQuery(new URLSearchParams('lat=52.5&lng=13.4'))).toEqual({ lat: 52.5, lng: 13.4 });
		expect(pointFromQuery(new URLSearchParams('lat=95&lng=10'))).toBeNull();
		expect(pointFromQuery(new URLSearchParams('lat=abc&lng=10'))).toBeNull();
		expect(pointFromQuery(new URLSearchParams('lat=10'))).toBeNull();
	});

	it('accepts only the offered radii', () => {
		expect(radiusFromQuery('25')).toBe(25);
		expect(radiusFromQuery('7')).toBe(50);
		expect(radiusFromQuery(null)).toBe(50);
	});

	it('formats distances', () => {
		expect(formatDistance(3.24)).toBe('3.2 km');
		expect(formatDistance(48.6)).toBe('49 km');
	});
});
