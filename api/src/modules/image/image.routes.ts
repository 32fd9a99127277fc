import express, { Router, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import { authenticatedContext } from '../../server/auth-context.js';
import type { AppDeps, Context } from '../../server/context.js';
import { logOf, silentLogger } from '../../server/logger.js';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../../server/unavailable.js';
import { ImageSize } from './image.enums.js';
import { MAX_IMAGE_BYTES, tooLarge } from './image.process.js';
import { eventCoverOwner, groupCoverOwner, isPublic, removeCoverOf, uploadCover, visibleVariant } from './image.service.js';
import type { CoverOwner } from './image.store.js';
import { variantPath, type Picture } from './image.type.js';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, RATE_LIMITED: 429 };
const YEAR_S = 365 * 24 * 3600;
const FILE = /^(thumb|small|medium|large)\.([0-9a-f]{16})\.webp$/;
/** The content types a cross-site HTML form can send without a CORS preflight: never a picture upload. */
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/** A JSON error shaped like a GraphQL one; the request body is drained so the client reads the answer. */
function sendError(req: Request, res: Response, status: number, code: string, message: string, extensions: Record<string, unknown> = {}) {
  req.resume();
  res.status(status).set('cache-control', 'no-store').json({ errors: [{ message, extensions: { code, ...extensions } }] });
}

function sendFailure(req: Request, res: Response, error: unknown, deps: AppDeps) {
  if (error instanceof GraphQLError && typeof error.extensions.code === 'string' && STATUS[error.extensions.code]) {
    const { code, http, ...rest } = error.extensions as Record<string, unknown> & { code: string; http?: { status?: number } };
    if (code === 'RATE_LIMITED') res.set('retry-after', String(rest.retryAfterSeconds));
    return sendError(req, res, http?.status ?? STATUS[code], code, error.message, rest);
  }
  if (isDatabaseUnavailable(error)) return sendError(req, res, 503, 'SERVICE_UNAVAILABLE', DATABASE_UNAVAILABLE_MESSAGE);
  logOf(req, deps.log ?? silentLogger).error({ err: error }, 'unexpected error');
  sendError(req, res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
}

/** The upload's bytes, at most MAX_IMAGE_BYTES (inflated from gzip when so sent). */
const rawBody = express.raw({ type: () => true, limit: MAX_IMAGE_BYTES });
function readBody(req: Request, res: Response): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    rawBody(req, res, (error?: unknown) => {
      if ((error as { type?: string } | undefined)?.type === 'entity.too.large') reject(tooLarge());
      else if (error) reject(error);
      else resolve(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    }),
  );
}

/** What an upload answers: the picture as `Image` has it in the schema, with the URL of every size. */
export function pictureJson(picture: Picture) {
  const urls = Object.fromEntries(picture.variants.map((v) => [v.size, variantPath(picture, v)]));
  return { id: picture.id, width: picture.width, height: picture.height, urls };
}

type OwnerOf = (ctx: Context, id: string) => Promise<CoverOwner>;

/**
 * Cover pictures over HTTP (docs/ARCHITECTURE.md, Pictures):
 * - `GET /images/:id/<size>.<hash>.webp`: one stored size; immutable, so cached for a year (shared caches only for
 *   pictures anyone may see); ETag, nosniff. 404 for unknown, stale-hash and not-visible pictures alike.
 * - `PUT /images/{groups,events}/:id/cover`: the picture's bytes as the body, with its own Content-Type (image/jpeg…);
 *   session cookie or bearer token. PUT and DELETE are never sent cross-site without a CORS preflight (which the API
 *   does not grant), and a body with a form's content type is refused as well: no cross-site request forgery.
 * - `DELETE /images/{groups,events}/:id/cover`: removes the cover (204, also when there was none).
 */
export function imageRoutes(deps: AppDeps): Router {
  const router = Router();

  router.get('/images/:id/:file', async (req, res) => {
    try {
      const match = FILE.exec(String(req.params.file));
      const signedIn = () => authenticatedContext(deps, req.headers, { req, res });
      const size = match?.[1].toUpperCase() as ImageSize;
      const variant = match && (await visibleVariant(deps.orm.em.fork(), signedIn, String(req.params.id), size, match[2]));
      if (!variant) return sendError(req, res, 404, 'NOT_FOUND', 'Picture not found.');
      const etag = `"${variant.hash}"`;
      res.set({
        'cache-control': `${isPublic(variant) ? 'public' : 'private'}, max-age=${YEAR_S}, immutable`,
        etag,
        'x-content-type-options': 'nosniff',
      });
      if (isPublic(variant)) res.removeHeader('vary');
      else res.set('vary', 'cookie, authorization');
      if (String(req.headers['if-none-match'] ?? '').split(/\s*,\s*/).includes(etag)) return res.status(304).end();
      res.type(variant.contentType).send(variant.data);
    } catch (error) {
      sendFailure(req, res, error, deps);
    }
  });

  const owners: Array<[string, OwnerOf]> = [
    ['groups', groupCoverOwner],
    ['events', eventCoverOwner],
  ];
  for (const [kind, ownerOf] of owners) {
    router.put(`/images/${kind}/:id/cover`, async (req, res) => {
      try {
        const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        if (!type || SIMPLE_TYPES.has(type)) {
          return sendError(req, res, 415, 'BAD_REQUEST', 'Send the picture itself as the request body, with its Content-Type (e.g. image/jpeg).');
        }
        const ctx = await authenticatedContext(deps, req.headers, { req, res });
        const owner = await ownerOf(ctx, String(req.params.id));
        const picture = await uploadCover(ctx, owner, await readBody(req, res));
        res.set('cache-control', 'no-store').json({ coverImage: pictureJson(picture) });
      } catch (error) {
        sendFailure(req, res, error, deps);
      }
    });
    router.delete(`/images/${kind}/:id/cover`, async (req, res) => {
      try {
        const ctx = await authenticatedContext(deps, req.headers, { req, res });
        await removeCoverOf(ctx, await ownerOf(ctx, String(req.params.id)));
        res.status(204).end();
      } catch (error) {
        sendFailure(req, res, error, deps);
      }
    });
  }
  return router;
}
