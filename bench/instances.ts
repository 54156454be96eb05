/**
 * The deadline burst through nginx to 1, 2 or 3 instances (`npm run bench -- instances`), and the
 * same burst with one instance killed and restarted (test/reliability/multi-instance.test.ts).
 *
 * Every scripted applicant signs in, saves the dossier, uploads three PDFs, chooses a competition
 * and submits with an Idempotency-Key, like a patient browser: after a refused or broken connection
 * or a 500/502/503/504 it sends the same request again (the same key for the submission); after
 * 503/429 it waits for Retry-After. A 401 (session not recognized) is counted: it must never happen, since
 * sessions live in PostgreSQL and any instance resolves them.
 */
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import type { BlobStore } from '../src/server/files/blob-store.js';
import { createBlobStore } from '../src/server/runtime.js';
import { type Cluster, startCluster } from './cluster.js';
import type { Row } from './run.js';
import {
  type AckFile,
  type AckReceipt,
  type Answer,
  ackFile,
  adminSession,
  CAMPAIGN,
  call,
  createApplicantAccount,
  DIPLOMA_QUERY,
  DOSSIER,
  firstCompetition,
  PASSWORD,
  pdfForm,
  pool,
  retryDelayMs,
  type Session,
  sessionOf,
  verifyAcknowledged,
} from './scripted-applicants.js';
import { percentile } from './server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BurstOptions {
  applicants: number;
  concurrency?: number;
  /** Kill this instance with SIGKILL once this fraction of the applicants has submitted, then restart it. */
  kill?: { instance: number; atFraction: number; downMs: number };
  /** Called right after the kill, before the restart (the test checks sessions then). */
  whileDown?: () => Promise<void>;
}

export interface BurstResult {
  applicants: number;
  seconds: number;
  requests: number;
  /** Milliseconds per request (each attempt), sorted. */
  latencies: number[];
  receipts: AckReceipt[];
  files: AckFile[];
  /** Requests sent again after a broken connection or a 502/503/504 from nginx or an instance. */
  retries: number;
  /** 503/429 with Retry-After (admission control). */
  busy: number;
  /**
   * 500 answers (sent again). s3rver answers a PutObject before its file is flushed, so the S3 store's
   * read-back check now and then finds an empty object and refuses the upload with 500.
   */
  errors500: number;
  /** 401 answers to a signed-in applicant: sessions that did not survive. Must be 0. */
  sessionsLost: number;
  /** Applicants who signed in on one instance and were served by another later. */
  movedSessions: number;
  /** Of them, applicants who signed in on the instance that was killed and kept working elsewhere. */
  survivedKill: number;
  /** Requests per instance ($upstream_addr). */
  perUpstream: Map<string, number>;
  restartMs: number;
}

/** Signs in through nginx and tells which instance answered. */
export async function signIn(base: string, email: string): Promise<{ session: Session; upstream: string }> {
  const res = await call(`${base}/api/v1/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.body}`);
  return { session: sessionOf(res), upstream: upstreamOf(res) };
}

export function upstreamOf(res: Answer): string {
  // After a refused connection nginx names every instance it tried: the last one answered.
  return (res.headers.get('x-medadmit-upstream') ?? '').split(', ').pop() ?? '';
}

export async function runBurst(cluster: Cluster, options: BurstOptions): Promise<BurstResult> {
  const base = cluster.url;
  const admin = await adminSession(base, cluster.seedDir);
  const competition = await firstCompetition(base);
  const tag = randomUUID().slice(0, 6);
  const emails = Array.from({ length: options.applicants }, (_, i) => `multi-${tag}-${i}@bench.example`);
  await pool(emails, 8, (email) => createApplicantAccount(base, admin, email));

  const latencies: number[] = [];
  const perUpstream = new Map<string, number>();
  const receipts: AckReceipt[] = [];
  const files: AckFile[] = [];
  const stats = { retries: 0, busy: 0, errors500: 0, sessionsLost: 0, movedSessions: 0, survivedKill: 0 };
  const killed = options.kill ? cluster.upstreamOf(options.kill.instance) : '';
  let killedAt = Number.POSITIVE_INFINITY;

  async function step(what: string, send: () => Promise<Answer>, ok: number[]): Promise<Answer> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`${what}: no answer within 120 s`);
      const t0 = performance.now();
      let res: Answer;
      try {
        res = await send();
      } catch {
        stats.retries++;
        await sleep(100 + Math.random() * 200);
        continue;
      }
      latencies.push(performance.now() - t0);
      const upstream = upstreamOf(res);
      if (upstream) perUpstream.set(upstream, (perUpstream.get(upstream) ?? 0) + 1);
      if (ok.includes(res.status)) return res;
      if ((res.status === 503 || res.status === 429) && res.headers.has('retry-after')) {
        stats.busy++;
        await sleep(retryDelayMs(res));
        continue;
      }
      if (res.status === 500) {
        // "Nothing was saved, please try again": a person would press the button again. Counted,
        // since an instance's 500 is never expected (see errors500).
        stats.errors500++;
        stats.retries++;
        await sleep(100 + Math.random() * 200);
        continue;
      }
      if (res.status === 502 || res.status === 503 || res.status === 504) {
        stats.retries++;
        await sleep(100 + Math.random() * 200);
        continue;
      }
      throw new Error(`${what}: ${res.status} ${res.body}`);
    }
  }

  let done = 0;
  async function applicant(email: string) {
    const login = await step(
      'login',
      () => call(`${base}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email, password: PASSWORD }) }),
      [200],
    );
    const session = sessionOf(login);
    const home = upstreamOf(login);
    const signedInBeforeKill = performance.now() < killedAt;
    const served = new Set<string>();
    let servedAfterKill = false;
    const as = async (what: string, send: () => Promise<Answer>, ok: number[]) => {
      const res = await step(what, send, [...ok, 401]);
      if (res.status === 401) {
        stats.sessionsLost++;
        throw new Error(`${what}: session of ${email} (signed in on ${home}) not recognized by ${upstreamOf(res)}`);
      }
      served.add(upstreamOf(res));
      if (performance.now() > killedAt) servedAfterKill = true;
      return res;
    };
    await as(
      'dossier',
      () => call(`${base}/api/v1/me/dossier`, { method: 'PUT', session, body: JSON.stringify(DOSSIER) }),
      [200],
    );
    for (const [query, name, size] of [
      ['kind=passport', 'passport.pdf', 20_000],
      ['kind=transcript&relatesTo=mbbs', 'transcript.pdf', 20_000],
      [DIPLOMA_QUERY, 'diploma.pdf', 64_000],
    ] as const) {
      const form = pdfForm(size, name);
      const res = await as(
        `upload ${name}`,
        () =>
          call(`${base}/api/v1/me/documents?${query}`, {
            method: 'POST',
            body: form.body,
            headers: { 'content-type': form.contentType },
            session,
          }),
        [201],
      );
      files.push(ackFile(res, form.sha256));
    }
    await as(
      'choices',
      () =>
        call(`${base}/api/v1/me/applications/${CAMPAIGN}/choices`, {
          method: 'PUT',
          session,
          body: JSON.stringify({ competitions: [competition] }),
        }),
      [200],
    );
    const key = randomUUID();
    const res = await as(
      'submit',
      () =>
        call(`${base}/api/v1/me/applications/${CAMPAIGN}/submit`, {
          method: 'POST',
          session,
          headers: { 'idempotency-key': key },
        }),
      [200, 201],
    );
    receipts.push(JSON.parse(res.body) as AckReceipt);
    served.delete(home);
    if (served.size > 0) stats.movedSessions++;
    if (home === killed && signedInBeforeKill && servedAfterKill) stats.survivedKill++;
    done++;
  }

  let finished = false;
  let restartMs = 0;
  const started = performance.now();
  const killer = (async () => {
    const kill = options.kill;
    if (!kill) return;
    while (done < kill.atFraction * options.applicants && !finished) await sleep(20);
    if (finished) return;
    await cluster.kill(kill.instance);
    killedAt = performance.now();
    await options.whileDown?.();
    await sleep(kill.downMs);
    restartMs = await cluster.restart(kill.instance);
  })();
  const clients = pool(emails, options.concurrency ?? 32, applicant).finally(() => {
    finished = true;
  });
  await Promise.all([clients, killer]);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    applicants: options.applicants,
    seconds,
    requests: latencies.length,
    latencies,
    receipts,
    files,
    ...stats,
    perUpstream,
    restartMs,
  };
}

/** The object store the instances write to, opened from their environment. */
export function clusterBlobStore(cluster: Cluster): BlobStore {
  return createBlobStore(loadConfig({ ...cluster.env, DATA_DIR: cluster.seedDir }));
}

export interface ClusterVerification {
  receipts: number;
  receiptsIntact: number;
  files: number;
  /** Acknowledged versions whose row has the sent SHA-256 and whose object in the store hashes to it. */
  filesIntact: number;
  problems: string[];
}

/** Every acknowledged receipt in PostgreSQL with its snapshot hash; every acknowledged file in the object store. */
export async function verifyCluster(
  cluster: Cluster,
  receipts: AckReceipt[],
  files: AckFile[],
): Promise<ClusterVerification> {
  const database = await openDatabase({ databaseUrl: cluster.databaseUrl, poolSize: 2 });
  try {
    const v = await verifyAcknowledged(database.db, '', receipts, []);
    const problems = [...v.problems];
    const store = clusterBlobStore(cluster);
    const rows = await database.db.query.documentVersions.findMany({
      columns: { documentId: true, version: true, blobKey: true, sha256: true },
    });
    const byKey = new Map(rows.map((r) => [`${r.documentId}/${r.version}`, r]));
    let filesIntact = 0;
    await pool(files, 8, async (f) => {
      const row = byKey.get(`${f.documentId}/${f.version}`);
      let stored = 'no row';
      if (row) {
        try {
          stored = createHash('sha256')
            .update(await store.read(row.blobKey))
            .digest('hex');
        } catch {
          stored = 'missing from the object store';
        }
      }
      if (row?.sha256 === f.sha256 && stored === f.sha256) filesIntact++;
      else problems.push(`file ${f.documentId}/${f.version}: ${stored}`);
    });
    store.close?.();
    return { receipts: v.receipts, receiptsIntact: v.receiptsIntact, files: files.length, filesIntact, problems };
  } finally {
    await database.close();
  }
}

/** Catalog searches through nginx for a few seconds (reads: CPU in the instances, little in PostgreSQL). */
async function readLoad(url: string, seconds: number): Promise<{ rps: number; p95: number; errors: number }> {
  const result = await autocannon({
    url: `${url}/api/v1/programs?q=cardiology&level=residency`,
    connections: 32,
    duration: seconds,
  });
  return {
    rps: result.requests.average,
    p95: result.latency.p97_5 ?? result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** `npm run bench -- instances`: the same burst and read load with 1, 2 and 3 instances behind nginx. */
export async function benchInstances(): Promise<Row[]> {
  const applicants = Number(process.env.BENCH_APPLICANTS ?? 400);
  const counts = (process.env.BENCH_INSTANCES ?? '1,2,3').split(',').map(Number);
  const rows: Row[] = [];
  for (const n of counts) {
    const cluster = await startCluster({ instances: n });
    try {
      const load = os.loadavg()[0]?.toFixed(1);
      const burst = await runBurst(cluster, { applicants });
      const v = await verifyCluster(cluster, burst.receipts, burst.files);
      const reads = await readLoad(cluster.url, 10);
      const db = `PostgreSQL, ${n} instance${n > 1 ? 's' : ''}`;
      rows.push(
        {
          database: db,
          measure: `deadline burst: ${applicants} applicants × 7 requests, 32 at once`,
          value: `${burst.seconds.toFixed(1)} s, ${(applicants / burst.seconds).toFixed(1)} submissions/s, ${(burst.requests / burst.seconds).toFixed(0)} req/s`,
        },
        {
          database: db,
          measure: 'burst request latency p50 / p95 / p99',
          value: `${percentile(burst.latencies, 50).toFixed(0)} / ${percentile(burst.latencies, 95).toFixed(0)} / ${percentile(burst.latencies, 99).toFixed(0)} ms`,
        },
        {
          database: db,
          measure: 'acknowledged and intact (receipts, files); 503 answers; 500 answers',
          value: `${v.receiptsIntact}/${v.receipts}, ${v.filesIntact}/${v.files}; ${burst.busy}; ${burst.errors500}`,
        },
        {
          database: db,
          measure: 'catalog search, 32 connections, 10 s: requests/s, p97.5, errors',
          value: `${reads.rps.toFixed(0)} req/s, ${reads.p95} ms, ${reads.errors}`,
        },
        { database: db, measure: 'requests per instance', value: [...burst.perUpstream.values()].join(' / ') },
        { database: db, measure: 'load average before', value: String(load) },
      );
    } finally {
      await cluster.stop();
    }
  }
  return rows;
}
