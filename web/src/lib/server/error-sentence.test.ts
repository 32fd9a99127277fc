import { describe, expect, it } from 'vitest';
import { fieldLabel, sentence } from './error-sentence';

describe('api errors as sentences', () => {
	it('turn the field prefix into words', () => {
		expect(sentence('input.email: must be an email address', 'input.email')).toBe('Email must be an email address.');
		expect(sentence('eventId: this event has ended; RSVPs are closed', 'eventId')).toBe('This event has ended; RSVPs are closed.');
		expect(sentence('input.venue.name: must not be blank', 'input.venue.name')).toBe('Venue name must not be blank.');
		expect(sentence('guests: only 0 more seat(s) are free, so you cannot bring 1 more; your RSVP is unchanged', 'guests')).toBe(
			'Only 0 more seat(s) are free, so you cannot bring 1 more; your RSVP is unchanged.'
		);
		expect(sentence('Join the group first: only its members can RSVP to its events.')).toBe('Join the group first: only its members can RSVP to its events.');
		expect(fieldLabel('startsAt')).toBe('Starts at');
	});
});
