/**
 * Deadline burst (issue 4): 2,000 applicants each upload a 2 MB PDF and submit within 60 s, against
 * `medadmit serve` on PGlite in a child process. Then every receipt is checked against the database
 * (its row, the snapshot's SHA-256) and every uploaded file against the blob store (SHA-256 of the
 * bytes sent). Accounts, dossiers and the small documents are prepared before the clock starts.
 * Argon2 runs with 1 MiB of memory here: sign-in is not what this measures.
 */
import { createHash, randomFillSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import stringify from 'safe-stable-stringify';
import { openDatabase } from '../src/db/client.js';
import { applications, documents, documentVersions } from '../src/db/schema.js';
import type { Row } from './run.js';
import { percentile, startServer, stopServer } from './server.js';

const APPLICANTS = Number(process.env.BENCH_APPLICANTS ?? 2000);
const WINDOW_S = Number(process.env.BENCH_WINDOW_SECONDS ?? 60);
const FILE_BYTES = Number(process.env.BENCH_FILE_BYTES ?? 2 * 1024 * 1024);
const CAMPAIGN = 'bsmu-residency-2026';
const PASSWORD = 'deadline burst password 2026';

/**
 * A multipart/form-data request body with one part "file": a fresh random PDF of `size` bytes,
 * byte for byte what a browser's FormData sends. Built once per file, in one buffer, and sent
 * again as it is on a retry: the load generator shares the server's two cores, and FormData with
 * a Blob costs it several copies of every file and much garbage collection per attempt.
 */
function pdfForm(size: number, name: string): { body: Buffer; file: Buffer; contentType: string } {
  const boundary = `----MedAdmitBench${randomUUID().replaceAll('-', '')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.allocUnsafe(head.length + size + tail.length);
  head.copy(body, 0);
  const file = body.subarray(head.length, head.length + size);
  const pdfHead = Buffer.from('%PDF-1.4\n%');
  const pdfTail = Buffer.from('\n%%EOF\n');
  pdfHead.copy(file, 0);
  randomFillSync(file, pdfHead.length, size - pdfHead.length - pdfTail.length);
  pdfTail.copy(file, size - pdfTail.length);
  tail.copy(body, head.length + size);
  return { body, file, contentType: `multipart/form-data; boundary=${boundary}` };
}

interface Session {
  cookie: string;
  csrf: string;
}

async function call(url: string, init: RequestInit & { session?: Session } = {}) {
  const headers = new Headers(init.headers);
  if (init.session) {
    headers.set('cookie', init.session.cookie);
    headers.set('x-csrf-token', init.session.csrf);
  }
  if (typeof init.body === 'string') headers.set('content-type', 'application/json');
  const res = await fetch(url, { ...init, headers });
  const text = await res.text();
  return { status: res.status, body: text, headers: res.headers };
}

async function login(base: string, email: string, password: string): Promise<Session> {
  const res = await call(`${base}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.body}`);
  return {
    cookie: res.headers.get('set-cookie')?.split(';')[0] ?? '',
    csrf: (JSON.parse(res.body) as { csrfToken: string }).csrfToken,
  };
}

let busyAnswers = 0;

/** Uploads like a browser that honours 503/429 + Retry-After (with jitter), up to a minute of retries. */
async function upload(base: string, session: Session, query: string, form: ReturnType<typeof pdfForm>) {
  const send = () =>
    call(`${base}/api/v1/me/documents?${query}`, {
      method: 'POST',
      body: form.body,
      headers: { 'content-type': form.contentType },
      session,
    });
  let res = await send();
  for (let attempt = 0; (res.status === 503 || res.status === 429) && attempt < 60; attempt++) {
    busyAnswers++;
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000 * (0.5 + Math.random())));
    res = await send();
  }
  return res;
}

async function pool<T>(items: T[], size: number, work: (item: T, i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i] as T, i);
      }
    }),
  );
}

const DOSSIER = {
  latinName: { surname: 'Okafor', givenNames: 'Chidera' },
  citizenship: 'NG',
  category: 'contract',
  passport: { number: 'B7654321', issuingCountry: 'NG', issuedOn: '2023-01-01', expiresOn: '2033-01-01' },
  education: [
    {
      id: 'mbbs',
      institution: 'University of Ibadan',
      country: 'NG',
      level: 'medical_degree',
      field: 'general_medicine',
      title: 'MBBS',
      documentLanguage: 'en',
    },
  ],
};

export async function benchApplications(): Promise<Row[]> {
  const rows: Row[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-bench-burst-'));
  const server = await startServer({
    DATA_DIR: dataDir,
    ARGON2_MEMORY_KIB: '1024',
    UPLOAD_MAX_BYTES: String(10 * 1024 * 1024),
  });
  const base = server.url;
  const applicants: { email: string; session?: Session; competition?: string }[] = Array.from(
    { length: APPLICANTS },
    (_, i) => ({
      email: `burst-${i}@bench.example`,
    }),
  );
  const sent = new Map<
    string,
    { sha256: string; receipt?: { number: string; snapshotSha256: string; applicationId: string } }
  >();
  try {
    // Preparation (not timed): accounts, sign-in, dossier, passport and transcript, choice.
    const accounts = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as {
      role: string;
      email: string;
      password: string;
    }[];
    const adminAccount = accounts.find((a) => a.role === 'administrator');
    if (!adminAccount) throw new Error('no demo administrator');
    const admin = await login(base, adminAccount.email, adminAccount.password);
    const campaign = JSON.parse((await call(`${base}/api/v1/campaigns/${CAMPAIGN}`)).body) as {
      competitions: { id: string }[];
    };
    const competition = campaign.competitions[0]?.id;
    const prepStarted = performance.now();
    await pool(applicants, 16, async (a) => {
      const created = await call(`${base}/api/v1/users`, {
        method: 'POST',
        session: admin,
        body: JSON.stringify({ email: a.email, password: PASSWORD, fullName: 'Chidera Okafor', role: 'applicant' }),
      });
      if (created.status !== 201) throw new Error(`create ${a.email}: ${created.status} ${created.body}`);
      a.session = await login(base, a.email, PASSWORD);
      const saved = await call(`${base}/api/v1/me/dossier`, {
        method: 'PUT',
        session: a.session,
        body: JSON.stringify(DOSSIER),
      });
      if (saved.status !== 200) throw new Error(`dossier: ${saved.status} ${saved.body}`);
      for (const [query, name] of [
        ['kind=passport', 'passport.pdf'],
        ['kind=transcript&relatesTo=mbbs', 'transcript.pdf'],
      ]) {
        const res = await upload(base, a.session, query as string, pdfForm(20_000, name as string));
        if (res.status !== 201) throw new Error(`upload: ${res.status} ${res.body}`);
      }
      const chosen = await call(`${base}/api/v1/me/applications/${CAMPAIGN}/choices`, {
        method: 'PUT',
        session: a.session,
        body: JSON.stringify({ competitions: [competition] }),
      });
      if (chosen.status !== 200) throw new Error(`choices: ${chosen.status} ${chosen.body}`);
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
    busyAnswers = 0;
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
          const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
          fail([(error as Error).message, cause?.code ?? cause?.message].filter(Boolean).join(': '));
        }
      }),
    );
    async function burst(a: (typeof applicants)[number]) {
      const session = a.session as Session;
      const form = pdfForm(FILE_BYTES, 'diploma.pdf');
      const sha256 = createHash('sha256').update(form.file).digest('hex');
      // A busy server answers 503 with Retry-After at once; the applicant's browser waits and retries.
      let t0 = performance.now();
      const up = await upload(base, session, 'kind=education_document&relatesTo=mbbs', form);
      uploadMs.push(performance.now() - t0);
      if (up.status !== 201) {
        fail(`upload ${up.status}`);
        return;
      }
      sent.set(a.email, { sha256 });
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
          (sent.get(a.email) as { receipt?: unknown }).receipt = JSON.parse(res.body);
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
      measure: `upload of a ${(FILE_BYTES / 1048576).toFixed(0)} MB PDF, first try to stored (503 + Retry-After answers: ${busyAnswers})`,
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
    const receipts = [...sent.values()].filter((s) => s.receipt);
    const stored = await database.db
      .select()
      .from(applications)
      .where(
        inArray(
          applications.id,
          receipts.map((r) => r.receipt?.applicationId ?? ''),
        ),
      );
    const byId = new Map(stored.map((a) => [a.id, a]));
    let lost = 0;
    let fileMismatch = 0;
    for (const s of receipts) {
      const row = byId.get(s.receipt?.applicationId ?? '');
      const snapshotSha = row
        ? createHash('sha256')
            .update(stringify(row.snapshot) ?? '')
            .digest('hex')
        : '';
      if (
        !row ||
        row.number !== s.receipt?.number ||
        row.status !== 'submitted' ||
        snapshotSha !== s.receipt?.snapshotSha256
      )
        lost++;
    }
    const diplomas = await database.db
      .select({ sha256: documentVersions.sha256, blobKey: documentVersions.blobKey })
      .from(documentVersions)
      .innerJoin(documents, eq(documents.id, documentVersions.documentId))
      .where(eq(documents.kind, 'education_document'));
    const storedShas = new Set(diplomas.map((d) => d.sha256));
    for (const d of diplomas) {
      const onDisk = createHash('sha256')
        .update(fs.readFileSync(path.join(dataDir, 'blobs', d.blobKey)))
        .digest('hex');
      if (onDisk !== d.sha256) fileMismatch++;
    }
    const missingFiles = [...sent.values()].filter((s) => !storedShas.has(s.sha256)).length;
    rows.push({ database: 'pglite', measure: 'acknowledged submissions (receipts)', value: String(receipts.length) });
    rows.push({
      database: 'pglite',
      measure: 'receipts without their row, number or snapshot SHA-256',
      value: `**${lost}**`,
    });
    rows.push({
      database: 'pglite',
      measure: 'uploaded files missing or with another SHA-256 on disk',
      value: `**${missingFiles + fileMismatch}**`,
    });
  } finally {
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
