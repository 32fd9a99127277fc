import type { MikroORM } from '@mikro-orm/postgresql';
import { Router, type Response } from 'express';
import type { ICalCalendar } from 'ical-generator';
import { eventCalendar, groupCalendar, type EventLink } from './calendar.service.js';

/** Links to event pages on the configured public site (PUBLIC_URL), never on whatever Host a request names. */
const eventLink =
  (publicUrl: string): EventLink =>
  (id) =>
    `${publicUrl}/events/${id}`;

function sendCalendar(res: Response, calendar: ICalCalendar | null, filename: string) {
  if (!calendar) {
    res.status(404).type('text/plain').send('Not found.');
    return;
  }
  res.set({
    'content-type': 'text/calendar; charset=utf-8',
    'content-disposition': `inline; filename="${filename}"`,
    // Calendar apps poll; revalidate each time so a cancelled event (or a group turned private) shows at once.
    'cache-control': 'no-cache',
  });
  res.send(calendar.toString());
}

/**
 * iCalendar (RFC 5545) downloads of public groups' events: `GET /ical/events/:id.ics` (one event) and
 * `GET /ical/groups/:slug.ics` (a group's upcoming events, to subscribe to). Private groups' events are 404.
 */
export function calendarRoutes(orm: MikroORM, publicUrl: string): Router {
  const router = Router();
  const link = eventLink(publicUrl);
  router.get('/ical/events/:id.ics', async (req, res) => {
    const id = String(req.params.id);
    sendCalendar(res, await eventCalendar(orm.em.fork(), id, link), `${id}.ics`);
  });
  router.get('/ical/groups/:slug.ics', async (req, res) => {
    const slug = String(req.params.slug);
    sendCalendar(res, await groupCalendar(orm.em.fork(), slug, link), `${slug}.ics`);
  });
  return router;
}
