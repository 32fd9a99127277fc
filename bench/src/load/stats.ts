/** Latency samples in milliseconds, growing as needed. */
export class Samples {
  private data = new Float64Array(1024);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** Adds every sample of `other`. */
  addAll(other: Samples): void {
    for (let i = 0; i < other.n; i++) this.add(other.data[i]);
  }

  /** The p-th percentile (0–100), nearest rank; NaN without samples. */
  percentile(p: number): number {
    if (this.n === 0) return Number.NaN;
    const sorted = this.data.slice(0, this.n).sort();
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1));
    return sorted[rank];
  }

  summary(): LatencySummary {
    if (this.n === 0) return { samples: 0, p50: null, p99: null, max: null };
    const sorted = this.data.slice(0, this.n).sort();
    const at = (p: number) => sorted[Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))];
    return { samples: this.n, p50: round(at(50)), p99: round(at(99)), max: round(sorted[this.n - 1]) };
  }
}

export interface LatencySummary {
  samples: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Milliseconds since an arbitrary origin, sub-millisecond. */
export const now = () => performance.now();
