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

/** The lat/lng box that contains the circle, for an index-backed prefilter. */
export function boundingBox(near: GeoInput) {
  const dLat = (near.radiusKm / EARTH_RADIUS_KM) * (180 / Math.PI);
  const cos = Math.cos((near.lat * Math.PI) / 180);
  const dLng = cos < 1e-6 ? 180 : Math.min(180, dLat / cos);
  return { minLat: near.lat - dLat, maxLat: near.lat + dLat, minLng: near.lng - dLng, maxLng: near.lng + dLng };
}

/** SQL for the great-circle distance in km from (?, ?) to the given lat/lng columns (haversine). */
export function distanceSql(latCol: string, lngCol: string): string {
  return `(2 * ${EARTH_RADIUS_KM} * asin(sqrt(power(sin(radians(${latCol} - ?) / 2), 2) + cos(radians(?)) * cos(radians(${latCol})) * power(sin(radians(${lngCol} - ?) / 2), 2))))`;
}
