import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../../shared/errors.js';
import { ImageSize } from './image.enums.js';

// Decoding and resizing with sharp (libvips). See docs/ARCHITECTURE.md, Pictures.

/** Largest upload accepted: 5 MiB. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Longest side accepted, in pixels: 8000. */
export const MAX_IMAGE_SIDE = 8000;
/** Most pixels accepted (40 megapixels): checked from the header, before anything is decoded. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Shortest side accepted, in pixels: 100 (smaller looks broken on a page). */
export const MIN_IMAGE_SIDE = 100;

/** The bounding box (px) of each stored size; the aspect ratio is kept. */
export const SIZE_BOX: Record<ImageSize, number> = {
  [ImageSize.THUMB]: 160,
  [ImageSize.SMALL]: 480,
  [ImageSize.MEDIUM]: 960,
  [ImageSize.LARGE]: 1920,
};

/** Formats people upload that the prebuilt libvips decodes (HEIF only when AV1-coded, i.e. AVIF). */
const ACCEPTED = new Set(['jpeg', 'png', 'webp', 'gif', 'avif']);

/** One stored size of an image. */
export interface Variant {
  size: ImageSize;
  width: number;
  height: number;
  contentType: string;
  /** First 16 hex digits of the SHA-256 of `data`: the URL's content hash and the ETag. */
  hash: string;
  data: Buffer;
}

/** An upload, decoded and resized: its largest variant's size and every variant. */
export interface ProcessedImage {
  width: number;
  height: number;
  variants: Variant[];
}

/** A refusal of the upload, naming the `image` field; `status` is the HTTP status of the upload route (400). */
const refuse = (message: string, status = 400) => new AppError('BAD_USER_INPUT', message, { field: 'image', http: { status } });

const FORMAT_HINT = 'Upload a JPEG, PNG, WebP, GIF or AVIF picture.';

sharp.cache(false); // each image is read once; libvips' operation cache would only hold memory

/** Uploads resized at once per API process: 2, so they never hold every libuv worker (password hashing shares them). */
export const MAX_PARALLEL_RESIZES = 2;
let resizing = 0;
const waiting: Array<() => void> = [];

/** Runs `work` when fewer than MAX_PARALLEL_RESIZES others are running; a finishing one hands its turn on. */
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (resizing < MAX_PARALLEL_RESIZES) resizing++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else resizing--;
  }
}

/**
 * Checks that `bytes` are a picture we take (format, size, dimensions) and makes its WebP variants: the orientation
 * from EXIF applied, then every metadata block (EXIF with GPS positions, XMP, ICC kept as sRGB) dropped.
 */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  if (bytes.length === 0) throw refuse('The image is empty: choose a picture to upload.');
  if (bytes.length > MAX_IMAGE_BYTES) throw tooLarge();
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw refuse(`The image is not a picture we can read. ${FORMAT_HINT}`);
  }
  const format = meta.format === 'heif' && meta.compression === 'av1' ? 'avif' : meta.format;
  if (!ACCEPTED.has(format)) throw refuse(`The image is a ${String(format).toUpperCase()} file, which we do not take. ${FORMAT_HINT}`);
  const { width, height } = meta.autoOrient ?? meta;
  if (!width || !height) throw refuse(`The image is not a picture we can read. ${FORMAT_HINT}`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE || width * height > MAX_IMAGE_PIXELS) {
    throw refuse(`The image is ${width} × ${height} pixels: the most we take is ${MAX_IMAGE_SIDE} pixels a side and ${MAX_IMAGE_PIXELS / 1e6} megapixels.`);
  }
  if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE) {
    throw refuse(`The image is ${width} × ${height} pixels: it needs at least ${MIN_IMAGE_SIDE} pixels a side.`);
  }
  return inTurn(() => resize(bytes));
}

/**
 * The WebP variants of a checked upload. The upload is decoded once, into sRGB pixels at the largest size (JPEG
 * shrink-on-load makes that cheap), and every size is made from those pixels.
 */
async function resize(bytes: Buffer): Promise<ProcessedImage> {
  const box = SIZE_BOX[ImageSize.LARGE];
  let base: { data: Buffer; info: sharp.OutputInfo };
  try {
    base = await sharp(bytes, { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS })
      .autoOrient()
      .resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw refuse(`The image is damaged or incomplete: we could not read all of it. ${FORMAT_HINT}`);
  }
  const raw = { width: base.info.width, height: base.info.height, channels: base.info.channels as 3 | 4 };
  const variants = await Promise.all(
    (Object.keys(SIZE_BOX) as ImageSize[]).map(async (size) => {
      const { data, info } = await sharp(base.data, { raw })
        .resize({ width: SIZE_BOX[size], height: SIZE_BOX[size], fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 80 })
        .toBuffer({ resolveWithObject: true });
      const hash = createHash('sha256').update(data).digest('hex').slice(0, 16);
      return { size, width: info.width, height: info.height, contentType: 'image/webp', hash, data };
    }),
  );
  const largest = variants[variants.length - 1];
  return { width: largest.width, height: largest.height, variants };
}

/** The refusal of an upload over MAX_IMAGE_BYTES. */
export const tooLarge = () => refuse(`The image is over ${MAX_IMAGE_BYTES / 1024 / 1024} MB: upload a smaller picture.`, 413);
