import { describe, expect, it } from 'vitest';
import type { ChatMessageFragment } from '$lib/graphql/generated/graphql';
import { mergeMessages } from './chat';

const message = (id: string, minute: number, body = `m${id}`): ChatMessageFragment => ({
	id,
	body,
	createdAt: `2026-11-25T20:${String(minute).padStart(2, '0')}:00.000Z`,
	editedAt: null,
	deleted: false,
	author: { id: 'u', name: 'U' }
});

describe('mergeMessages', () => {
	it('keeps messages oldest first, each once', () => {
		const merged = mergeMessages([message('b', 2), message('c', 3)], [message('a', 1), message('c', 3)]);
		expect(merged.map((m) => m.id)).toEqual(['a', 'b', 'c']);
	});

	it('takes the newer copy of a message that was edited or deleted', () => {
		const edited = { ...message('b', 2, 'changed'), editedAt: '2026-11-25T20:05:00.000Z' };
		const merged = mergeMessages([message('a', 1), message('b', 2)], [edited]);
		expect(merged[1].body).toBe('changed');
		expect(merged).toHaveLength(2);
	});
});
