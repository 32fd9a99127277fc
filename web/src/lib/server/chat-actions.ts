import { redirect, type RequestEvent } from '@sveltejs/kit';
import {
	DeleteMessageMutation,
	EditMessageMutation,
	PostMessageMutation
} from '$lib/graphql/operations/thread';
import { apiFailure, invalid, loginUrl, text } from './forms';
import { serverClient } from './graphql';

/** The largest message the api takes. */
const MAX_BODY = 4000;

function checkBody(form: FormData, body: string, which: string) {
	if (!body) return invalid(form, 'Write something first.', { body: 'Write something first.' }, which);
	if ([...body].length > MAX_BODY) {
		return invalid(form, `Keep it under ${MAX_BODY} characters.`, { body: 'Too long.' }, which);
	}
	return null;
}

/**
 * Form actions of a chat (event page and thread page): post, edit and delete a message. They work
 * without JavaScript; with it, the page adds the returned message at once.
 */
export const chatActions = {
	post: async (event: RequestEvent) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const body = text(form, 'body');
		const bad = checkBody(form, body, 'chat');
		if (bad) return bad;
		const result = await serverClient(event)
			.mutation(PostMessageMutation, { threadId: text(form, 'threadId'), body })
			.toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!, 'chat');
		return { message: result.data.postMessage };
	},

	editMessage: async (event: RequestEvent) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const body = text(form, 'body');
		const bad = checkBody(form, body, 'chat');
		if (bad) return bad;
		const result = await serverClient(event)
			.mutation(EditMessageMutation, { id: text(form, 'messageId'), body })
			.toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!, 'chat');
		return { message: result.data.editMessage };
	},

	deleteMessage: async (event: RequestEvent) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const result = await serverClient(event)
			.mutation(DeleteMessageMutation, { id: text(form, 'messageId') })
			.toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!, 'chat');
		return { message: result.data.deleteMessage };
	}
};
