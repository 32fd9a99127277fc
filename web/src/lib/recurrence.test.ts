import { describe, expect, it } from 'vitest';
import { describeRule, monthlyLabel, ruleFor } from './recurrence';

describe('repeat choices', () => {
	it('turn into rules that fall on the start', () => {
		expect(ruleFor('weekly', '2026-12-01T19:00', null)).toBe('FREQ=WEEKLY;BYDAY=TU');
		expect(ruleFor('biweekly', '2026-12-01T19:00', 6)).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=6');
		expect(ruleFor('monthly', '2026-12-10T19:00', null)).toBe('FREQ=MONTHLY;BYDAY=2TH');
		expect(ruleFor('monthly', '2026-12-31T19:00', null)).toBe('FREQ=MONTHLY;BYDAY=-1TH');
		expect(ruleFor('weekly', 'nonsense', null)).toBeNull();
	});

	it('read as sentences', () => {
		expect(describeRule('FREQ=WEEKLY;BYDAY=TU')).toBe('Every week on Tuesday');
		expect(describeRule('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=6')).toBe('Every other week on Tuesday, 6 times');
		expect(describeRule('FREQ=MONTHLY;BYDAY=-1TH')).toBe('Monthly on the last Thursday');
		expect(monthlyLabel('2026-12-10T19:00')).toBe('Monthly on the 2nd Thursday');
	});
});
