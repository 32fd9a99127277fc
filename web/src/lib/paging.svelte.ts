/** A page of a connection, as the list queries return them. */
export interface Page<T> {
	edges: Array<{ node: T }>;
	pageInfo: { hasNextPage: boolean; endCursor?: string | null };
	totalCount?: number;
}

/**
 * A list that grows by cursor: starts with the page the server rendered, and `more()` appends
 * the next one (fetched in the browser with the last page's `endCursor`).
 */
export class Paged<T extends { id: string }> {
	items = $state<T[]>([]);
	hasNext = $state(false);
	loading = $state(false);
	error = $state<string | null>(null);
	total = $state<number | null>(null);
	private cursor: string | null;

	constructor(
		first: Page<T>,
		private readonly fetchPage: (after: string | null) => Promise<Page<T> | null | undefined>
	) {
		this.items = first.edges.map((e) => e.node);
		this.hasNext = first.pageInfo.hasNextPage;
		this.cursor = first.pageInfo.endCursor ?? null;
		this.total = first.totalCount ?? null;
	}

	async more() {
		if (this.loading || !this.hasNext) return;
		this.loading = true;
		this.error = null;
		try {
			const page = await this.fetchPage(this.cursor);
			if (!page) {
				this.error = 'Could not load more. Please try again.';
				return;
			}
			const seen = new Set(this.items.map((i) => i.id));
			this.items = [...this.items, ...page.edges.map((e) => e.node).filter((n) => !seen.has(n.id))];
			this.hasNext = page.pageInfo.hasNextPage;
			this.cursor = page.pageInfo.endCursor ?? null;
		} catch {
			this.error = 'Could not load more. Please try again.';
		} finally {
			this.loading = false;
		}
	}
}
