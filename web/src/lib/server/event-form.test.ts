import { describe, expect, it } from 'vitest';
import { readEventForm } from './event-form';

function form(fields: Record<string, string>) {
	const data = new FormData();
	for (const [k, v] of Object.entries(fields)) data.set(k, v);
	return data;
}

describe('readEventForm', () => {
	it('reads times as the clock reads where the group meets', () => {
		const read = readEventForm(
			form({ title: 'Night walk', startsAt: '2027-01-10T19:00', venueName: 'Fountain', capacity: '', guestLimit: '1' }),
			'Europe/Oslo'
		);
		expect(read.input).toMatchObject({
			title: 'Night walk',
			startsAt: '2027-01-10T18:00:00.000Z',
			endsAt: null,
			capacity: null,
			guestLimit: 1,
			venue: { name: 'Fountain', address: null, city: null, location: null }
		});
	});

	it('names every field to fix', () => {
		const read = readEventForm(form({ title: '', startsAt: 'soon', endsAt: '2020-01-01T10:00', capacity: '-1', onlineUrl: 'ftp://x' }), 'UTC');
		expect(Object.keys(read.fields ?? {}).sort()).toEqual(['capacity', 'onlineUrl', 'startsAt', 'title']);
		const backwards = readEventForm(form({ title: 'x', startsAt: '2027-01-10T19:00', endsAt: '2027-01-10T18:00', venueName: 'v' }), 'UTC');
		expect(backwards.fields?.endsAt).toMatch(/before it starts/);
	});

	it('turns the repeat choice into a rule on the start\'s weekday, and sends none without one', () => {
		const base = { title: 'Walk', startsAt: '2026-12-10T19:00', venueName: 'Park' };
		expect(readEventForm(form({ ...base, repeat: 'monthly', repeatCount: '6' }), 'Europe/Oslo').input?.recurrence).toBe('FREQ=MONTHLY;BYDAY=2TH;COUNT=6');
		expect(readEventForm(form({ ...base, repeat: 'biweekly' }), 'Europe/Oslo').input?.recurrence).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TH');
		expect(readEventForm(form(base), 'Europe/Oslo').input).not.toHaveProperty('recurrence');
		expect(readEventForm(form({ ...base, repeat: 'hourly', repeatCount: '1' }), 'UTC').fields).toMatchObject({ repeat: expect.any(String), repeatCount: expect.any(String) });
	});
});
