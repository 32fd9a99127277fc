import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { CreateGroupMutation } from '$lib/graphql/operations/group';
import { apiFailure, invalid, loginUrl } from '$lib/server/forms';
import { serverClient } from '$lib/server/graphql';
import { readGroupForm, timeZones } from '$lib/server/group-form';
import { findPlace } from '$lib/server/places';

export const load: PageServerLoad = ({ locals, url }) => {
	if (!locals.viewer) redirect(303, loginUrl(url));
	return { timeZones: timeZones() };
};

export const actions: Actions = {
	default: async (event) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const client = serverClient(event);
		const read = await readGroupForm(form, (text) => findPlace(client, text));
		if (!read.input) return invalid(form, 'Please check the marked fields.', read.fields);
		const result = await client.mutation(CreateGroupMutation, { input: read.input }).toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!);
		redirect(303, `/groups/${result.data.createGroup.slug}`);
	}
};
