import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import type { CombinedError } from '@urql/core';
import { sentence } from './error-sentence';
import { errorCode } from './graphql';

/** What a failed form action hands back to its page: a message, per-field messages and what was typed. */
export interface FormFailure {
	message: string;
	fields: Record<string, string>;
	values: Record<string, string>;
	/** Which form on the page failed, when a page has several. */
	form?: string;
}

/** A form field as a trimmed string ('' when absent or a file). */
export function text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.trim() : '';
}

/** The typed values of a form, passwords left out, to refill it after a failure. */
export function values(form: FormData): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of form) {
		if (typeof value === 'string' && !/password/i.test(key)) out[key] = value;
	}
	return out;
}

/** The form field an api error names: `input.title` → `title`. */
export function fieldOf(field: unknown): string | undefined {
	if (typeof field !== 'string' || !field) return undefined;
	return field.replace(/^input\./, '');
}

/** A 400 with a message (and optionally one field's message) for the page to show. */
export function invalid(form: FormData, message: string, fields: Record<string, string> = {}, which?: string) {
	return fail(400, { message, fields, values: values(form), form: which } satisfies FormFailure);
}

const STATUS: Record<string, number> = {
	BAD_USER_INPUT: 400,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	RATE_LIMITED: 429,
	UNAUTHENTICATED: 401
};

/**
 * Turns an api error into the form's failure: the message in the user's words, the offending
 * field marked. A lost session sends the person to log in and come back.
 */
export function apiFailure(event: Pick<RequestEvent, 'url'>, form: FormData, err: CombinedError, which?: string) {
	const code = errorCode(err);
	if (code === 'UNAUTHENTICATED') redirect(303, loginUrl(event.url));
	const first = err.graphQLErrors[0];
	const message = err.networkError
		? 'We can’t reach Gather right now. Please try again in a moment.'
		: first
			? sentence(first.message, first.extensions?.field as string | undefined)
			: 'Something went wrong. Please try again.';
	const field = fieldOf(first?.extensions?.field);
	const fields = field ? { [field]: message } : {};
	return fail(STATUS[code ?? ''] ?? (err.networkError ? 503 : 500), {
		message,
		fields,
		values: values(form),
		form: which
	} satisfies FormFailure);
}

/** Where to send someone to log in, coming back to `url` afterwards. */
export function loginUrl(url: URL): string {
	return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** C0 control characters and DEL: browsers drop tabs and line breaks from URLs, and headers refuse them. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A safe place to go back to after logging in: a path (and query) on this site, else the home page.
 * Decided by parsing `next` against the site's own origin, as a browser would, and keeping only a
 * same-origin path that cannot be read as another host (`//host`, `/\host`); values holding control
 * characters or backslashes are refused outright. See docs/ARCHITECTURE.md (web security).
 */
export function safeNext(next: string | null | undefined, origin: string): string {
	if (!next || CONTROL.test(next) || next.includes('\\')) return '/';
	let url: URL;
	try {
		url = new URL(next, origin);
	} catch {
		return '/';
	}
	if (url.origin !== new URL(origin).origin) return '/';
	const path = url.pathname + url.search;
	if (!path.startsWith('/') || path.startsWith('//')) return '/';
	return path;
}
