import { describe, expect, it } from 'vitest';
import { readDateFilter } from './date-filter';

const at = (params: string, now: string) => readDateFilter(new URLSearchParams(params), new Date(now));

describe('explore date filters', () => {
	// Wednesday 2 December 2026, 10:00 in Oslo (09:00 UTC).
	const wednesday = '2026-12-02T09:00:00Z';

	it('today: from now to midnight in the viewer\'s zone', () => {
		expect(at('when=today&tz=Europe/Oslo', wednesday)).toMatchObject({
			choice: 'today',
			startsAfter: '2026-12-02T09:00:00.000Z',
			startsBefore: '2026-12-02T23:00:00.000Z'
		});
	});

	it('this weekend: Saturday and Sunday; from now when it is already the weekend', () => {
		expect(at('when=weekend&tz=Europe/Oslo', wednesday)).toMatchObject({
			startsAfter: '2026-12-04T23:00:00.000Z',
			startsBefore: '2026-12-06T23:00:00.000Z'
		});
		expect(at('when=weekend&tz=Europe/Oslo', '2026-12-06T12:00:00Z')).toMatchObject({
			startsAfter: '2026-12-06T12:00:00.000Z',
			startsBefore: '2026-12-06T23:00:00.000Z'
		});
	});

	it('next 7 days, a date range, and nothing', () => {
		expect(at('when=week', wednesday)).toMatchObject({ startsAfter: '2026-12-02T09:00:00.000Z', startsBefore: '2026-12-09T09:00:00.000Z' });
		expect(at('from=2026-12-20&to=2026-12-24&tz=UTC', wednesday)).toMatchObject({
			choice: 'range',
			startsAfter: '2026-12-20T00:00:00.000Z',
			startsBefore: '2026-12-25T00:00:00.000Z'
		});
		expect(at('from=nonsense&tz=Mars/Base', wednesday)).toMatchObject({ choice: null, startsAfter: null, zone: 'UTC' });
	});
});
