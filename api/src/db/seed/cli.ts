import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../database.js';
import { DEMO_EMAIL, DEMO_PASSWORD } from './community.js';
import { DatabaseNotEmptyError, seedDemoData } from './seed.js';

const USAGE = `Usage: npm run seed -w api -- [--scale N] [--seed N] [--force]

Loads demo data into the database at DATABASE_URL, or into the embedded one in DATA_DIR
(stop the API first: the embedded database takes one process at a time).

  --scale N   how much data: 1 = 1,000 people in 60 groups (default 1; fractions allowed)
  --seed N    seed of the generator; the same seed gives the same data (default 42)
  --force     delete existing users, groups and everything in them first (default: refuse a non-empty database)`;

// Seeding runs from the command line only: configuration, database, seed, summary.
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const scale = Number(values.scale);
const seed = Number(values.seed);
if (!(scale > 0) || !Number.isInteger(seed)) {
  console.error(`--scale must be a positive number and --seed an integer.\n\n${USAGE}`);
  process.exit(2);
}

const config = loadConfig();
const db = await openDatabase(config, config.DATA_DIR);
try {
  const summary = await seedDemoData(db.orm, { scale, seed, force: values.force, passwordLogN: config.PASSWORD_SCRYPT_LOG_N });
  console.log(JSON.stringify({ level: 'info', msg: 'loaded demo data', scale, seed, ...summary, login: `${DEMO_EMAIL} / ${DEMO_PASSWORD}` }));
} catch (error) {
  console.error(error instanceof DatabaseNotEmptyError ? `${error.message} Run again with --force to replace what is there.` : error);
  process.exitCode = 1;
} finally {
  await db.close();
}
