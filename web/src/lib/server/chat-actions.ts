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

/** The form of a signed-in visitor (anyone else is sent to log in first). */
async function signedInForm(event: RequestEvent): Promise<FormData> {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	return event.request.formData();
}

/** Posts or edits: checks the body, then sends `send(body)` and answers with the message it returns. */
async function withBody<T>(
	event: RequestEvent,
	send: (form: FormData, body: string) => Promise<{ error?: any; data?: T | null }>,
	pick: (data: T) => unknown
) {
	const form = await signedInForm(event);
	const body = text(form, 'body');
	const bad = checkBody(form, body, 'chat');
	if (bad) return bad;
	const result = await send(form, body);
	if (result.error || !result.data) return apiFailure(event, form, result.error!, 'chat');
	return { message: pick(result.data) };
}

/**
 * Form actions of a chat (event page and thread page): post, edit and delete a message. They work
 * without JavaScript; with it, the page adds the returned message at once.
 */
export const chatActions = {
	post: (event: RequestEvent) =>
		withBody(
			event,
			(form, body) => serverClient(event).mutation(PostMessageMutation, { threadId: text(form, 'threadId'), body }).toPromise(),
			(data) => data.postMessage
		),

	editMessage: (event: RequestEvent) =>
		withBody(
			event,
			(form, body) => serverClient(event).mutation(EditMessageMutation, { id: text(form, 'messageId'), body }).toPromise(),
			(data) => data.editMessage
		),

	deleteMessage: async (event: RequestEvent) => {
		const form = await signedInForm(event);
		const result = await serverClient(event)
			.mutation(DeleteMessageMutation, { id: text(form, 'messageId') })
			.toPromise();
		if (result.error || !result.data) return apiFailure(event, form, result.error!, 'chat');
		return { message: result.data.deleteMessage };
	}
};
