import { error, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { ThreadPageQuery } from '$lib/graphql/operations/thread';
import { CHAT_PAGE } from '$lib/live/chat';
import { chatActions } from '$lib/server/chat-actions';
import { pageData, serverClient } from '$lib/server/graphql';

export const load: PageServerLoad = async (event) => {
	const result = await serverClient(event)
		.query(ThreadPageQuery, { id: event.params.id, slug: event.params.slug, last: CHAT_PAGE })
		.toPromise();
	const { thread, group } = pageData(result, 'Discussion');
	if (!thread || !group) error(404, 'Discussion not found.');
	// An event's chat lives on the event page; a thread of another group lives under that group.
	if (thread.event) redirect(308, `/events/${thread.event.id}`);
	if (thread.group.slug !== group.slug) redirect(308, `/groups/${thread.group.slug}/threads/${thread.id}`);
	return {
		thread,
		group,
		chat: {
			messages: thread.messages.edges.map((e) => e.node),
			hasOlder: thread.messages.pageInfo.hasPreviousPage,
			olderCursor: thread.messages.pageInfo.startCursor ?? null
		}
	};
};

export const actions: Actions = chatActions;
