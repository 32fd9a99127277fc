import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { EventPageQuery, RsvpMutation } from '$lib/graphql/operations/event';
import { JoinGroupMutation } from '$lib/graphql/operations/group';
import { ThreadMessagesQuery } from '$lib/graphql/operations/thread';
import { CHAT_PAGE } from '$lib/live/chat';
import { chatActions } from '$lib/server/chat-actions';
import { apiFailure, invalid, loginUrl, text } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';
import { afterPost } from '$lib/server/prg';

export const load: PageServerLoad = async (event) => {
	const client = serverClient(event);
	const result = await client.query(EventPageQuery, { id: event.params.id }).toPromise();
	const found = pageData(result, 'Event').event;
	if (!found) error(404, 'Event not found.');

	let chat = null;
	if (found.thread) {
		const messages = await client
			.query(ThreadMessagesQuery, { id: found.thread.id, last: CHAT_PAGE })
			.toPromise();
		const page = messages.data?.thread?.messages;
		if (page) {
			chat = {
				messages: page.edges.map((e) => e.node),
				hasOlder: page.pageInfo.hasPreviousPage,
				olderCursor: page.pageInfo.startCursor ?? null
			};
		}
	}
	const now = Date.now();
	return {
		event: found,
		chat,
		started: Date.parse(found.startsAt) <= now,
		ended: Date.parse(found.endsAt) <= now
	};
};

export const actions: Actions = {
	rsvp: async (event) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const response = text(form, 'response');
		if (response !== 'YES' && response !== 'NO') return invalid(form, 'Choose going or not going.', {}, 'rsvp');
		const rawGuests = text(form, 'guests');
		const guests = rawGuests === '' ? null : Number(rawGuests);
		if (guests !== null && (!Number.isInteger(guests) || guests < 0)) {
			return invalid(form, 'Guests must be a whole number.', { guests: 'Whole number' }, 'rsvp');
		}
		const result = await serverClient(event)
			.mutation(RsvpMutation, {
				eventId: event.params.id,
				response,
				guests: response === 'YES' ? (guests ?? 0) : null
			})
			.toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!, 'rsvp');
		return afterPost(event, { rsvp: result.data.rsvp });
	},

	join: async (event) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const result = await serverClient(event)
			.mutation(JoinGroupMutation, { groupId: text(form, 'groupId') })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'rsvp');
		return afterPost(event, { joined: result.data?.joinGroup.status });
	},

	...chatActions
};
