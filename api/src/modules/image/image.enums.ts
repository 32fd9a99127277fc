import { registerEnumType } from 'type-graphql';

/** The stored sizes of a picture, each a bounding box that keeps its aspect ratio (image.process.ts). */
export enum ImageSize {
  THUMB = 'THUMB',
  SMALL = 'SMALL',
  MEDIUM = 'MEDIUM',
  LARGE = 'LARGE',
}

registerEnumType(ImageSize, {
  name: 'ImageSize',
  description: 'A stored size of a picture; each keeps the aspect ratio and is never larger than the upload.',
  valuesConfig: {
    THUMB: { description: 'At most 160 pixels a side: avatars and list thumbnails.' },
    SMALL: { description: 'At most 480 pixels a side: cards.' },
    MEDIUM: { description: 'At most 960 pixels a side: page headers on phones and small screens.' },
    LARGE: { description: 'At most 1920 pixels a side: page headers on large and high-density screens.' },
  },
});
