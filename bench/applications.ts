/**
 * Deadline burst (issue 4): 2,000 applicants each upload a 2 MB PDF and submit within 60 s, against
 * `medadmit serve` on PGlite in a child process. Then every receipt is checked against the database
 * (its row, the snapshot's SHA-256) and every uploaded file against the blob store (SHA-256 of the
 * bytes sent). Accounts, dossiers and the small documents are prepared before the clock starts.
 * Argon2 runs with 1 MiB of memory here: sign-in is not what this measures.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/db/client.js';
import type { Row } from './run.js';
import {
  type AckFile,
  type AckReceipt,
  ackFile,
  adminSession,
  type BusyCounter,
  CAMPAIGN,
  call,
  DIPLOMA_QUERY,
  firstCompetition,
  pdfForm,
  pool,
  prepareApplicant,
  type Session,
  upload,
  verifyAcknowledged,
} from './scripted-applicants.js';
import { percentile, startServer, stopServer } from './server.js';

const APPLICANTS = Number(process.env.BENCH_APPLICANTS ?? 2000);
const WINDOW_S = Number(process.env.BENCH_WINDOW_SECONDS ?? 60);
const FILE_BYTES = Number(process.env.BENCH_FILE_BYTES ?? 2 * 1024 * 1024);

export async function benchApplications(): Promise<Row[]> {
  const rows: Row[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-bench-burst-'));
  const server = await startServer({
    DATA_DIR: dataDir,
    ARGON2_MEMORY_KIB: '1024',
    UPLOAD_MAX_BYTES: String(10 * 1024 * 1024),
  });
  const base = server.url;
  const applicants: { email: string; session?: Session }[] = Array.from({ length: APPLICANTS }, (_, i) => ({
    email: `burst-${i}@bench.example`,
  }));
  const receipts: AckReceipt[] = [];
  const files: AckFile[] = [];
  const counter: BusyCounter = { busy: 0 };
  try {
    // Preparation (not timed): accounts, sign-in, dossier, passport and transcript, choice.
    const admin = await adminSession(base, dataDir);
    const competition = await firstCompetition(base);
    const prepStarted = performance.now();
    await pool(applicants, 16, async (a) => {
      a.session = await prepareApplicant(base, admin, a.email, competition, counter);
    });
    rows.push({
      database: 'pglite',
      measure: `preparation: ${APPLICANTS} accounts, dossiers, 2 small documents each`,
      value: `${Math.round((performance.now() - prepStarted) / 1000)} s`,
    });

    // The burst: applicant i starts at i × (window / n); each uploads the 2 MB diploma and submits.
    const uploadMs: number[] = [];
    const submitMs: number[] = [];
    let errors = 0;
    counter.busy = 0;
    const started = performance.now();
    const spacing = (WINDOW_S * 1000) / APPLICANTS;
    const failures = new Map<string, number>();
    const fail = (why: string) => {
      errors++;
      failures.set(why, (failures.get(why) ?? 0) + 1);
    };
    await Promise.all(
      applicants.map(async (a, i) => {
        await new Promise((r) => setTimeout(r, i * spacing));
        try {
          await burst(a);
        } catch (error) {
          fail([(error as Error).message, (error as NodeJS.ErrnoException).code].filter(Boolean).join(': '));
        }
      }),
    );
    async function burst(a: (typeof applicants)[number]) {
      const session = a.session as Session;
      const form = pdfForm(FILE_BYTES, 'diploma.pdf');
      // A busy server answers 503 with Retry-After at once; the applicant's browser waits and retries.
      let t0 = performance.now();
      const up = await upload(base, session, DIPLOMA_QUERY, form, counter);
      uploadMs.push(performance.now() - t0);
      if (up.status !== 201) {
        fail(`upload ${up.status}`);
        return;
      }
      files.push(ackFile(up, form.sha256));
      const key = randomUUID();
      for (let attempt = 0; attempt < 3; attempt++) {
        t0 = performance.now();
        const res = await call(`${base}/api/v1/me/applications/${CAMPAIGN}/submit`, {
          method: 'POST',
          session,
          headers: { 'idempotency-key': key },
        });
        submitMs.push(performance.now() - t0);
        if (res.status === 201 || res.status === 200) {
          receipts.push(JSON.parse(res.body) as AckReceipt);
          return;
        }
        if (res.status !== 429 && res.status !== 503) {
          fail(`submit ${res.status}`);
          return;
        }
        await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
      }
      fail('submit retries exhausted');
    }
    if (failures.size) console.error('failures:', Object.fromEntries(failures));
    const elapsed = (performance.now() - started) / 1000;
    uploadMs.sort((x, y) => x - y);
    submitMs.sort((x, y) => x - y);
    const f = (x: number) => `${Math.round(x)} ms`;
    rows.push({
      database: 'pglite',
      measure: `burst: ${APPLICANTS} applicants over ${WINDOW_S} s, finished after`,
      value: `${elapsed.toFixed(1)} s, ${errors} errors`,
    });
    rows.push({
      database: 'pglite',
      measure: `upload of a ${(FILE_BYTES / 1048576).toFixed(0)} MB PDF, first try to stored (503 + Retry-After answers: ${counter.busy})`,
      value: `p50 ${f(percentile(uploadMs, 50))}, p99 ${f(percentile(uploadMs, 99))}`,
    });
    rows.push({
      database: 'pglite',
      measure: 'submit (checklist, snapshot, receipt)',
      value: `p50 ${f(percentile(submitMs, 50))}, **p99 ${f(percentile(submitMs, 99))}** (target < 1 s)`,
    });
  } finally {
    await stopServer(server.proc);
  }

  // Verification, on the stopped server's own data.
  const database = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite') });
  try {
    const v = await verifyAcknowledged(database.db, path.join(dataDir, 'blobs'), receipts, files);
    rows.push({ database: 'pglite', measure: 'acknowledged submissions (receipts)', value: String(v.receipts) });
    rows.push({
      database: 'pglite',
      measure: 'receipts without their row, number or snapshot SHA-256',
      value: `**${v.receipts - v.receiptsIntact}**`,
    });
    rows.push({
      database: 'pglite',
      measure: 'uploaded files missing or with another SHA-256 on disk',
      value: `**${v.files - v.filesIntact}**`,
    });
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
