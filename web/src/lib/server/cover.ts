import { env } from '$env/dynamic/private';
import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { DEFAULT_API_URL } from '$lib/graphql/client';
import { loginUrl, type FormFailure } from './forms';

/** Whose cover: `/images/<kind>/<id>/cover` on the api. */
export type CoverKind = 'groups' | 'events';

const FORM = 'cover';

function failure(status: number, message: string) {
	return fail(status, { message, fields: { image: message }, values: {}, form: FORM } satisfies FormFailure);
}

/**
 * Sends a cover request to the api as the signed-in person (their cookie, their address): the picture's bytes with
 * its own content type (PUT), or a removal (DELETE). Its errors are sentences naming the picture; shown as they are.
 */
async function coverRequest(event: RequestEvent, kind: CoverKind, id: string, method: 'PUT' | 'DELETE', file?: File) {
	const headers: Record<string, string> = {};
	const cookie = event.request.headers.get('cookie');
	if (cookie) headers.cookie = cookie;
	try {
		headers['x-forwarded-for'] = event.getClientAddress();
	} catch {
		// not known
	}
	if (file) headers['content-type'] = file.type || 'application/octet-stream';
	const apiUrl = (env.API_URL || DEFAULT_API_URL).replace(/\/+$/, '');
	let res: Response;
	try {
		res = await fetch(`${apiUrl}/images/${kind}/${encodeURIComponent(id)}/cover`, {
			method,
			headers,
			body: file ? new Uint8Array(await file.arrayBuffer()) : undefined
		});
	} catch {
		return failure(503, 'We can’t reach Gather right now. Please try again in a moment.');
	}
	if (res.ok) return null;
	const body = (await res.json().catch(() => null)) as { errors?: { message?: string; extensions?: { code?: string } }[] } | null;
	const first = body?.errors?.[0];
	if (first?.extensions?.code === 'UNAUTHENTICATED') redirect(303, loginUrl(event.url));
	return failure(res.status, first?.message ?? 'Something went wrong. Please try again.');
}

/** The `cover` form action: uploads the chosen picture (field `image`) as the cover of `kind` `id`. */
export async function uploadCoverAction(event: RequestEvent, kind: CoverKind, id: string) {
	const form = await event.request.formData();
	const file = form.get('image');
	if (!(file instanceof File) || file.size === 0) return failure(400, 'Choose a picture to upload.');
	return (await coverRequest(event, kind, id, 'PUT', file)) ?? { done: 'Cover picture saved.', form: FORM };
}

/** The `removeCover` form action. */
export async function removeCoverAction(event: RequestEvent, kind: CoverKind, id: string) {
	return (await coverRequest(event, kind, id, 'DELETE')) ?? { done: 'Cover picture removed.', form: FORM };
}
