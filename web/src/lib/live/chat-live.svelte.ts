import { getBrowserClient, isSocketConnected } from '$lib/graphql/client';
import type { ChatMessageFragment } from '$lib/graphql/generated/graphql';
import { ThreadActivitySubscription } from '$lib/graphql/operations/live';
import { ThreadMessagesQuery } from '$lib/graphql/operations/thread';
import { CHAT_PAGE, mergeMessages } from './chat';

export { CHAT_PAGE };
import { followConnection, type LiveStatus } from './connection';

export interface ChatPage {
	messages: ChatMessageFragment[];
	hasOlder: boolean;
	olderCursor: string | null;
}

/**
 * A thread's messages, kept live: subscribes to threadActivity (posted messages are added,
 * edited and deleted ones replaced), re-reads the newest page once subscribed and after every
 * reconnection, and loads older pages on request.
 */
export class ChatLive {
	messages = $state<ChatMessageFragment[]>([]);
	hasOlder = $state(false);
	loadingOlder = $state(false);
	olderError = $state<string | null>(null);
	status = $state<LiveStatus>('connecting');
	private olderCursor: string | null;
	private stoppers: Array<() => void> = [];
	private stopped = false;

	constructor(
		private readonly threadId: string,
		initial: ChatPage
	) {
		this.messages = initial.messages;
		this.hasOlder = initial.hasOlder;
		this.olderCursor = initial.olderCursor;
	}

	start() {
		const subscription = getBrowserClient()
			.subscription(ThreadActivitySubscription, { threadId: this.threadId })
			.subscribe((result) => {
				if (result.error) {
					this.status = 'unavailable';
					return;
				}
				const activity = result.data?.threadActivity;
				if (activity) this.add(activity.message);
			});
		this.stoppers.push(() => subscription.unsubscribe());
		this.stoppers.push(
			followConnection(
				() => void this.readNewest(),
				(connected) => {
					if (!connected) this.status = 'reconnecting';
				}
			)
		);
	}

	stop() {
		this.stopped = true;
		for (const stop of this.stoppers.splice(0)) stop();
	}

	/** A message posted, edited or deleted here or heard live. */
	add(message: ChatMessageFragment) {
		this.messages = mergeMessages(this.messages, [message]);
	}

	/** Loads the page of messages before the oldest one shown. */
	async loadOlder() {
		if (!this.hasOlder || this.loadingOlder) return;
		this.loadingOlder = true;
		this.olderError = null;
		try {
			const result = await getBrowserClient()
				.query(
					ThreadMessagesQuery,
					{ id: this.threadId, last: CHAT_PAGE, before: this.olderCursor },
					{ requestPolicy: 'network-only' }
				)
				.toPromise();
			const page = result.data?.thread?.messages;
			if (!page) {
				this.olderError = 'Older messages could not be loaded. Try again.';
				return;
			}
			this.messages = mergeMessages(
				page.edges.map((e) => e.node),
				this.messages
			);
			this.hasOlder = page.pageInfo.hasPreviousPage;
			this.olderCursor = page.pageInfo.startCursor ?? null;
		} finally {
			this.loadingOlder = false;
		}
	}

	private async readNewest() {
		const result = await getBrowserClient()
			.query(ThreadMessagesQuery, { id: this.threadId, last: CHAT_PAGE }, { requestPolicy: 'network-only' })
			.toPromise();
		const page = result.data?.thread?.messages;
		if (!page) {
			setTimeout(() => !this.stopped && void this.readNewest(), 3000);
			return;
		}
		this.messages = mergeMessages(
			this.messages,
			page.edges.map((e) => e.node)
		);
		if (isSocketConnected() && this.status !== 'unavailable') this.status = 'live';
	}
}
