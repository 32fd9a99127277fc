import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import {
	CreateThreadMutation,
	GroupPageQuery,
	JoinGroupMutation,
	LeaveGroupMutation
} from '$lib/graphql/operations/group';
import { apiFailure, invalid, loginUrl, text } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';
import { afterPost } from '$lib/server/prg';

const count = (raw: string | null, base: number) =>
	Math.min(Math.max(Math.trunc(Number(raw)) || base, 1), 50);

export const load: PageServerLoad = async (event) => {
	const params = event.url.searchParams;
	const result = await serverClient(event)
		.query(GroupPageQuery, {
			slug: event.params.slug,
			upcoming: count(params.get('upcoming'), 10),
			past: count(params.get('past'), 5)
		})
		.toPromise();
	const { group } = pageData(result, 'Group');
	if (!group) error(404, 'Group not found.');
	return { group };
};

async function groupId(event: Parameters<Actions[string]>[0], form: FormData) {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const id = text(form, 'groupId');
	if (!id) error(400, 'Which group?');
	return id;
}

export const actions: Actions = {
	join: async (event) => {
		const form = await event.request.formData();
		const id = await groupId(event, form);
		const answer = text(form, 'answer') || null;
		const result = await serverClient(event)
			.mutation(JoinGroupMutation, { groupId: id, answer })
			.toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'join');
		return afterPost(event, { joined: result.data?.joinGroup.status });
	},

	leave: async (event) => {
		const form = await event.request.formData();
		const id = await groupId(event, form);
		// Leaving a group is asked for twice: a member confirms (?leave=confirm); withdrawing a request is not.
		const pending = text(form, 'pending') === 'yes';
		if (!pending && text(form, 'confirm') !== 'yes') redirect(303, `${event.url.pathname}?leave=confirm`);
		const result = await serverClient(event).mutation(LeaveGroupMutation, { groupId: id }).toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'join');
		redirect(303, event.url.pathname); // also clears ?leave=confirm
	},

	createThread: async (event) => {
		const form = await event.request.formData();
		const id = await groupId(event, form);
		const title = text(form, 'title');
		const body = text(form, 'body');
		if (!title || !body) {
			return invalid(
				form,
				'Give the discussion a title and a first message.',
				{ ...(title ? {} : { title: 'Add a title.' }), ...(body ? {} : { body: 'Write a first message.' }) },
				'thread'
			);
		}
		const result = await serverClient(event)
			.mutation(CreateThreadMutation, { input: { groupId: id, title, body } })
			.toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!, 'thread');
		redirect(303, `/groups/${event.params.slug}/threads/${result.data.createThread.id}`);
	}
};
