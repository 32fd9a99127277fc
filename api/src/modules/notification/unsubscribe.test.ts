import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../test/api.js';
import { contractOperation, createEvent } from '../../test/events.js';
import { addMember, createGroup, expectError, ok, signUp } from '../../test/factories.js';
import { startSmtp, type TestSmtp } from '../../test/smtp.js';
import { inbox, queueSettled } from './notification.testkit.js';

// Settings per kind and channel, and the one-click unsubscribe link of every email.

let t: TestApi;
let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApi({ SMTP_URL: smtp.url, JOBS_POLL_MS: 200, PUBLIC_API_URL: 'http://api.gather.test' });
});
afterAll(async () => {
  await t?.close();
  await smtp?.close();
});

const SETTINGS = contractOperation('NotificationSettings');
const UPDATE_SETTINGS = contractOperation('UpdateNotificationSettings');
const apiBase = () => `http://127.0.0.1:${t.api.port}`;
const emailSetting = async (token: string, kind: string) =>
  ok(await t.gql(SETTINGS, {}, token)).me.notificationSettings.find((s: any) => s.kind === kind);

describe('unsubscribe', () => {
  it('turns off only that kind of email, with one click and without signing in; in-app stays on', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const ann = await addMember(t, organizer.token, group.id);
    await createEvent(t, organizer.token, group.id);
    const [mail] = await smtp.waitFor(ann.email, 1);
    const header = String(mail.headers.get('list-unsubscribe'));
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const link = /<(http[^>]+)>/.exec(header)![1];
    expect(link.startsWith('http://api.gather.test/unsubscribe?token=')).toBe(true);
    expect(mail.text).toContain(link);
    const path = link.replace('http://api.gather.test', '');

    // Opening the link (as a mail scanner or link preview does) only asks; the page's button turns the kind off.
    const page = await fetch(`${apiBase()}${path}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('new events in your groups');
    expect(html).toContain(`<form method="post" action="${path.replace(/&/g, '&amp;')}">`);
    expect(await emailSetting(ann.token, 'EVENT_CREATED')).toEqual({ kind: 'EVENT_CREATED', inApp: true, email: true });
    const confirmed = await fetch(`${apiBase()}${path}`, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('no longer get emails about new events in your groups');
    expect(await emailSetting(ann.token, 'EVENT_CREATED')).toEqual({ kind: 'EVENT_CREATED', inApp: true, email: false });
    expect(await emailSetting(ann.token, 'EVENT_CANCELLED')).toEqual({ kind: 'EVENT_CANCELLED', inApp: true, email: true });

    await createEvent(t, organizer.token, group.id);
    await queueSettled(t);
    expect((await inbox(t, ann.token)).total).toBe(2);
    expect(smtp.to(ann.email)).toHaveLength(1);

    // Undo (a form on the page), then the mail program's one-click POST (RFC 8058).
    expect((await fetch(`${apiBase()}${path}&undo=1`, { method: 'POST' })).status).toBe(200);
    expect((await emailSetting(ann.token, 'EVENT_CREATED')).email).toBe(true);
    const oneClick = await fetch(`${apiBase()}${path}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(oneClick.status).toBe(200);
    expect((await emailSetting(ann.token, 'EVENT_CREATED')).email).toBe(false);
  });

  it('refuses a forged or damaged token and changes nothing', async () => {
    const ann = await signUp(t, 'Ann');
    const forged = Buffer.from(`${ann.id}.EVENT_CREATED`).toString('base64url');
    for (const token of [`${forged}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, forged, '', 'x.y.z']) {
      for (const method of ['GET', 'POST']) {
        const res = await fetch(`${apiBase()}/unsubscribe?token=${encodeURIComponent(token)}`, { method });
        expect(res.status).toBe(400);
      }
    }
    expect((await emailSetting(ann.token, 'EVENT_CREATED')).email).toBe(true);
  });
});

describe('settings', () => {
  it('are chosen per kind and channel: off in the app means no list entry, off everywhere means nothing at all', async () => {
    const organizer = await signUp(t, 'Olga');
    const group = await createGroup(t, organizer.token);
    const ann = await addMember(t, organizer.token, group.id);
    const answer = ok(await t.gql(UPDATE_SETTINGS, { settings: [{ kind: 'EVENT_CREATED', inApp: false }] }, ann.token)).updateNotificationSettings;
    expect(answer).toHaveLength(9);
    expect(answer.find((s: any) => s.kind === 'EVENT_CREATED')).toEqual({ kind: 'EVENT_CREATED', inApp: false, email: true });
    await createEvent(t, organizer.token, group.id);
    await smtp.waitFor(ann.email, 1);
    expect((await inbox(t, ann.token)).total).toBe(0);

    ok(await t.gql(UPDATE_SETTINGS, { settings: [{ kind: 'EVENT_CREATED', email: false }] }, ann.token));
    await createEvent(t, organizer.token, group.id);
    await queueSettled(t);
    expect(smtp.to(ann.email)).toHaveLength(1);
    expect((await inbox(t, ann.token)).total).toBe(0);

    expectError(await t.gql(UPDATE_SETTINGS, { settings: [{ kind: 'EVENT_CREATED', email: true }, { kind: 'EVENT_CREATED', inApp: true }] }, ann.token), 'BAD_USER_INPUT', 'settings.1.kind');
    expectError(await t.gql(UPDATE_SETTINGS, { settings: [] }), 'UNAUTHENTICATED');
    expect(ok(await t.gql(SETTINGS, {})).me).toBeNull();
  });
});
