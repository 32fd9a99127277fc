import { parseArgs } from 'node:util';

/** How much data and how long each measurement runs: `full` is the recorded run, `quick` a tenth, `smoke` a test. */
export type Mode = 'full' | 'quick' | 'smoke';

/** Row counts of the generated dataset. */
export interface DatasetSize {
  users: number;
  groups: number;
  events: number;
  rsvps: number;
  messages: number;
}

/** Everything one bench run needs to know. */
export interface BenchOptions {
  mode: Mode;
  /** The dataset as a fraction of the full one (full 1, --quick 0.1, --smoke 0.015, or --scale F). */
  scale: number;
  /** PostgreSQL URL of the benchmark database (created, and replaced when its dataset differs). */
  databaseUrl: string;
  /** Whether BENCH_DATABASE_URL named it (then other sizes go beside it under its name; see databaseFor). */
  databaseNamed: boolean;
  size: DatasetSize;
  /** Seed of the dataset: the same seed and size give the same rows. */
  seed: number;
  /** Seconds each throughput measurement runs, after `warmupSeconds` of unrecorded load. */
  seconds: number;
  warmupSeconds: number;
  /** The measurements of one scenario alternate between Gather, the ceiling and the peer this many times. */
  rounds: number;
  /** Concurrent HTTP connections of each throughput measurement. */
  connections: number;
  /** Connections of the API's pool, the ceilings' pools and PostGraphile's pool alike. */
  poolSize: number;
  /** Live subscribers of the fan-out scenario, how many subscriptions share a socket, and its bursts. */
  fanout: { subscribers: number; perSocket: number; bursts: number; burstSize: number; cpuSubscribers: number; cpuRsvps: number };
  /** Chat: subscribers of one thread, messages per second, and for how many seconds. */
  chat: { subscribers: number; perSecond: number; seconds: number };
  /** Only these scenarios (all when empty). */
  only: string[];
  /** Regenerate the dataset even when the marker says it is there. */
  fresh: boolean;
  /** Write CPU profiles of the API process into this directory (node --cpu-prof). */
  profileDir: string | null;
  /** Where results.json goes. */
  resultsPath: string;
  /**
   * The `scaling` scenario: Gather on the dataset at `small` and at `large` (fractions of the full one, each in its own
   * database, `databaseFor`), measured in alternating rounds. Full run: 0.1 (the quick dataset, called 1×) and 1 (the
   * full dataset, 10×).
   */
  scaling: { small: number; large: number };
  /** The `processes` scenario: Gather with this many API processes behind one port (API_PROCESSES), each measured. */
  processCounts: number[];
}

const FULL: DatasetSize = { users: 100_000, groups: 2_000, events: 20_000, rsvps: 1_000_000, messages: 200_000 };

export const scaled = (factor: number): DatasetSize => ({
  users: Math.round(FULL.users * factor),
  groups: Math.round(FULL.groups * factor),
  events: Math.round(FULL.events * factor),
  rsvps: Math.round(FULL.rsvps * factor),
  messages: Math.round(FULL.messages * factor),
});

/** The scale of each mode's dataset. */
const MODE_SCALE: Record<Mode, number> = { full: 1, quick: 0.1, smoke: 0.015 };

const PRESETS: Record<Mode, Omit<BenchOptions, 'mode' | 'scale' | 'databaseUrl' | 'databaseNamed' | 'seed' | 'only' | 'fresh' | 'profileDir' | 'resultsPath' | 'scaling'>> = {
  full: {
    size: FULL,
    seconds: 15,
    warmupSeconds: 3,
    rounds: 3,
    connections: 50,
    poolSize: 20,
    fanout: { subscribers: 10_000, perSocket: 1, bursts: 10, burstSize: 10, cpuSubscribers: 1_000, cpuRsvps: 30 },
    chat: { subscribers: 1_000, perSecond: 20, seconds: 10 },
    processCounts: [1, 2, 4],
  },
  quick: {
    size: scaled(0.1),
    seconds: 5,
    warmupSeconds: 1,
    rounds: 2,
    connections: 50,
    poolSize: 20,
    fanout: { subscribers: 1_000, perSocket: 1, bursts: 5, burstSize: 10, cpuSubscribers: 1_000, cpuRsvps: 30 },
    chat: { subscribers: 100, perSecond: 20, seconds: 5 },
    processCounts: [1, 2, 4],
  },
  smoke: {
    size: scaled(0.015),
    seconds: 1,
    warmupSeconds: 0.5,
    rounds: 1,
    connections: 8,
    poolSize: 5,
    fanout: { subscribers: 40, perSocket: 4, bursts: 2, burstSize: 3, cpuSubscribers: 40, cpuRsvps: 3 },
    chat: { subscribers: 10, perSecond: 10, seconds: 1 },
    processCounts: [1, 2],
  },
};

/**
 * The database of the dataset at `scale`: the run's own for its scale (BENCH_DATABASE_URL when set); other sizes beside
 * it on the same server, each in its own database so that sizes are kept side by side and a run at one never
 * regenerates another: by default `gather_bench` for the full size and `gather_bench_s0_1` for 0.1, under
 * BENCH_DATABASE_URL its name with `_s0_1` added.
 */
export function databaseFor(options: Pick<BenchOptions, 'databaseUrl' | 'scale' | 'databaseNamed'>, scale: number): string {
  if (scale === options.scale) return options.databaseUrl;
  const url = new URL(options.databaseUrl);
  url.pathname = options.databaseNamed ? `${url.pathname}${scaleSuffix(scale)}` : `/${defaultDatabase(scale)}`;
  return url.toString();
}

const scaleSuffix = (scale: number) => `_s${String(scale).replace('.', '_')}`;
const defaultDatabase = (scale: number) => (scale === 1 ? 'gather_bench' : `gather_bench${scaleSuffix(scale)}`);

const DEFAULT_SERVER = 'postgresql://postgres@127.0.0.1:5432/';

export const USAGE = `Usage: npm run bench -- [--quick | --scale F] [--only a,b] [--fresh] [--profile DIR] [--out FILE]

Generates the benchmark dataset into BENCH_DATABASE_URL (default: database gather_bench for the
full size, gather_bench_s0_1 for --scale 0.1 and so on, on postgresql://postgres@127.0.0.1:5432; kept
between runs and regenerated when its size or generator changed), runs every scenario against the API,
its ceilings (hand-written and one-statement) and PostGraphile, prints the tables and writes
bench/results.json. The pages cycle through a mix of many events, groups and searches.

  --quick        a tenth of the data (--scale 0.1) and shorter runs (about three minutes)
  --scale F      the dataset at F times the full one (1 = 100,000 users; 0.1 = --quick's)
  --smoke        tiny data, a second per measurement (what the test suite runs)
  --only LIST    comma-separated scenarios: eventPage, eventPageHot, groupPage, exploreGroups, rsvpHot, rsvpSpread,
                 fanout, chat, and (only when named) scaling (the page mix on a tenth of the run's data and on all
                 of it) and processes (the page mix with 1, 2 and 4 API processes; needs Redis, BENCH_REDIS_URL,
                 default redis://127.0.0.1:6379)
  --seconds N    seconds per throughput measurement (default 15; quick 5)
  --fresh        regenerate the dataset even if it is there already
  --profile DIR  run the API under node --cpu-prof and keep its profiles in DIR
  --out FILE     where to write the results (default bench/results.json)`;

/** A scale factor without float noise (0.1 / 10 = 0.01, not 0.010000000000000002). */
const round = (x: number) => Number(x.toPrecision(6));

/** Reads the command line and the environment. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv, defaultResults: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      scale: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      only: { type: 'string', default: '' },
      seconds: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      profile: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const mode: Mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const preset = PRESETS[mode];
  const scale = values.scale !== undefined ? Number(values.scale) : MODE_SCALE[mode];
  if (!(scale > 0 && scale <= 10)) throw new Error(`--scale must be a number above 0 and at most 10, not ${values.scale}`);
  const seconds = values.seconds ? Number(values.seconds) : preset.seconds;
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, not ${values.seconds}`);
  return {
    mode,
    ...preset,
    scale,
    size: scaled(scale),
    seconds,
    databaseUrl: env.BENCH_DATABASE_URL || `${DEFAULT_SERVER}${defaultDatabase(scale)}`,
    databaseNamed: Boolean(env.BENCH_DATABASE_URL),
    seed: 42,
    only: values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [],
    fresh: values.fresh,
    profileDir: values.profile ?? null,
    resultsPath: values.out ?? defaultResults,
    // 1× is a tenth of the run's data (full run: the quick dataset, 10× the full one); under --smoke twice its tiny
    // data instead, which keeps the test fast and the path exercised.
    scaling: mode === 'smoke' ? { small: scale, large: scale * 2 } : { small: round(scale / 10), large: scale },
  };
}
