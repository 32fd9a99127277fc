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
  /** PostgreSQL URL of the benchmark database (created, and replaced when its dataset differs). */
  databaseUrl: string;
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
}

const FULL: DatasetSize = { users: 100_000, groups: 2_000, events: 20_000, rsvps: 1_000_000, messages: 200_000 };

const scaled = (factor: number): DatasetSize => ({
  users: Math.round(FULL.users * factor),
  groups: Math.round(FULL.groups * factor),
  events: Math.round(FULL.events * factor),
  rsvps: Math.round(FULL.rsvps * factor),
  messages: Math.round(FULL.messages * factor),
});

const PRESETS: Record<Mode, Omit<BenchOptions, 'mode' | 'databaseUrl' | 'seed' | 'only' | 'fresh' | 'profileDir' | 'resultsPath'>> = {
  full: {
    size: FULL,
    seconds: 15,
    warmupSeconds: 3,
    rounds: 3,
    connections: 50,
    poolSize: 20,
    fanout: { subscribers: 10_000, perSocket: 1, bursts: 10, burstSize: 10, cpuSubscribers: 1_000, cpuRsvps: 30 },
    chat: { subscribers: 1_000, perSecond: 20, seconds: 10 },
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
  },
};

export const USAGE = `Usage: npm run bench -- [--quick] [--only a,b] [--fresh] [--profile DIR] [--out FILE]

Generates the benchmark dataset into BENCH_DATABASE_URL (default: database gather_bench, or
gather_bench_quick / gather_bench_smoke, on postgresql://postgres@127.0.0.1:5432; kept between
runs and regenerated when its size or generator changed), runs every scenario against the API,
its ceilings (hand-written and one-statement) and PostGraphile, prints the tables and writes
bench/results.json. The pages cycle through a mix of many events, groups and searches.

  --quick        a tenth of the data and shorter runs (about three minutes)
  --smoke        tiny data, a second per measurement (what the test suite runs)
  --only LIST    comma-separated scenarios: eventPage, eventPageHot, groupPage, exploreGroups, rsvpHot, rsvpSpread, fanout, chat
  --seconds N    seconds per throughput measurement (default 15; quick 5)
  --fresh        regenerate the dataset even if it is there already
  --profile DIR  run the API under node --cpu-prof and keep its profiles in DIR
  --out FILE     where to write the results (default bench/results.json)`;

/** Reads the command line and the environment. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv, defaultResults: string): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
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
  const defaultDb = `postgresql://postgres@127.0.0.1:5432/${mode === 'full' ? 'gather_bench' : `gather_bench_${mode}`}`;
  const seconds = values.seconds ? Number(values.seconds) : preset.seconds;
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, not ${values.seconds}`);
  return {
    mode,
    ...preset,
    seconds,
    databaseUrl: env.BENCH_DATABASE_URL || defaultDb,
    seed: 42,
    only: values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [],
    fresh: values.fresh,
    profileDir: values.profile ?? null,
    resultsPath: values.out ?? defaultResults,
  };
}
