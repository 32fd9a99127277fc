import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { CreateEventMutation } from '$lib/graphql/operations/event';
import { GroupHeaderQuery } from '$lib/graphql/operations/group';
import { readEventForm } from '$lib/server/event-form';
import { apiFailure, invalid, loginUrl } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';

async function plannableGroup(event: RequestEvent<{ slug: string }>) {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const { group } = pageData(
		await serverClient(event).query(GroupHeaderQuery, { slug: event.params.slug }).toPromise(),
		'Group'
	);
	if (!group) error(404, 'Group not found.');
	const me = group.viewerMembership;
	if (me?.status !== 'ACTIVE' || (me.role !== 'ORGANIZER' && me.role !== 'EVENT_ORGANIZER')) {
		error(403, 'Only the group’s organizers and event organizers can plan events.');
	}
	return group;
}

export const load: PageServerLoad = async (event) => ({ group: await plannableGroup(event) });

export const actions: Actions = {
	save: async (event) => {
		const group = await plannableGroup(event);
		const form = await event.request.formData();
		const read = readEventForm(form, group.timezone);
		if (!read.input) return invalid(form, 'Please check the marked fields.', read.fields);
		const result = await serverClient(event)
			.mutation(CreateEventMutation, { input: { ...read.input, groupId: group.id } })
			.toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!);
		redirect(303, `/events/${result.data.createEvent.id}`);
	}
};
