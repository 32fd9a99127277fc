import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import type { UpdateProfileInput } from '$lib/graphql/generated/graphql';
import { ProfileQuery, UpdateProfileMutation } from '$lib/graphql/operations/profile';
import { placeLabel } from '$lib/places';
import { apiFailure, invalid, loginUrl, text } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';
import { findPlace } from '$lib/server/places';

export const load: PageServerLoad = async (event) => {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const { me } = pageData(await serverClient(event).query(ProfileQuery, {}).toPromise(), 'Your profile');
	if (!me) redirect(303, loginUrl(event.url));
	return { me };
};

export const actions: Actions = {
	/**
	 * Name, bio and home place. A picked suggestion arrives as `placeId`; typed text (no JavaScript) is
	 * looked up, and unchanged text keeps the home place as it is. A blank home place clears it.
	 */
	default: async (event) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const client = serverClient(event);
		const name = text(form, 'name');
		if (!name) return invalid(form, 'Please check the marked fields.', { name: 'Your name can’t be empty.' });
		const input: UpdateProfileInput = { name, bio: text(form, 'bio') };
		const placeId = text(form, 'placeId');
		const typed = text(form, 'city');
		if (placeId || (typed && typed !== text(form, 'currentCity'))) {
			const place = await findPlace(client, placeId || typed);
			if (!place) {
				return invalid(form, 'Please check the marked fields.', { city: `We couldn’t find “${typed}”. Try another spelling or a bigger town nearby.` });
			}
			input.city = placeLabel(place);
			input.location = place.location;
		} else if (!typed && !placeId) {
			input.city = null;
			input.location = null;
		}
		const result = await client.mutation(UpdateProfileMutation, { input }).toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!);
		return { done: 'Profile saved.' };
	}
};
