// `npm start`: runs the built API (embedded PostgreSQL unless DATABASE_URL is set) and the web client.
import { spawn } from 'node:child_process';

const apiPort = process.env.API_PORT ?? '4000';
const webPort = process.env.WEB_PORT ?? '3000';
const children = [];

function run(name, args, env) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  child.on('exit', (code) => {
    console.log(`${name} exited (${code}); stopping Gather.`);
    stop(code ?? 1);
  });
  children.push(child);
  return child;
}

function stop(code = 0) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}

async function waitFor(url) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

run('api', ['--enable-source-maps', 'api/dist/index.js'], { PORT: apiPort });
await waitFor(`http://127.0.0.1:${apiPort}/readyz`);
run('web', ['web/server.js'], { PORT: webPort, API_URL: `http://127.0.0.1:${apiPort}` });
await waitFor(`http://127.0.0.1:${webPort}/`);
console.log(`\nGather is running:\n  web page          http://localhost:${webPort}/\n  GraphQL endpoint  http://localhost:${apiPort}/graphql (explorer: http://localhost:${webPort}/graphiql)\n`);
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
