import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { box, EXPLORE_GROUPS_SQL } from './ceiling-sql-explore.js';
import { EVENT_PAGE_SQL } from './ceiling-sql-event.js';
import { GROUP_PAGE_SQL } from './ceiling-sql-group.js';

// The one-statement ceiling: the limit for any Node server in front of PostgreSQL. A minimal node:http server answers
// EventPage, GroupPage and ExploreGroups (dispatched on operationName) each with ONE prepared SQL statement that looks
// up the session and builds the whole JSON answer in PostgreSQL; the text it returns is the response body, never
// parsed in Node. Run as its own process: DATABASE_URL, DB_POOL_MAX; prints {"ready":port}.

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 20) });

type Vars = Record<string, any>;
/** A page: its prepared statement and the parameters a request's variables and token hash give it. */
interface Statement {
  name: string;
  text: string;
  values(vars: Vars, tokenHash: string | null): unknown[];
}

class Unsupported extends Error {}

const STATEMENTS: Record<string, Statement> = {
  EventPage: { name: 'one_event_page', text: EVENT_PAGE_SQL, values: (v, t) => [v.id, t] },
  GroupPage: { name: 'one_group_page', text: GROUP_PAGE_SQL, values: (v, t) => [v.slug, t] },
  ExploreGroups: {
    name: 'one_explore_groups',
    text: EXPLORE_GROUPS_SQL,
    values: (v, t) => {
      // What the bench asks: words and a place, ordered by relevance, a first page. Anything else is refused, not guessed.
      if (typeof v.search !== 'string' || !v.near || v.topic != null || v.after != null) {
        throw new Unsupported('the one-statement ceiling answers ExploreGroups with search and near only (no topic, no after)');
      }
      return [v.search, ...box(v.near), v.near.lat, v.near.lng, v.near.radiusKm, v.first ?? 20, t];
    },
  },
};

const tokenHash = (authorization: string | undefined) => {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  return token ? createHash('sha256').update(token).digest('hex') : null;
};

function reply(res: ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { operationName?: string; variables?: Vars };
      const statement = STATEMENTS[body.operationName ?? ''];
      if (!statement) throw new Unsupported(`the one-statement ceiling does not answer ${body.operationName}`);
      const { rows } = await pool.query<{ body: string }>({
        name: statement.name,
        text: statement.text,
        values: statement.values(body.variables ?? {}, tokenHash(req.headers.authorization)),
      });
      reply(res, 200, rows[0].body);
    } catch (error) {
      reply(res, error instanceof Unsupported ? 400 : 500, JSON.stringify({ errors: [{ message: String(error) }] }));
    }
  });
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ ready: typeof address === 'object' && address ? address.port : 0 }));
});

process.on('SIGTERM', () => {
  server.close();
  pool.end().finally(() => process.exit(0));
});
