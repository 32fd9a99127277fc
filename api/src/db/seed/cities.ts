/** A city of the demo data: its centre, IANA time zone, and local names for districts and streets. */
export interface City {
  name: string;
  lat: number;
  lng: number;
  timezone: string;
  districts: string[];
  streets: string[];
}

/** Twelve real cities, one per line of the world map the demo should fill. */
export const CITIES: City[] = [
  {
    name: 'Oslo', lat: 59.9139, lng: 10.7522, timezone: 'Europe/Oslo',
    districts: ['Grünerløkka', 'Frogner', 'Majorstuen', 'Gamle Oslo', 'Sagene'],
    streets: ['Thorvald Meyers gate', 'Bogstadveien', 'Markveien', 'Karl Johans gate'],
  },
  {
    name: 'Berlin', lat: 52.52, lng: 13.405, timezone: 'Europe/Berlin',
    districts: ['Kreuzberg', 'Neukölln', 'Prenzlauer Berg', 'Friedrichshain', 'Wedding'],
    streets: ['Oranienstraße', 'Kastanienallee', 'Sonnenallee', 'Boxhagener Straße'],
  },
  {
    name: 'London', lat: 51.5074, lng: -0.1278, timezone: 'Europe/London',
    districts: ['Shoreditch', 'Camden', 'Brixton', 'Hackney', 'Islington'],
    streets: ['Brick Lane', 'Upper Street', 'Coldharbour Lane', 'Mare Street'],
  },
  {
    name: 'New York', lat: 40.7128, lng: -74.006, timezone: 'America/New_York',
    districts: ['Brooklyn', 'Harlem', 'Astoria', 'Lower East Side', 'Williamsburg'],
    streets: ['Bedford Avenue', 'Orchard Street', 'Lenox Avenue', 'Steinway Street'],
  },
  {
    name: 'San Francisco', lat: 37.7749, lng: -122.4194, timezone: 'America/Los_Angeles',
    districts: ['Mission', 'SoMa', 'Sunset', 'Noe Valley', 'Richmond'],
    streets: ['Valencia Street', 'Irving Street', 'Folsom Street', '24th Street'],
  },
  {
    name: 'Toronto', lat: 43.6532, lng: -79.3832, timezone: 'America/Toronto',
    districts: ['Kensington', 'Leslieville', 'The Annex', 'Liberty Village', 'Riverdale'],
    streets: ['Queen Street West', 'Bloor Street', 'Danforth Avenue', 'Spadina Avenue'],
  },
  {
    name: 'Tokyo', lat: 35.6762, lng: 139.6503, timezone: 'Asia/Tokyo',
    districts: ['Shibuya', 'Shimokitazawa', 'Koenji', 'Nakameguro', 'Asakusa'],
    streets: ['Omotesando', 'Meiji-dori', 'Kappabashi-dori', 'Yamate-dori'],
  },
  {
    name: 'Sydney', lat: -33.8688, lng: 151.2093, timezone: 'Australia/Sydney',
    districts: ['Newtown', 'Surry Hills', 'Bondi', 'Manly', 'Glebe'],
    streets: ['King Street', 'Crown Street', 'Glebe Point Road', 'Campbell Parade'],
  },
  {
    name: 'São Paulo', lat: -23.5505, lng: -46.6333, timezone: 'America/Sao_Paulo',
    districts: ['Vila Madalena', 'Pinheiros', 'Liberdade', 'Moema', 'Bela Vista'],
    streets: ['Rua Augusta', 'Avenida Paulista', 'Rua dos Pinheiros', 'Rua Harmonia'],
  },
  {
    name: 'Nairobi', lat: -1.2921, lng: 36.8219, timezone: 'Africa/Nairobi',
    districts: ['Westlands', 'Kilimani', 'Karen', 'Lavington', 'Upper Hill'],
    streets: ['Ngong Road', 'Waiyaki Way', 'Argwings Kodhek Road', 'Kenyatta Avenue'],
  },
  {
    name: 'Bangalore', lat: 12.9716, lng: 77.5946, timezone: 'Asia/Kolkata',
    districts: ['Indiranagar', 'Koramangala', 'Jayanagar', 'Whitefield', 'Malleshwaram'],
    streets: ['100 Feet Road', 'Church Street', 'Sampige Road', 'Brigade Road'],
  },
  {
    name: 'Mexico City', lat: 19.4326, lng: -99.1332, timezone: 'America/Mexico_City',
    districts: ['Coyoacán', 'Roma Norte', 'Condesa', 'Polanco', 'San Ángel'],
    streets: ['Avenida Álvaro Obregón', 'Calle Madero', 'Avenida Tamaulipas', 'Calle Francisco Sosa'],
  },
];

/** Kinds of places groups meet; `{district}` is filled in. Outdoor topics get parks and trailheads instead. */
export const INDOOR_VENUES = [
  '{district} Public Library', '{district} Community Centre', 'The Corner Café', 'Makers\' Loft', 'Hearth Coffee Roasters',
  'The Long Table', 'Studio 9', 'Lantern Books', 'The Old Print Works', 'Commons Co-working',
];
export const OUTDOOR_VENUES = ['{district} Park, main gate', 'Riverside trailhead', 'The old harbour', 'North station square', 'Botanical garden entrance'];

/** A point about `km` or less from the centre, for venues and people around a city. */
export function near(city: City, km: number, random: () => number): { lat: number; lng: number } {
  const distance = km * Math.sqrt(random());
  const angle = 2 * Math.PI * random();
  const dLat = (distance / 111.32) * Math.cos(angle);
  const dLng = ((distance / 111.32) * Math.sin(angle)) / Math.cos((city.lat * Math.PI) / 180);
  return { lat: Number((city.lat + dLat).toFixed(5)), lng: Number((city.lng + dLng).toFixed(5)) };
}
