import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { isId } from '../../shared/errors.js';
import { ALL_KINDS, KIND_LABELS, NotificationKind } from './notification.enums.js';
import { saveSettings } from './settings.js';

// One-click unsubscribe (docs/ARCHITECTURE.md, "Notifications"): each email links to /unsubscribe?token=…, a token
// signed with a per-database secret naming one person and one kind. The link's page asks, and its button turns off
// only that kind's email, without signing in; a mail program's one-click POST (RFC 8058) does the same at once.

const secrets = new WeakMap<MikroORM, Promise<string>>();

async function secretOf(em: EntityManager): Promise<string> {
  const [row] = await em.execute<Array<{ secret: string }>>(`select secret from signing_keys where name = 'email-links'`);
  return row.secret;
}

/** The secret, read once per ORM. */
function cachedSecret(orm: MikroORM): Promise<string> {
  let secret = secrets.get(orm);
  if (!secret) {
    secret = secretOf(orm.em.fork());
    secret.catch(() => secrets.delete(orm));
    secrets.set(orm, secret);
  }
  return secret;
}

const sign = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('base64url').slice(0, 32);

/** A token that unsubscribes `userId` from `kind` emails. */
export async function unsubscribeToken(orm: MikroORM, userId: string, kind: NotificationKind): Promise<string> {
  const body = Buffer.from(`${userId}.${kind}`).toString('base64url');
  return `${body}.${sign(await cachedSecret(orm), body)}`;
}

/** The person and kind of a valid token, else null. */
export async function readUnsubscribeToken(orm: MikroORM, token: string): Promise<{ userId: string; kind: NotificationKind } | null> {
  const [body, mac] = token.split('.');
  if (!body || !mac) return null;
  const expected = Buffer.from(sign(await cachedSecret(orm), body));
  if (expected.length !== Buffer.from(mac).length || !timingSafeEqual(expected, Buffer.from(mac))) return null;
  const [userId, kind] = Buffer.from(body, 'base64url').toString().split('.');
  if (!isId(userId) || !ALL_KINDS.includes(kind as NotificationKind)) return null;
  return { userId, kind: kind as NotificationKind };
}

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title} · Gather</title></head><body style="font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem">` +
  `<h1>${title}</h1>${body}</body></html>`;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * GET /unsubscribe?token=… asks (a page with one button); POST turns one kind of email off (or back on with
 * undo=1). Opening a link changes nothing: mail scanners and link previews fetch every link in an email, and
 * a GET that acted would unsubscribe people who never clicked. Mail programs' one-click (RFC 8058) is a POST.
 */
export function unsubscribeRoutes(orm: MikroORM, webUrl: string): Router {
  const router = express.Router();
  router.all('/unsubscribe', async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    try {
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      const found = token ? await readUnsubscribeToken(orm, token) : null;
      res.set('cache-control', 'no-store').type('html');
      if (!found) {
        res.status(400).send(page('This link does not work', '<p>The unsubscribe link is incomplete or was changed. Open it again from the email, or change your email settings after logging in.</p>'));
        return;
      }
      const undo = req.query.undo === '1';
      const label = KIND_LABELS[found.kind];
      const settings = `<p><a href="${webUrl}/me/settings">All notification settings</a></p>`;
      const action = (again: boolean) => escapeHtml(`/unsubscribe?token=${encodeURIComponent(token)}${again ? '&undo=1' : ''}`);
      if (req.method === 'GET') {
        res.send(
          page(undo ? 'Subscribe again?' : 'Unsubscribe?', `<p>${undo ? 'Get' : 'Stop getting'} emails about ${label}?` +
            `${undo ? '' : ' Other emails and in-app notifications stay as they are.'}</p>` +
            `<form method="post" action="${action(undo)}"><button>${undo ? 'Subscribe again' : 'Unsubscribe'}</button></form>${settings}`),
        );
        return;
      }
      await saveSettings(orm.em.fork(), found.userId, [{ kind: found.kind, email: undo }]);
      res.send(
        undo
          ? page('Subscribed again', `<p>You will get emails about ${label} again.</p>${settings}`)
          : page('Unsubscribed', `<p>You will no longer get emails about ${label}. Other emails and in-app notifications are unchanged.</p>` +
              `<form method="post" action="${action(true)}"><button>Undo</button></form>${settings}`),
      );
    } catch (error) {
      next(error);
    }
  });
  return router;
}
