/** Talking to the API directly (as a second person, or to set up data), with bearer tokens. */
let counter = 0;

export function unique(prefix: string): string {
	counter += 1;
	return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export class Api {
	constructor(readonly url: string) {}

	async gql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
		const res = await fetch(`${this.url}/graphql`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
			body: JSON.stringify({ query, variables })
		});
		const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
		if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`);
		return body.data as T;
	}

	/** A new account; returns its token, id, name, email and password. */
	async person(name = 'Test Person') {
		const email = `${unique('p')}@example.test`;
		const password = 'correct horse battery';
		const data = await this.gql(
			`mutation($input: SignUpInput!) { signUp(input: $input) { token user { id name } } }`,
			{ input: { email, password, name, city: 'Oslo' } }
		);
		return { token: data.signUp.token as string, id: data.signUp.user.id as string, name, email, password };
	}

	async group(token: string, input: Partial<Record<string, unknown>> = {}) {
		const name = (input.name as string) ?? `Lantern Walkers ${unique('g').slice(-6)}`;
		const data = await this.gql(
			`mutation($input: CreateGroupInput!) { createGroup(input: $input) { id slug name } }`,
			{
				input: {
					name,
					description: 'Evening walks through the old town with lanterns, then tea. Everyone welcome.',
					city: 'Oslo',
					location: { lat: 59.9139, lng: 10.7522 },
					timezone: 'Europe/Oslo',
					topics: ['Hiking'],
					...input
				}
			},
			token
		);
		return data.createGroup as { id: string; slug: string; name: string };
	}

	async event(token: string, groupId: string, input: Partial<Record<string, unknown>> = {}) {
		const startsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
		const data = await this.gql(
			`mutation($input: CreateEventInput!) { createEvent(input: $input) { id title thread { id } } }`,
			{
				input: {
					groupId,
					title: `Lantern walk ${unique('e').slice(-5)}`,
					description: 'We meet at the fountain.',
					startsAt,
					venue: { name: 'Old town fountain', address: 'Stortorvet 1', city: 'Oslo', location: { lat: 59.9127, lng: 10.7461 } },
					...input
				}
			},
			token
		);
		return data.createEvent as { id: string; title: string; thread: { id: string } };
	}

	async join(token: string, groupId: string, answer?: string) {
		const data = await this.gql(`mutation($g: ID!, $a: String) { joinGroup(groupId: $g, answer: $a) { id status } }`, { g: groupId, a: answer }, token);
		return data.joinGroup as { id: string; status: string };
	}

	async rsvp(token: string, eventId: string, response: 'YES' | 'NO', guests = 0) {
		const data = await this.gql(
			`mutation($e: ID!, $r: RsvpResponse!, $g: Int) { rsvp(eventId: $e, response: $r, guests: $g) { id status waitlistPosition } }`,
			{ e: eventId, r: response, g: response === 'YES' ? guests : null },
			token
		);
		return data.rsvp as { id: string; status: string; waitlistPosition: number | null };
	}

	async post(token: string, threadId: string, body: string) {
		const data = await this.gql(`mutation($t: ID!, $b: String!) { postMessage(threadId: $t, body: $b) { id } }`, { t: threadId, b: body }, token);
		return data.postMessage as { id: string };
	}

	async thread(token: string, groupId: string, title: string, body: string) {
		const data = await this.gql(
			`mutation($input: CreateThreadInput!) { createThread(input: $input) { id } }`,
			{ input: { groupId, title, body } },
			token
		);
		return data.createThread as { id: string };
	}
}
