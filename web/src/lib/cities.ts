/** A city to explore around: the demo data's twelve cities, with their centres and time zones. */
export interface City {
	name: string;
	lat: number;
	lng: number;
	timezone: string;
}

export const CITIES: City[] = [
	{ name: 'Bangalore', lat: 12.9716, lng: 77.5946, timezone: 'Asia/Kolkata' },
	{ name: 'Berlin', lat: 52.52, lng: 13.405, timezone: 'Europe/Berlin' },
	{ name: 'London', lat: 51.5074, lng: -0.1278, timezone: 'Europe/London' },
	{ name: 'Mexico City', lat: 19.4326, lng: -99.1332, timezone: 'America/Mexico_City' },
	{ name: 'Nairobi', lat: -1.2921, lng: 36.8219, timezone: 'Africa/Nairobi' },
	{ name: 'New York', lat: 40.7128, lng: -74.006, timezone: 'America/New_York' },
	{ name: 'Oslo', lat: 59.9139, lng: 10.7522, timezone: 'Europe/Oslo' },
	{ name: 'San Francisco', lat: 37.7749, lng: -122.4194, timezone: 'America/Los_Angeles' },
	{ name: 'São Paulo', lat: -23.5505, lng: -46.6333, timezone: 'America/Sao_Paulo' },
	{ name: 'Sydney', lat: -33.8688, lng: 151.2093, timezone: 'Australia/Sydney' },
	{ name: 'Tokyo', lat: 35.6762, lng: 139.6503, timezone: 'Asia/Tokyo' },
	{ name: 'Toronto', lat: 43.6532, lng: -79.3832, timezone: 'America/Toronto' }
];

/** The known city of that name (any case), if any. */
export function findCity(name: string | null | undefined): City | undefined {
	const wanted = name?.trim().toLowerCase();
	return wanted ? CITIES.find((c) => c.name.toLowerCase() === wanted) : undefined;
}

/** How far "near" reaches around a city or the browser's position, in km. */
export const NEAR_RADIUS_KM = 50;

/** A place to search around: a known city, or a point from the browser's location. */
export interface Place {
	label: string;
	lat: number;
	lng: number;
}

/**
 * Reads "near" from explore's query string: `city=Oslo`, or `lat`/`lng` (from the
 * browser's location). Invalid values give null, never an error.
 */
export function placeFromQuery(params: URLSearchParams): Place | null {
	const city = findCity(params.get('city'));
	if (city) return { label: city.name, lat: city.lat, lng: city.lng };
	const lat = Number(params.get('lat'));
	const lng = Number(params.get('lng'));
	if (!params.get('lat') || !params.get('lng')) return null;
	if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
		return null;
	}
	return { label: 'your location', lat, lng };
}
