/**
 * The api's BAD_USER_INPUT messages name the field for programs ("input.email: must be an email address",
 * "eventId: this event has ended; RSVPs are closed"). People read them as sentences:
 * "Email must be an email address.", "This event has ended; RSVPs are closed."
 */
const PREDICATE = /^(must|is|are|cannot|can’t|can't|should|does|do|may|has|have|needs)\b/;

/** "input.venue.name" → "Venue name", "startsAt" → "Starts at", "eventId" → "This event". */
export function fieldLabel(field: string): string {
	const path = field.replace(/^input\./, '').split('.');
	const last = path[path.length - 1];
	if (path.length === 1 && /^[a-z]+Id$/.test(last)) return `This ${last.slice(0, -2)}`;
	const words = path
		.join(' ')
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An api error message as a sentence for people, the field prefix turned into words. */
export function sentence(message: string, field?: string | null): string {
	let text = message.trim();
	if (field && text.startsWith(`${field}: `)) {
		const rest = text.slice(field.length + 2);
		text = PREDICATE.test(rest) ? `${fieldLabel(field)} ${rest}` : rest;
	}
	text = text.charAt(0).toUpperCase() + text.slice(1);
	return /[.!?)]$/.test(text) ? text : `${text}.`;
}
