import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ImageSize } from './image.enums.js';

/** One stored size as `images.variants` lists it (the bytes live in image_variants). */
export interface VariantInfo {
  size: ImageSize;
  width: number;
  height: number;
  hash: string;
}

@ObjectType('Image', {
  description: 'A picture (the cover of a group or an event), stored in several sizes at content-hashed URLs that never change.',
})
export class Picture {
  @Field(() => ID, { description: 'Stable identifier; a new upload is a new picture with a new id.' })
  id!: string;

  @Field(() => Int, { description: 'Width in pixels of the largest stored size (with height: the aspect ratio, to reserve room).' })
  width!: number;

  @Field(() => Int, { description: 'Height in pixels of the largest stored size.' })
  height!: number;

  /** Every stored size, smallest first. */
  variants!: VariantInfo[];
}

/**
 * Path of one size of a picture, relative to the API's origin (the web server forwards /images/ to it). The content
 * hash makes it immutable: a new upload has a new id and new hashes, so caches never serve a stale picture.
 */
export function variantPath(picture: Pick<Picture, 'id'>, variant: VariantInfo): string {
  return `/images/${picture.id}/${variant.size.toLowerCase()}.${variant.hash}.webp`;
}
