/**
 * Scripted applicants against a running `medadmit serve`, shared by the deadline burst
 * (bench/applications.ts) and the reliability suite (test/reliability): HTTP calls that keep the
 * session like a browser, multipart PDF uploads, the preparation of an applicant up to the submit
 * button, set-based cloning of prepared applicants, and the check that every acknowledged receipt
 * and file is in the database and the blob store.
 */
import { createHash, randomFillSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { inArray, sql } from 'drizzle-orm';
import stringify from 'safe-stable-stringify';
import type { Db } from '../src/db/client.js';
import { applications, documentVersions } from '../src/db/schema.js';

/** The demo campaign the scripted applicants apply to (year-round window). */
export const CAMPAIGN = 'bsmu-residency-2026';
export const PASSWORD = 'deadline burst password 2026';

export const DOSSIER = {
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

/** Upload query of the diploma, the document each applicant sends last before submitting. */
export const DIPLOMA_QUERY = 'kind=education_document&relatesTo=mbbs';

export interface PdfForm {
  body: Buffer;
  file: Buffer;
  contentType: string;
  sha256: string;
}

/**
 * A multipart/form-data request body with one part "file": a fresh random PDF of `size` bytes,
 * byte for byte what a browser's FormData sends. Built once per file, in one buffer, and sent
 * again as it is on a retry: the load generator shares the server's two cores, and FormData with
 * a Blob costs it several copies of every file and much garbage collection per attempt.
 */
export function pdfForm(size: number, name: string): PdfForm {
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
  // Random bytes may spell a marker of active content ("<html", "/Launch"…) that the server rightly
  // refuses (about once in 200 runs of 8,000 uploads): no '<' or '/' in the body.
  for (let i = pdfHead.length; i < size - pdfTail.length; i++) {
    const byte = file[i] as number;
    if (byte === 0x3c || byte === 0x2f) file[i] = byte ^ 0x80;
  }
  pdfTail.copy(file, size - pdfTail.length);
  tail.copy(body, head.length + size);
  const sha256 = createHash('sha256').update(file).digest('hex');
  return { body, file, contentType: `multipart/form-data; boundary=${boundary}`, sha256 };
}

export interface Session {
  cookie: string;
  csrf: string;
}

export interface Answer {
  status: number;
  body: string;
  headers: Headers;
}

/**
 * Keep-alive connections without a connect timeout, as a browser has: under overload a connection
 * waits in the server's accept queue instead of failing after fetch's 10 s connect timeout.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

/** One HTTP request with the session's cookie and CSRF token; a broken connection rejects (error.code). */
export async function call(
  url: string,
  init: { method?: string; body?: string | Buffer; headers?: Record<string, string>; session?: Session } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.session) {
    headers.cookie = init.session.cookie;
    headers['x-csrf-token'] = init.session.csrf;
  }
  if (typeof init.body === 'string') headers['content-type'] = 'application/json';
  if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const answer = new Headers();
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          answer.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: answer });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

export function sessionOf(res: Answer): Session {
  return {
    cookie: res.headers.get('set-cookie')?.split(';')[0] ?? '',
    csrf: (JSON.parse(res.body) as { csrfToken: string }).csrfToken,
  };
}

/** Signs in like a browser: a refusal (503/429, sign-ins are admitted a few at a time) is tried again after Retry-After. */
export async function login(base: string, email: string, password: string): Promise<Session> {
  const send = () => call(`${base}/api/v1/auth/login`, { method: 'POST', body: JSON.stringify({ email, password }) });
  let res = await send();
  for (let attempt = 0; (res.status === 503 || res.status === 429) && attempt < 60; attempt++) {
    await new Promise((r) => setTimeout(r, retryDelayMs(res)));
    res = await send();
  }
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.body}`);
  return sessionOf(res);
}

/** Counts the refusals (503/429 with Retry-After) a run of clients received. */
export interface BusyCounter {
  busy: number;
}

/** The wait a refusal asks for, with ±50 % jitter as a browser spreading its retries would. */
export function retryDelayMs(res: Answer): number {
  return Number(res.headers.get('retry-after') ?? 1) * 1000 * (0.5 + Math.random());
}

/** Uploads like a browser that honours 503/429 + Retry-After (with jitter), up to a minute of retries. */
export async function upload(base: string, session: Session, query: string, form: PdfForm, counter?: BusyCounter) {
  const send = () =>
    call(`${base}/api/v1/me/documents?${query}`, {
      method: 'POST',
      body: form.body,
      headers: { 'content-type': form.contentType },
      session,
    });
  let res = await send();
  for (let attempt = 0; (res.status === 503 || res.status === 429) && attempt < 60; attempt++) {
    if (counter) counter.busy++;
    await new Promise((r) => setTimeout(r, retryDelayMs(res)));
    res = await send();
  }
  return res;
}

/** Runs `work` over `items` with at most `size` in progress. */
export async function pool<T>(items: T[], size: number, work: (item: T, i: number) => Promise<void>) {
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

/** Signs in as the demo administrator that `medadmit serve` wrote to DATA_DIR/demo-accounts.json. */
export async function adminSession(base: string, dataDir: string): Promise<Session> {
  const accounts = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8')) as {
    role: string;
    email: string;
    password: string;
  }[];
  const admin = accounts.find((a) => a.role === 'administrator');
  if (!admin) throw new Error('no demo administrator');
  return login(base, admin.email, admin.password);
}

/** The first competition of the demo campaign. */
export async function firstCompetition(base: string): Promise<string> {
  const campaign = JSON.parse((await call(`${base}/api/v1/campaigns/${CAMPAIGN}`)).body) as {
    competitions: { id: string }[];
  };
  const id = campaign.competitions[0]?.id;
  if (!id) throw new Error(`${CAMPAIGN} has no competition`);
  return id;
}

export async function createApplicantAccount(base: string, admin: Session, email: string): Promise<void> {
  const created = await call(`${base}/api/v1/users`, {
    method: 'POST',
    session: admin,
    body: JSON.stringify({ email, password: PASSWORD, fullName: 'Chidera Okafor', role: 'applicant' }),
  });
  if (created.status !== 201) throw new Error(`create ${email}: ${created.status} ${created.body}`);
}

/**
 * Everything before the deadline: account, sign-in, dossier, passport and transcript (small PDFs),
 * choice of the campaign's first competition. What is left is the diploma and the submit button.
 */
export async function prepareApplicant(
  base: string,
  admin: Session,
  email: string,
  competition: string,
  counter?: BusyCounter,
): Promise<Session> {
  await createApplicantAccount(base, admin, email);
  const session = await login(base, email, PASSWORD);
  const saved = await call(`${base}/api/v1/me/dossier`, { method: 'PUT', session, body: JSON.stringify(DOSSIER) });
  if (saved.status !== 200) throw new Error(`dossier: ${saved.status} ${saved.body}`);
  for (const [query, name] of [
    ['kind=passport', 'passport.pdf'],
    ['kind=transcript&relatesTo=mbbs', 'transcript.pdf'],
  ] as const) {
    const res = await upload(base, session, query, pdfForm(20_000, name), counter);
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${res.body}`);
  }
  const chosen = await call(`${base}/api/v1/me/applications/${CAMPAIGN}/choices`, {
    method: 'PUT',
    session,
    body: JSON.stringify({ competitions: [competition] }),
  });
  if (chosen.status !== 200) throw new Error(`choices: ${chosen.status} ${chosen.body}`);
  return session;
}

/**
 * Copies one prepared applicant (see prepareApplicant) to new accounts with the given e-mails, in a
 * few set-based statements: the account (same password), the dossier, the documents with their
 * versions (the same blobs) and the draft application with its choices. For load runs whose
 * population is too large to prepare through the API in the time a test may take; no audit rows
 * are written for the copies.
 */
export async function cloneApplicant(db: Db, templateEmail: string, emails: string[]): Promise<void> {
  const list = JSON.stringify(emails);
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into users (email, password_hash, full_name, role, locale, email_verified_at, created_at, updated_at)
      select e.email, t.password_hash, t.full_name, t.role, t.locale, t.email_verified_at, now(), now()
      from users t, json_array_elements_text(${list}::json) as e(email)
      where lower(t.email) = lower(${templateEmail})`);
    await tx.execute(sql`
      with t as (select id from users where lower(email) = lower(${templateEmail})),
        c as (select id from users where email in (select json_array_elements_text(${list}::json)))
      insert into dossiers (user_id, data, updated_at)
      select c.id, d.data, d.updated_at from c, dossiers d where d.user_id = (select id from t)`);
    await tx.execute(sql`
      with t as (select id from users where lower(email) = lower(${templateEmail})),
        c as (select id from users where email in (select json_array_elements_text(${list}::json)))
      insert into documents (owner_id, kind, relates_to, issued_on, status, current_version, created_at, updated_at)
      select c.id, d.kind, d.relates_to, d.issued_on, d.status, d.current_version, d.created_at, d.updated_at
      from c, documents d where d.owner_id = (select id from t)`);
    await tx.execute(sql`
      with t as (select id from users where lower(email) = lower(${templateEmail})),
        c as (select id from users where email in (select json_array_elements_text(${list}::json)))
      insert into document_versions (document_id, version, blob_key, sha256, size, media_type, file_name, width,
        height, uploaded_by, uploaded_at)
      select nd.id, v.version, v.blob_key, v.sha256, v.size, v.media_type, v.file_name, v.width, v.height,
        nd.owner_id, v.uploaded_at
      from c join documents nd on nd.owner_id = c.id
        join documents td on td.owner_id = (select id from t) and td.kind = nd.kind
          and td.relates_to is not distinct from nd.relates_to
        join document_versions v on v.document_id = td.id`);
    await tx.execute(sql`
      with t as (select id from users where lower(email) = lower(${templateEmail})),
        c as (select id from users where email in (select json_array_elements_text(${list}::json)))
      insert into applications (applicant_id, campaign_id, status, created_at, updated_at)
      select c.id, a.campaign_id, 'draft', a.created_at, a.updated_at
      from c, applications a where a.applicant_id = (select id from t) and a.status = 'draft'`);
    await tx.execute(sql`
      with t as (select id from users where lower(email) = lower(${templateEmail})),
        c as (select id from users where email in (select json_array_elements_text(${list}::json)))
      insert into application_choices (application_id, competition_id, priority)
      select na.id, ch.competition_id, ch.priority
      from c join applications na on na.applicant_id = c.id
        join applications ta on ta.applicant_id = (select id from t) and ta.campaign_id = na.campaign_id
        join application_choices ch on ch.application_id = ta.id`);
  });
}

/** What a client was told: a receipt (2xx to submit) or a stored file (201 to an upload). */
export interface AckReceipt {
  applicationId: string;
  number: string;
  snapshotSha256: string;
}
export interface AckFile {
  documentId: string;
  version: number;
  sha256: string;
}

export function ackFile(res: Answer, sha256: string): AckFile {
  const doc = JSON.parse(res.body) as { id: string; currentVersion: number };
  return { documentId: doc.id, version: doc.currentVersion, sha256 };
}

export interface Verification {
  receipts: number;
  /** Rows present as submitted with the receipt's number and the SHA-256 of their snapshot. */
  receiptsIntact: number;
  files: number;
  /** Versions present with the sent SHA-256 whose blob on disk hashes to it. */
  filesIntact: number;
  problems: string[];
}

/**
 * Checks every acknowledged receipt against its row (number, status, SHA-256 of the stored
 * snapshot) and every acknowledged file against its version row and the bytes in the blob store.
 */
export async function verifyAcknowledged(
  db: Db,
  blobRoot: string,
  receipts: AckReceipt[],
  files: AckFile[],
): Promise<Verification> {
  const problems: string[] = [];
  let receiptsIntact = 0;
  for (let i = 0; i < receipts.length; i += 1000) {
    const chunk = receipts.slice(i, i + 1000);
    const rows = await db
      .select()
      .from(applications)
      .where(
        inArray(
          applications.id,
          chunk.map((r) => r.applicationId),
        ),
      );
    const byId = new Map(rows.map((a) => [a.id, a]));
    for (const r of chunk) {
      const row = byId.get(r.applicationId);
      const sha = row
        ? createHash('sha256')
            .update(stringify(row.snapshot) ?? '')
            .digest('hex')
        : '';
      if (row && row.number === r.number && row.status === 'submitted' && sha === r.snapshotSha256) receiptsIntact++;
      else problems.push(`receipt ${r.number} (${r.applicationId}): ${row ? `${row.status} ${row.number}` : 'no row'}`);
    }
  }
  let filesIntact = 0;
  for (let i = 0; i < files.length; i += 1000) {
    const chunk = files.slice(i, i + 1000);
    const rows = await db
      .select()
      .from(documentVersions)
      .where(
        inArray(
          documentVersions.documentId,
          chunk.map((f) => f.documentId),
        ),
      );
    const byKey = new Map(rows.map((v) => [`${v.documentId}/${v.version}`, v]));
    for (const f of chunk) {
      const row = byKey.get(`${f.documentId}/${f.version}`);
      let onDisk = '';
      if (row) {
        try {
          onDisk = createHash('sha256')
            .update(fs.readFileSync(path.join(blobRoot, row.blobKey)))
            .digest('hex');
        } catch {
          onDisk = 'missing';
        }
      }
      if (row && row.sha256 === f.sha256 && onDisk === f.sha256) filesIntact++;
      else problems.push(`file ${f.documentId}/${f.version}: ${row ? `row ${row.sha256}, disk ${onDisk}` : 'no row'}`);
    }
  }
  return { receipts: receipts.length, receiptsIntact, files: files.length, filesIntact, problems };
}
