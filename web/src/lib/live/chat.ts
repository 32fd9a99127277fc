import type { ChatMessageFragment } from '$lib/graphql/generated/graphql';

/** How many messages one page of a chat holds. */
export const CHAT_PAGE = 30;

/**
 * Both lists as one, oldest first: a message in both (posted here and heard live, or edited
 * since) appears once, as its newer copy (`incoming`).
 */
export function mergeMessages(
	existing: ChatMessageFragment[],
	incoming: ChatMessageFragment[]
): ChatMessageFragment[] {
	const byId = new Map(existing.map((m) => [m.id, m]));
	for (const message of incoming) byId.set(message.id, message);
	return [...byId.values()].sort(
		(a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id)
	);
}
