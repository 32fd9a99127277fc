import sharp from 'sharp';
import { expect } from 'vitest';
import type { TestApi } from '../../test/api.js';

/** A real picture made with sharp: `width` × `height` of a colour (with a diagonal, so it is not one flat colour). */
export async function picture(width: number, height: number, format: 'png' | 'jpeg' | 'webp' = 'png', background = '#3a7'): Promise<Buffer> {
  const stripe = Buffer.from(`<svg width="${width}" height="${height}"><path d="M0 0L${width} ${height}" stroke="#fff" stroke-width="9"/></svg>`);
  const image = sharp({ create: { width, height, channels: 3, background } }).composite([{ input: stripe }]);
  return image.toFormat(format).toBuffer();
}

/** The API's origin (the image routes sit beside /graphql). */
export const origin = (t: TestApi) => t.api.url.replace(/\/graphql$/, '');

/** An answer of the image routes: status, headers and the JSON body (or null). */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: any;
}

async function answer(res: Response): Promise<HttpAnswer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

/** PUTs `bytes` as the cover of `/images/<kind>/<id>/cover`, as `token`'s user when given. */
export async function putCover(
  t: TestApi,
  kind: 'groups' | 'events',
  id: string,
  bytes: Buffer,
  token?: string | null,
  contentType: string | null = 'image/png',
): Promise<HttpAnswer> {
  const headers: Record<string, string> = {};
  if (contentType) headers['content-type'] = contentType;
  if (token) headers.authorization = `Bearer ${token}`;
  return answer(await fetch(`${origin(t)}/images/${kind}/${id}/cover`, { method: 'PUT', headers, body: new Uint8Array(bytes) }));
}

/** DELETEs the cover of `/images/<kind>/<id>/cover` as `token`'s user. */
export async function deleteCover(t: TestApi, kind: 'groups' | 'events', id: string, token?: string | null): Promise<HttpAnswer> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return answer(await fetch(`${origin(t)}/images/${kind}/${id}/cover`, { method: 'DELETE', headers }));
}

/** GETs a picture path (as `token`'s user when given, with extra headers). */
export function getPicture(t: TestApi, path: string, token?: string | null, headers: Record<string, string> = {}) {
  return fetch(`${origin(t)}${path}`, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });
}

/** Asserts an HTTP error answer of `code` (and `field`), shaped like a GraphQL error. */
export function expectHttpError(res: HttpAnswer, status: number, code: string, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors[0].extensions.code).toBe(code);
  if (field) expect(res.body.errors[0].extensions.field).toBe(field);
  return res.body.errors[0] as { message: string };
}
