import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import type { SeriesScope } from '$lib/graphql/generated/graphql';
import { EventEditQuery } from '$lib/graphql/operations/event';
import { CancelEventScopedMutation, UpdateEventScopedMutation } from '$lib/graphql/operations/organizers';
import { removeCoverAction, uploadCoverAction } from '$lib/server/cover';
import { readEventForm } from '$lib/server/event-form';
import { apiFailure, invalid, loginUrl, text } from '$lib/server/forms';
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

/** Which dates of a recurring event a change reaches: this one (default) or this and the following ones. */
const scopeOf = (form: FormData) => (text(form, 'scope') === 'THIS_AND_FOLLOWING' ? 'THIS_AND_FOLLOWING' : 'THIS_EVENT') as SeriesScope;

export const actions: Actions = {
	save: async (event) => {
		const found = await editableEvent(event);
		const form = await event.request.formData();
		const read = readEventForm(form, found.timezone);
		if (!read.input) return invalid(form, 'Please check the marked fields.', read.fields);
		const result = await serverClient(event)
			.mutation(UpdateEventScopedMutation, { id: found.id, input: read.input, scope: found.series ? scopeOf(form) : null })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error);
		redirect(303, `/events/${found.id}`);
	},

	cancel: async (event) => {
		const found = await editableEvent(event);
		const form = await event.request.formData();
		// Cancelling is asked for twice (?cancel=confirm), with and without JavaScript.
		if (text(form, 'confirm') !== 'yes') redirect(303, `/events/${found.id}/edit?cancel=confirm#cancel-heading`);
		const result = await serverClient(event)
			.mutation(CancelEventScopedMutation, { id: found.id, scope: found.series ? scopeOf(form) : null })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'cancel');
		redirect(303, `/events/${found.id}`);
	},

	cover: async (event) => uploadCoverAction(event, 'events', (await editableEvent(event)).id),

	removeCover: async (event) => removeCoverAction(event, 'events', (await editableEvent(event)).id)
};
