import { env } from '$env/dynamic/private';
import { error, type RequestEvent } from '@sveltejs/kit';
import type { CombinedError, OperationResult } from '@urql/core';
import { createServerClient, DEFAULT_API_URL } from '$lib/graphql/client';

/** The urql client for a server-side load or action, talking to API_URL as the requesting user. */
export function serverClient(event: Pick<RequestEvent, 'request' | 'getClientAddress'>) {
	let clientAddress: string | null = null;
	try {
		clientAddress = event.getClientAddress();
	} catch {
		// not known (e.g. during prerendering)
	}
	return createServerClient({
		apiUrl: env.API_URL || DEFAULT_API_URL,
		cookie: event.request.headers.get('cookie'),
		clientAddress
	});
}

/** The `extensions.code` of the first GraphQL error, if any (NOT_FOUND, FORBIDDEN, …). */
export function errorCode(err: CombinedError | undefined): string | undefined {
	const code = err?.graphQLErrors[0]?.extensions?.code;
	return typeof code === 'string' ? code : undefined;
}

/**
 * The data of a page's query, or the error page that fits: 404 for NOT_FOUND (or a null
 * `what`), 503 when the api cannot be reached, 500 otherwise.
 */
export function pageData<T>(result: OperationResult<T>, what: string): T {
	if (result.data && !result.error) return result.data;
	const code = errorCode(result.error);
	if (code === 'NOT_FOUND') error(404, `${what} not found. It may have been removed, or it is private.`);
	if (result.error?.networkError || !result.data) {
		console.error(`[load] ${what}: ${result.error?.message ?? 'no data'}`);
		error(503, 'We can’t reach Gather right now. Please try again in a moment.');
	}
	console.error(`[load] ${what}: ${result.error?.message}`);
	error(500, 'Something went wrong loading this page.');
}
