import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import type { MemberRole } from '$lib/graphql/generated/graphql';
import { UpdateGroupMutation } from '$lib/graphql/operations/group';
import {
	ManageGroupQuery,
	RemoveMemberMutation,
	ReviewMembershipMutation,
	SetMemberRoleMutation
} from '$lib/graphql/operations/manage';
import { removeCoverAction, uploadCoverAction } from '$lib/server/cover';
import { apiFailure, invalid, loginUrl, text } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';
import { readGroupForm, timeZones } from '$lib/server/group-form';
import { findPlace } from '$lib/server/places';

async function managedGroup(event: RequestEvent<{ slug: string }>) {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const { group } = pageData(
		await serverClient(event).query(ManageGroupQuery, { slug: event.params.slug }).toPromise(),
		'Group'
	);
	if (!group) error(404, 'Group not found.');
	const me = group.viewerMembership;
	if (me?.status !== 'ACTIVE' || me.role !== 'ORGANIZER') {
		error(403, 'Only the group’s organizers can manage it.');
	}
	return group;
}

export const load: PageServerLoad = async (event) => ({
	group: await managedGroup(event),
	timeZones: timeZones()
});

const ROLES: MemberRole[] = ['ORGANIZER', 'EVENT_ORGANIZER', 'MEMBER'];

export const actions: Actions = {
	review: async (event) => {
		const form = await event.request.formData();
		const result = await serverClient(event)
			.mutation(ReviewMembershipMutation, {
				membershipId: text(form, 'membershipId'),
				approve: text(form, 'approve') === 'true'
			})
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'members');
		return { done: text(form, 'approve') === 'true' ? 'Approved.' : 'Declined.' };
	},

	role: async (event) => {
		const form = await event.request.formData();
		const role = text(form, 'role') as MemberRole;
		if (!ROLES.includes(role)) return invalid(form, 'Pick a role.', {}, 'members');
		const result = await serverClient(event)
			.mutation(SetMemberRoleMutation, { membershipId: text(form, 'membershipId'), role })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'members');
		return { done: 'Role changed.' };
	},

	remove: async (event) => {
		const form = await event.request.formData();
		const ban = text(form, 'ban') === 'true';
		const result = await serverClient(event)
			.mutation(RemoveMemberMutation, { membershipId: text(form, 'membershipId'), ban })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'members');
		return { done: ban ? 'Banned.' : 'Removed.' };
	},

	settings: async (event) => {
		const group = await managedGroup(event);
		const form = await event.request.formData();
		const client = serverClient(event);
		const read = await readGroupForm(form, (text) => findPlace(client, text));
		if (!read.input) return invalid(form, 'Please check the marked fields.', read.fields, 'settings');
		const result = await client
			.mutation(UpdateGroupMutation, {
				id: group.id,
				input: { ...read.input, joinQuestion: read.input.joinQuestion ?? '' }
			})
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'settings');
		return { done: 'Settings saved.', form: 'settings' };
	},

	cover: async (event) => uploadCoverAction(event, 'groups', (await managedGroup(event)).id),

	removeCover: async (event) => removeCoverAction(event, 'groups', (await managedGroup(event)).id)
};
