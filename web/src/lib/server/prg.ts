import { redirect, type RequestEvent } from '@sveltejs/kit';

/**
 * Post-redirect-get for a form action that succeeded. A form posted without JavaScript goes to
 * `?/action`; answering it with a page would leave that in the address bar (and re-post on reload),
 * so it is redirected (303) back to the page. An enhanced form (JavaScript, header
 * `x-sveltekit-action`) gets `data` and updates in place, keeping the scroll position.
 */
export function afterPost<T extends Record<string, unknown>>(event: Pick<RequestEvent, 'request' | 'url'>, data: T, to = event.url.pathname): T {
	if (event.request.headers.get('x-sveltekit-action') === 'true') return data;
	redirect(303, to);
}
