import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { CheckInQuery, MarkAttendedMutation } from '$lib/graphql/operations/organizers';
import { apiFailure, invalid, loginUrl, text } from '$lib/server/forms';
import { pageData, serverClient } from '$lib/server/graphql';
import { afterPost } from '$lib/server/prg';

/** Most people the check-in list reads (pages of 100). */
const MOST = 1000;

/** The event and everyone going to it, for its hosts and the group's organizers and event organizers. */
async function checkInList(event: RequestEvent<{ id: string }>) {
	if (!event.locals.viewer) redirect(303, loginUrl(event.url));
	const client = serverClient(event);
	const first = pageData(await client.query(CheckInQuery, { id: event.params.id, first: 100 }).toPromise(), 'Event').event;
	if (!first) error(404, 'Event not found.');
	const me = first.group.viewerMembership;
	const manager = me?.status === 'ACTIVE' && (me.role === 'ORGANIZER' || me.role === 'EVENT_ORGANIZER');
	if (!manager && !first.hosts.some((h) => h.id === event.locals.viewer!.id)) {
		error(403, 'Only the event’s hosts and the group’s organizers can check people in.');
	}
	const people = first.attendees.edges.map((e) => e.node);
	let pageInfo = first.attendees.pageInfo;
	while (pageInfo.hasNextPage && people.length < MOST) {
		const next = (await client.query(CheckInQuery, { id: first.id, first: 100, after: pageInfo.endCursor }).toPromise()).data?.event;
		if (!next) break;
		people.push(...next.attendees.edges.map((e) => e.node));
		pageInfo = next.attendees.pageInfo;
	}
	people.sort((a, b) => a.user.name.localeCompare(b.user.name));
	return { event: first, people };
}

export const load: PageServerLoad = async (event) => {
	const { event: found, people } = await checkInList(event);
	return {
		event: found,
		people,
		query: event.url.searchParams.get('q')?.trim() ?? '',
		started: Date.parse(found.startsAt) <= Date.now()
	};
};

export const actions: Actions = {
	mark: async (event) => {
		if (!event.locals.viewer) redirect(303, loginUrl(event.url));
		const form = await event.request.formData();
		const rsvpId = text(form, 'rsvpId');
		if (!rsvpId) return invalid(form, 'Whom are you checking in?', {}, 'mark');
		const attended = text(form, 'attended') === 'true';
		const result = await serverClient(event).mutation(MarkAttendedMutation, { rsvpId, attended }).toPromise();
		if (result.error) return apiFailure(event, form, result.error, 'mark');
		const q = text(form, 'q');
		return afterPost(event, { marked: rsvpId }, `${event.url.pathname}${q ? `?q=${encodeURIComponent(q)}` : ''}`);
	}
};
