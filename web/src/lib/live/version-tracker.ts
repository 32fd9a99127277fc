/** An update that carries the version of the state it leads to. */
export interface Versioned {
	version: number;
}

export interface VersionTrackerOptions<U extends Versioned> {
	/** Applies one update, in order, on top of the state at `update.version - 1`. */
	apply(update: U): void;
	/** Asks for a fresh read of the whole state; the answer comes back through `read`. */
	refetch(): void;
}

/**
 * The client side of the version rule (docs/ARCHITECTURE.md, Live protocol). Subscribe first, then read: updates that arrive
 * before the read are held back; the read sets the version; held and later updates apply only
 * when their version is exactly one more than the last, older ones are dropped (the read has
 * them), and a skipped version asks for a refetch (and holds updates again until it arrives).
 */
export class VersionTracker<U extends Versioned> {
	/** The version of the state shown, or null while waiting for a read. */
	private version: number | null = null;
	private held: U[] = [];

	constructor(private readonly options: VersionTrackerOptions<U>) {}

	/** The version of the state shown; null while waiting for a read. */
	get current(): number | null {
		return this.version;
	}

	/** Whether a read is awaited (at the start, after a gap, after a reconnection). */
	get waiting(): boolean {
		return this.version === null;
	}

	/**
	 * A read of the whole state at `version`. `replace` puts it in place; it is skipped (and false
	 * returned) when what is shown is already newer. Held updates then apply on top.
	 */
	read(version: number, replace: () => void): boolean {
		if (this.version !== null && version < this.version) return false;
		replace();
		this.version = version;
		const held = this.held.sort((a, b) => a.version - b.version);
		this.held = [];
		for (const update of held) this.receive(update);
		return true;
	}

	/** An update from the subscription. */
	receive(update: U): void {
		if (this.version === null) {
			this.held.push(update);
			return;
		}
		if (update.version <= this.version) return;
		if (update.version === this.version + 1) {
			this.version = update.version;
			this.options.apply(update);
			return;
		}
		// A gap: something was missed. Read everything again; keep this one in case the read is older.
		this.held.push(update);
		this.invalidate();
	}

	/** Forgets the version (the connection dropped: updates may have been missed) and refetches. */
	invalidate(): void {
		this.version = null;
		this.options.refetch();
	}
}
