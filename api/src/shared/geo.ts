import { Field, Float, InputType, ObjectType } from 'type-graphql';
import { IsLatitude, IsLongitude, Max, Min } from 'class-validator';

@ObjectType({ description: 'A point on Earth in WGS84 degrees.' })
export class LatLng {
  @Field(() => Float, { description: 'Latitude in degrees, -90 to 90.' })
  lat!: number;

  @Field(() => Float, { description: 'Longitude in degrees, -180 to 180.' })
  lng!: number;
}

@InputType({ description: 'A point on Earth in WGS84 degrees.' })
export class LatLngInput {
  @Field(() => Float, { description: 'Latitude in degrees, -90 to 90.' })
  @IsLatitude()
  lat!: number;

  @Field(() => Float, { description: 'Longitude in degrees, -180 to 180.' })
  @IsLongitude()
  lng!: number;
}

@InputType({ description: 'A circle on Earth: everything within radiusKm of a point.' })
export class GeoInput extends LatLngInput {
  @Field(() => Float, { description: 'Radius in kilometres, 0.1 to 500.' })
  @Min(0.1)
  @Max(500)
  radiusKm!: number;
}

/** Builds a LatLng from nullable columns; null when either is missing. */
export function latLng(lat: number | null | undefined, lng: number | null | undefined): LatLng | null {
  return lat == null || lng == null ? null : { lat, lng };
}

const EARTH_RADIUS_KM = 6371.0088;

/**
 * The lat/lng box that contains the circle, for an index-backed prefilter. Longitudes may run past ±180
 * when the circle crosses the antimeridian (boxSql wraps them); a circle around a pole spans every longitude.
 */
export function boundingBox(near: GeoInput) {
  const r = near.radiusKm / EARTH_RADIUS_KM;
  const dLat = (r * 180) / Math.PI;
  const minLat = near.lat - dLat;
  const maxLat = near.lat + dLat;
  if (minLat <= -90 || maxLat >= 90) return { minLat: Math.max(minLat, -90), maxLat: Math.min(maxLat, 90), minLng: -180, maxLng: 180 };
  // The widest longitude span of a circle is asin(sin r / cos lat), a little more than r / cos lat.
  const dLng = (Math.asin(Math.sin(r) / Math.cos((near.lat * Math.PI) / 180)) * 180) / Math.PI;
  return { minLat, maxLat, minLng: near.lng - dLng, maxLng: near.lng + dLng };
}

/** SQL (and bindings) keeping rows whose lat/lng columns lie in the box around `near`: range conditions an index can use. */
export function boxSql(latCol: string, lngCol: string, near: GeoInput, param: Param): string {
  const box = boundingBox(near);
  const lat = `${latCol} between ${param(box.minLat)} and ${param(box.maxLat)}`;
  if (box.minLng <= -180 && box.maxLng >= 180) return lat;
  // Across the antimeridian the longitude range comes in two pieces.
  if (box.minLng < -180) return `${lat} and (${lngCol} >= ${param(box.minLng + 360)} or ${lngCol} <= ${param(box.maxLng)})`;
  if (box.maxLng > 180) return `${lat} and (${lngCol} >= ${param(box.minLng)} or ${lngCol} <= ${param(box.maxLng - 360)})`;
  return `${lat} and ${lngCol} between ${param(box.minLng)} and ${param(box.maxLng)}`;
}

/**
 * A query parameter: takes a value and returns its placeholder in the text, in text order (`?` for MikroORM's
 * em.execute, `$n` for db/read.ts).
 */
export type Param = (value: unknown) => string;

/** SQL for the great-circle distance in km from `from` to the given lat/lng columns (haversine). */
export function distanceSql(latCol: string, lngCol: string, from: LatLng, param: Param): string {
  return `(2 * ${EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(${latCol} - ${param(from.lat)}) / 2), 2) + cos(radians(${param(from.lat)})) * cos(radians(${latCol})) * power(sin(radians(${lngCol} - ${param(from.lng)}) / 2), 2))))`;
}

/** Great-circle distance in km between two points (haversine, as distanceSql computes it). */
export function distanceKm(a: LatLng, b: LatLng): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
