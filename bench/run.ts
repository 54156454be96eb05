/**
 * Foundation benchmark: start-up time (cold and warm data directory) and HTTP throughput of
 * GET /api/health and an authenticated GET /api/v1/me, on PGlite and on a real PostgreSQL server.
 * Run with `npm run bench` (builds first). Loopback only; every run is bounded in time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { startPostgres } from '../test/helpers/postgres-server.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const cli = path.resolve('dist/server/cli/medadmit.js');

interface Row {
  database: string;
  measure: string;
  value: string;
}
const rows: Row[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServer(env: Record<string, string>): Promise<{ proc: ChildProcess; ms: number; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const proc = spawn('node', [cli, 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return { proc, ms: performance.now() - started, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  proc.kill('SIGKILL');
  throw new Error('server did not become healthy within 120 s');
}

async function stopServer(proc: ChildProcess): Promise<void> {
  await new Promise<void>((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGTERM');
  });
}

async function load(url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, headers });
  return `${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors + result.non2xx}`;
}

async function signIn(url: string, dataDir: string): Promise<string> {
  const accounts = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as {
    role: string;
    email: string;
    password: string;
  }[];
  const admin = accounts.find((a) => a.role === 'applicant');
  if (!admin) throw new Error('no demo applicant');
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin.email, password: admin.password }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!res.ok || !cookie) throw new Error(`sign-in failed: ${res.status}`);
  return cookie;
}

async function measure(database: string, env: Record<string, string>, dataDir: string): Promise<void> {
  const cold = await startServer({ ...env, DATA_DIR: dataDir });
  rows.push({
    database,
    measure: 'start to healthy, cold (new data, migrations, demo data)',
    value: `${Math.round(cold.ms)} ms`,
  });
  await stopServer(cold.proc);
  const warm = await startServer({ ...env, DATA_DIR: dataDir });
  rows.push({ database, measure: 'start to healthy, warm (existing data)', value: `${Math.round(warm.ms)} ms` });
  rows.push({
    database,
    measure: `GET /api/health, ${CONNECTIONS} connections, ${DURATION_S} s`,
    value: await load(`${warm.url}/api/health`),
  });
  const cookie = await signIn(warm.url, dataDir);
  rows.push({
    database,
    measure: `GET /api/v1/me signed in, ${CONNECTIONS} connections, ${DURATION_S} s`,
    value: await load(`${warm.url}/api/v1/me`, { cookie }),
  });
  await stopServer(warm.proc);
}

async function main() {
  if (!fs.existsSync(cli)) throw new Error('run `npm run build` first');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-bench-'));
  try {
    await measure('pglite', {}, path.join(root, 'pglite'));
    const server = await startPostgres();
    try {
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE medadmit_bench');
      await admin.end();
      await measure('postgresql', { DATABASE_URL: server.urlFor('medadmit_bench') }, path.join(root, 'pg'));
    } finally {
      server.stop();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nMedAdmit foundation benchmark — ${new Date().toISOString()} — ${os.cpus().length} × ${cpu}, Node ${process.version}\n`,
  );
  console.log('| database | measure | result |');
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.database} | ${r.measure} | ${r.value} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
