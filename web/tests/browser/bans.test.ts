import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, gotoReady, horizontalOverflow, PHONE, screenshot, seriousViolations, skipBrowserTests } from './helpers';

/**
 * Organizers ban a member from the group's members page (banFromGroup), asked first like every destructive
 * action, without JavaScript (form action, post-redirect-get) and with it. The banned member leaves the list
 * and can no longer join or RSVP; members who are not organizers see no ban at all.
 */
describe.skipIf(skipBrowserTests())('banning from the members page', () => {
	const suite = browserSuite();

	/** A public group of Olga Organizer's, with an upcoming event, joined by people of these names. */
	async function groupWithEvent(...names: string[]) {
		const organizer = await suite.api.person('Olga Organizer');
		const group = await suite.api.group(organizer.token);
		const event = await suite.api.event(organizer.token, group.id);
		const members = [];
		for (const name of names) {
			const person = await suite.api.person(name);
			await suite.api.join(person.token, group.id);
			members.push(person);
		}
		return { organizer, group, event, members };
	}

	/** The names the members page lists. */
	async function listed(page: Page): Promise<string[]> {
		return page.getByRole('list', { name: 'Members' }).getByRole('listitem').locator('.name').allTextContents();
	}

	async function bannedCannotTakePart(person: { token: string }, group: { id: string; slug: string }, eventId: string) {
		await expect(suite.api.join(person.token, group.id)).rejects.toThrow(/banned/);
		await expect(suite.api.rsvp(person.token, eventId, 'YES')).rejects.toThrow(/GraphQL error/);
		const page = await suite.open(person.token);
		await page.goto(`${suite.webUrl}/groups/${group.slug}`);
		expect(await page.getByText('You can’t join this group.').isVisible()).toBe(true);
	}

	it('without JavaScript: asked first, "Keep them" changes nothing, then the member is gone and cannot join or RSVP', async () => {
		const { organizer, group, event, members: [bea] } = await groupWithEvent('Bea Bakke', 'Carl Dahl');
		await suite.api.rsvp(bea.token, event.id, 'YES');

		const page = await suite.open(organizer.token, { ...PHONE, javaScriptEnabled: false });
		await page.goto(`${suite.webUrl}/groups/${group.slug}/members?q=bea`);
		await page.getByRole('link', { name: 'Ban… Bea Bakke' }).click();
		await expect(page.getByText(`Ban Bea Bakke from ${group.name}?`).isVisible()).resolves.toBe(true);
		expect(await horizontalOverflow(page), 'the confirm step scrolls sideways').toBeLessThanOrEqual(0);
		await screenshot(page, 'phone-ban-confirm');
		await page.getByRole('link', { name: 'Keep them' }).click();
		expect(await listed(page)).toEqual(['Bea Bakke']);
		expect(new URL(page.url()).searchParams.get('ban')).toBeNull();

		await page.getByRole('link', { name: 'Ban… Bea Bakke' }).click();
		await page.getByRole('button', { name: 'Yes, ban Bea Bakke' }).click();
		await page.waitForURL(/\/members\?q=bea&banned=1$/); // post-redirect-get, the search kept
		expect(await page.getByRole('status').textContent()).toContain('Banned.');
		expect(await listed(page)).toEqual([]);
		await page.goto(`${suite.webUrl}/groups/${group.slug}/members`);
		expect((await listed(page)).sort()).toEqual(['Carl Dahl', 'Olga Organizer']);
		expect(await page.locator('.page-head .muted').textContent()).toBe('2 members');
		expect(await page.getByRole('link', { name: 'Ban… Carl Dahl' }).count()).toBe(1);
		expect(await page.getByRole('link', { name: /^Ban… Olga/ }).count()).toBe(0); // never oneself

		await bannedCannotTakePart(bea, group, event.id);
		const seat = await suite.api.gql(`query($id: ID!) { event(id: $id) { goingCount } }`, { id: event.id });
		expect(seat.event.goingCount).toBe(0); // her place was given up
	});

	it('with JavaScript, on a desktop; members who are not organizers see no ban, and a forged one is refused', async () => {
		const { organizer, group, event, members: [dina, erik] } = await groupWithEvent('Dina Eng', 'Erik Fjell');

		const page = await suite.open(organizer.token);
		await gotoReady(page, `${suite.webUrl}/groups/${group.slug}/members`);
		await page.getByRole('link', { name: 'Ban… Dina Eng' }).click();
		await page.getByRole('button', { name: 'Yes, ban Dina Eng' }).waitFor();
		await page.waitForLoadState('networkidle');
		expect(await seriousViolations(page)).toEqual([]);
		await screenshot(page, 'desktop-ban-confirm');
		await page.getByRole('button', { name: 'Yes, ban Dina Eng' }).click();
		await page.getByRole('status').waitFor();
		expect((await listed(page)).sort()).toEqual(['Erik Fjell', 'Olga Organizer']);
		const state = await suite.api.gql(
			`query($slug: String!) { group(slug: $slug) { members(status: BANNED, first: 5) { edges { node { user { id } } } } } }`,
			{ slug: group.slug },
			organizer.token
		);
		expect(state.group.members.edges.map((e: any) => e.node.user.id)).toEqual([dina.id]);
		await bannedCannotTakePart(dina, group, event.id);

		// A member sees the list without any ban; posting the form anyway is refused by the API, and nobody is banned.
		const member = await suite.open(erik.token, { javaScriptEnabled: false });
		await member.goto(`${suite.webUrl}/groups/${group.slug}/members`);
		expect(await member.getByRole('link', { name: /^Ban…/ }).count()).toBe(0);
		const forged = await member.request.post(`${suite.webUrl}/groups/${group.slug}/members?/ban`, {
			form: { groupId: group.id, userId: organizer.id, confirm: 'yes' },
			headers: { origin: suite.webUrl, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(forged.status()).toBe(403);
		expect(await forged.text()).toMatch(/organizers can ban people/);
		const still = await suite.api.gql(`query($slug: String!) { group(slug: $slug) { memberCount } }`, { slug: group.slug });
		expect(still.group.memberCount).toBe(2);
	});
});
