/**
 * Foundation benchmark: start-up time (cold and warm data directory) and HTTP throughput of
 * GET /api/health and an authenticated GET /api/v1/me, on PGlite and on a real PostgreSQL server.
 * Run with `npm run bench` (builds first). Loopback only; every run is bounded in time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { withPostgres } from './postgres.js';
import type { Row } from './run.js';
import { startServer, stopServer } from './server.js';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

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

async function measure(rows: Row[], database: string, env: Record<string, string>, dataDir: string): Promise<void> {
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

export async function benchFoundation(): Promise<Row[]> {
  const rows: Row[] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-bench-'));
  try {
    await measure(rows, 'pglite', {}, path.join(root, 'pglite'));
    await withPostgres('medadmit_bench', (url) =>
      measure(rows, 'postgresql', { DATABASE_URL: url }, path.join(root, 'pg')),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return rows;
}
