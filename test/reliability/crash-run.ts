/**
 * A crash run: scripted applicants fill in and submit while the server (`medadmit serve` in a child
 * process) or the PostgreSQL postmaster is killed with SIGKILL at random moments and started again.
 * Clients behave like a patient browser: on a refused connection or a 5xx they try the same request
 * again (the submission with the same Idempotency-Key), on 503/429 they wait for Retry-After. At the
 * end every acknowledged receipt and file is checked against the database and the blob store.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
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
} from '../../bench/scripted-applicants.js';
import { freePort, killServer, startServer, stopServer } from '../../bench/server.js';
import { openDatabase } from '../../src/db/client.js';
import { type PostgresServer, startPostgres } from '../helpers/postgres-server.js';

export interface CrashRunOptions {
  database: 'pglite' | 'postgresql';
  /** What is killed: the application server, or the PostgreSQL postmaster. */
  target: 'server' | 'postgres';
  applicants: number;
  kills: number;
  /** Applicants in progress at once. */
  concurrency?: number;
}

export interface CrashRunResult {
  run: string;
  applicants: number;
  kills: number;
  /** Receipts the clients got (2xx to submit). */
  acknowledged: number;
  /** Of them, present with the same number and snapshot SHA-256. */
  present: number;
  files: number;
  /** Acknowledged files present with byte-identical content (SHA-256). */
  identical: number;
  /** Requests sent again after a refused or broken connection or a 5xx. */
  retries: number;
  /** 503/429 answers (with Retry-After). */
  busy: number;
  /** 5xx answers other than 503 (while the database was down). */
  errors5xx: number;
  /** Times the application server exited without being killed by the run. */
  unexpectedExits: number;
  /** Milliseconds from a kill until the server (or database) answered again, the longest. */
  longestOutageMs: number;
  seconds: number;
  problems: string[];
}

const trace = (what: string, since: number) => {
  if (process.env.RELIABILITY_TRACE) console.log(`${((performance.now() - since) / 1000).toFixed(1)} s ${what}`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function crashRun(options: CrashRunOptions): Promise<CrashRunResult> {
  const started = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-crash-'));
  let postgres: PostgresServer | undefined;
  let databaseUrl: string | undefined;
  if (options.database === 'postgresql') {
    // Production durability settings: a commit is acknowledged only once its WAL is written.
    postgres = await startPostgres({ durable: true });
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query('CREATE DATABASE medadmit');
    await admin.end();
    databaseUrl = postgres.urlFor('medadmit');
  }
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    ARGON2_MEMORY_KIB: '1024',
    LOG_LEVEL: 'fatal',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const port = await freePort();
  let server = await startServer(env, { port });
  let killing = false;
  let unexpectedExits = 0;
  // A server that dies on its own (say, of a dropped database connection) is counted and started again.
  const watch = (proc: typeof server.proc): void => {
    proc.once('exit', () => {
      if (killing || stopping) return;
      unexpectedExits++;
      void startServer(env, { port }).then((s) => {
        server = s;
        watch(s.proc);
      });
    });
  };
  let stopping = false;
  watch(server.proc);
  const base = server.url;
  const stats = { retries: 0, busy: 0, errors5xx: 0 };
  const receipts: AckReceipt[] = [];
  const files: AckFile[] = [];
  let longestOutageMs = 0;
  try {
    trace('server up', started);
    const admin = await adminSession(base, dataDir);
    const competition = await firstCompetition(base);
    const emails = Array.from(
      { length: options.applicants },
      (_, i) => `crash-${i}-${randomUUID().slice(0, 6)}@bench.example`,
    );
    await pool(emails, 8, (email) => createApplicantAccount(base, admin, email));
    trace('accounts created', started);

    /** Sends until the answer is one of `ok`: again after a broken connection or a 5xx, later after 503/429. */
    async function step(what: string, send: () => Promise<Answer>, ok: number[]): Promise<Answer> {
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (Date.now() > deadline) throw new Error(`${what}: no answer within 120 s`);
        let res: Answer;
        try {
          res = await send();
        } catch {
          stats.retries++;
          await sleep(100 + Math.random() * 200);
          continue;
        }
        if (ok.includes(res.status)) return res;
        if (res.status === 503 || res.status === 429) {
          stats.busy++;
          await sleep(retryDelayMs(res));
          continue;
        }
        if (res.status >= 500) {
          stats.errors5xx++;
          stats.retries++;
          await sleep(100 + Math.random() * 200);
          continue;
        }
        throw new Error(`${what}: ${res.status} ${res.body}`);
      }
    }

    let done = 0;
    let finished = false;
    async function applicant(email: string) {
      const signIn = async () =>
        sessionOf(
          await step(
            'login',
            () =>
              call(`${base}/api/v1/auth/login`, {
                method: 'POST',
                body: JSON.stringify({ email, password: PASSWORD }),
              }),
            [200],
          ),
        );
      let session: Session = await signIn();
      /** A step as this applicant; signs in again if the session is gone. */
      const as = async (what: string, send: (s: Session) => Promise<Answer>, ok: number[]) => {
        for (;;) {
          const res = await step(what, () => send(session), [...ok, 401]);
          if (res.status !== 401) return res;
          session = await signIn();
        }
      };
      await as(
        'dossier',
        (s) => call(`${base}/api/v1/me/dossier`, { method: 'PUT', session: s, body: JSON.stringify(DOSSIER) }),
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
          (s) =>
            call(`${base}/api/v1/me/documents?${query}`, {
              method: 'POST',
              body: form.body,
              headers: { 'content-type': form.contentType },
              session: s,
            }),
          [201],
        );
        files.push(ackFile(res, form.sha256));
      }
      await as(
        'choices',
        (s) =>
          call(`${base}/api/v1/me/applications/${CAMPAIGN}/choices`, {
            method: 'PUT',
            session: s,
            body: JSON.stringify({ competitions: [competition] }),
          }),
        [200],
      );
      const key = randomUUID();
      const res = await as(
        'submit',
        (s) =>
          call(`${base}/api/v1/me/applications/${CAMPAIGN}/submit`, {
            method: 'POST',
            session: s,
            headers: { 'idempotency-key': key },
          }),
        [200, 201],
      );
      receipts.push(JSON.parse(res.body) as AckReceipt);
      done++;
    }

    // Kill points: at random fractions of the submissions (10–90 %), each a random moment later.
    const points = Array.from({ length: options.kills }, () =>
      Math.floor((0.1 + 0.8 * Math.random()) * options.applicants),
    ).sort((a, b) => a - b);
    const killer = (async () => {
      for (const point of points) {
        while (done < point && !finished) await sleep(20);
        if (finished) return;
        await sleep(Math.random() * 1000);
        const down = performance.now();
        if (options.target === 'server') {
          killing = true;
          await killServer(server.proc);
          killing = false;
          server = await startServer(env, { port });
          watch(server.proc);
        } else {
          await postgres?.kill9();
          await postgres?.restart();
        }
        longestOutageMs = Math.max(longestOutageMs, performance.now() - down);
        trace(`killed at ${done} submissions, back after ${Math.round(performance.now() - down)} ms`, started);
      }
    })();
    const clients = pool(emails, options.concurrency ?? 32, applicant).finally(() => {
      finished = true;
    });
    await Promise.all([clients, killer]);
    trace('clients done', started);
  } finally {
    stopping = true;
    await stopServer(server.proc);
  }
  trace('server stopped', started);

  const database = await openDatabase(databaseUrl ? { databaseUrl } : { pgliteDir: path.join(dataDir, 'pglite') });
  try {
    const v = await verifyAcknowledged(database.db, path.join(dataDir, 'blobs'), receipts, files);
    return {
      run: `${options.database}, kill -9 of the ${options.target === 'server' ? 'server' : 'PostgreSQL postmaster'}`,
      applicants: options.applicants,
      kills: options.kills,
      acknowledged: v.receipts,
      present: v.receiptsIntact,
      files: v.files,
      identical: v.filesIntact,
      ...stats,
      unexpectedExits,
      longestOutageMs: Math.round(longestOutageMs),
      seconds: Math.round((performance.now() - started) / 100) / 10,
      problems: v.problems,
    };
  } finally {
    await database.close();
    postgres?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The results as a Markdown table (printed by the tests, copied into the documentation). */
export function crashTable(results: CrashRunResult[]): string {
  const head =
    '| run | applicants | kills | receipts acknowledged | present (number + snapshot SHA-256) | files acknowledged | byte-identical | retries | 503/429 | other 5xx | longest outage | duration |';
  const lines = results.map(
    (r) =>
      `| ${r.run} | ${r.applicants} | ${r.kills} | ${r.acknowledged} | ${r.present} | ${r.files} | ${r.identical} | ${r.retries} | ${r.busy} | ${r.errors5xx} | ${(r.longestOutageMs / 1000).toFixed(1)} s | ${r.seconds} s |`,
  );
  return [head, `|${'---|'.repeat(12)}`, ...lines].join('\n');
}
