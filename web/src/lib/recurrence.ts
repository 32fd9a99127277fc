/**
 * The repeat choices of the event form, turned into RFC 5545 rules, so nobody types RRULE text. Each rule
 * falls on the event's own start (a weekly one on its weekday, a monthly one on its Nth weekday).
 */
export type Repeat = 'weekly' | 'biweekly' | 'monthly';

const CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ORDINALS = ['', '1st', '2nd', '3rd', '4th', 'last'];

/** The weekday and which one of the month (1–4, or 5 for the last) of a `datetime-local` value. */
function dayOf(local: string): { weekday: number; nth: number } | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(local);
	if (!m) return null;
	const [year, month, day] = m.slice(1).map(Number);
	const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
	return { weekday, nth: Math.min(5, Math.ceil(day / 7)) };
}

/** The RRULE for a repeat choice starting at `local` (wall time), ending after `count` dates when given. */
export function ruleFor(repeat: Repeat, local: string, count: number | null): string | null {
	const d = dayOf(local);
	if (!d) return null;
	const day = CODES[d.weekday];
	const rule =
		repeat === 'weekly'
			? `FREQ=WEEKLY;BYDAY=${day}`
			: repeat === 'biweekly'
				? `FREQ=WEEKLY;INTERVAL=2;BYDAY=${day}`
				: `FREQ=MONTHLY;BYDAY=${d.nth === 5 ? -1 : d.nth}${day}`;
	return count ? `${rule};COUNT=${count}` : rule;
}

/** How a rule reads for people: "Every week on Tuesday", "Monthly on the 2nd Thursday". */
export function describeRule(rule: string): string {
	const parts = Object.fromEntries(rule.split(';').map((p) => p.split('=') as [string, string]));
	const by = /^(-?\d)?([A-Z]{2})$/.exec(parts.BYDAY ?? '');
	const dayName = by ? DAYS[CODES.indexOf(by[2])] : null;
	const count = parts.COUNT ? `, ${parts.COUNT} times` : '';
	if (parts.FREQ === 'WEEKLY') {
		const every = parts.INTERVAL === '2' ? 'Every other week' : parts.INTERVAL && parts.INTERVAL !== '1' ? `Every ${parts.INTERVAL} weeks` : 'Every week';
		return `${every}${dayName ? ` on ${dayName}` : ''}${count}`;
	}
	if (parts.FREQ === 'MONTHLY' && by?.[1] && dayName) {
		const nth = by[1] === '-1' ? 'last' : ORDINALS[Number(by[1])];
		return `Monthly on the ${nth} ${dayName}${count}`;
	}
	const freq: Record<string, string> = { DAILY: 'Every day', WEEKLY: 'Every week', MONTHLY: 'Every month', YEARLY: 'Every year' };
	return `${freq[parts.FREQ] ?? 'Repeats'}${count}`;
}

/** The label of the monthly choice for a start: "Monthly on the 2nd Tuesday". */
export function monthlyLabel(local: string): string {
	const d = dayOf(local);
	if (!d) return 'Monthly on the same weekday (e.g. the 2nd Tuesday)';
	return `Monthly on the ${ORDINALS[d.nth]} ${DAYS[d.weekday]}`;
}
