import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { CancelEventMutation, EventEditQuery, UpdateEventMutation } from '$lib/graphql/operations/event';
import { removeCoverAction, uploadCoverAction } from '$lib/server/cover';
import { readEventForm } from '$lib/server/event-form';
import { apiFailure, invalid, loginUrl } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';

async function editableEvent(event: RequestEvent<{ id: string }>) {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const { event: found } = pageData(
		await serverClient(event).query(EventEditQuery, { id: event.params.id }).toPromise(),
		'Event'
	);
	if (!found) error(404, 'Event not found.');
	const me = found.group.viewerMembership;
	if (me?.status !== 'ACTIVE' || (me.role !== 'ORGANIZER' && me.role !== 'EVENT_ORGANIZER')) {
		error(403, 'Only the group’s organizers and event organizers can change events.');
	}
	return found;
}

export const load: PageServerLoad = async (event) => ({ event: await editableEvent(event) });

export const actions: Actions = {
	save: async (event) => {
		const found = await editableEvent(event);
		const form = await event.request.formData();
		const read = readEventForm(form, found.timezone);
		if (!read.input) return invalid(form, 'Please check the marked fields.', read.fields);
		const result = await serverClient(event)
			.mutation(UpdateEventMutation, { id: found.id, input: read.input })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error);
		redirect(303, `/events/${found.id}`);
	},

	cancel: async (event) => {
		const found = await editableEvent(event);
		const form = await event.request.formData();
		const result = await serverClient(event).mutation(CancelEventMutation, { id: found.id }).toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'cancel');
		redirect(303, `/events/${found.id}`);
	},

	cover: async (event) => uploadCoverAction(event, 'events', (await editableEvent(event)).id),

	removeCover: async (event) => removeCoverAction(event, 'events', (await editableEvent(event)).id)
};
