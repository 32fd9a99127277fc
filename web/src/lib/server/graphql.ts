import { env } from '$env/dynamic/private';
import type { RequestEvent } from '@sveltejs/kit';
import { createServerClient, DEFAULT_API_URL } from '$lib/graphql/client';

/** The urql client for a server-side load, talking to API_URL as the requesting user. */
export function serverClient(event: Pick<RequestEvent, 'request'>) {
	return createServerClient({
		apiUrl: env.API_URL || DEFAULT_API_URL,
		cookie: event.request.headers.get('cookie')
	});
}
