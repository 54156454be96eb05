import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEncryptionKeys } from '../../src/config.js';
import { applications, auditLog, campaigns, documentVersions, universities } from '../../src/db/schema.js';
import { currentConsentText } from '../../src/domain/consent/texts.js';
import { buildApp } from '../../src/server/app.js';
import { keyringOf } from '../../src/server/files/encryption.js';
import { fileKeyStatus, MissingKeysError, rotateFileKeys } from '../../src/server/files/file-keys.service.js';
import { createContext } from '../../src/server/runtime.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { grant, insertAgency } from '../helpers/agency-fixtures.js';
import { multipart } from '../helpers/files.js';
import { Agent, createTestApp, type TestApp } from '../helpers/test-app.js';

// Issue 9, data protection: medical reports are stored encrypted (envelope encryption, keys from
// FILE_ENCRYPTION_KEYS), decrypted on download after their GCM tag checks, and every read is audited.

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const OLD = key('k2025');
const NEW = key('k2026');
const MARKER = `MEDICAL-MARKER-${randomUUID()}`;

/** A small PDF whose text is the marker, so the bytes on disk can be searched for it. */
function medicalPdf(note: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${MARKER} ${note} HIV test negative\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

let t: TestApp;
let applicant: { agent: Agent; userId: string };
let officer: { agent: Agent; userId: string };
let consultant: { agent: Agent; userId: string };
let stranger: { agent: Agent; userId: string };

async function insertUniversity(): Promise<string> {
  const [row] = await t.ctx.db
    .insert(universities)
    .values({ slug: `enc-${randomUUID().slice(0, 8)}`, nameEn: 'Encryption University', nameRu: 'Университет' })
    .returning({ id: universities.id });
  return row?.id as string;
}

async function upload(agent: Agent, url: string, content: Buffer, name = 'report.pdf') {
  const { payload, headers } = multipart(name, content);
  const res = await agent.request({ method: 'POST', url, payload, headers });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function versionRow(documentId: string, version = 1) {
  const [row] = await t.ctx.db
    .select()
    .from(documentVersions)
    .where(and(eq(documentVersions.documentId, documentId), eq(documentVersions.version, version)));
  if (!row) throw new Error('no version row');
  return row;
}

const onDisk = (blobKey: string) => fs.readFileSync(path.join(t.config.dataDir, 'blobs', blobKey));

async function readAudits(documentId: string) {
  return t.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.subjectId, documentId), eq(auditLog.action, 'document.read_special')));
}

beforeAll(async () => {
  t = await createTestApp({ FILE_ENCRYPTION_KEYS: OLD });
  applicant = await t.signedIn('applicant');
  // Medical reports need the applicant's consent to the processing of health data.
  const consent = await applicant.agent.post('/api/v1/me/consents', {
    purpose: 'health_data',
    textVersion: currentConsentText('health_data').version,
  });
  expect(consent.statusCode, consent.body).toBe(201);
  const universityId = await insertUniversity();
  const [campaign] = await t.ctx.db
    .insert(campaigns)
    .values({
      universityId,
      slug: `enc-${randomUUID().slice(0, 8)}`,
      titleEn: 'Campaign',
      titleRu: 'Кампания',
      academicYear: '2026/27',
      level: 'specialist',
    })
    .returning({ id: campaigns.id });
  const now = t.clock.now();
  await t.ctx.db.insert(applications).values({
    applicantId: applicant.userId,
    campaignId: campaign?.id as string,
    status: 'submitted',
    number: `ENC-${randomUUID().slice(0, 8)}`,
    snapshot: {},
    submittedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  officer = await t.signedIn('officer', { universityId });
  stranger = await t.signedIn('officer', { universityId: await insertUniversity() });
  const agencyId = await insertAgency(t, `enc-${randomUUID().slice(0, 6)}`);
  consultant = await t.signedIn('consultant', { agencyId });
  await grant(t, agencyId, applicant.userId, 'act');
});
afterAll(async () => {
  await t.close();
});

describe('special-category documents at rest', () => {
  let medicalId: string;
  let plain: Buffer;

  it('stores a medical report encrypted: the bytes on disk do not contain the plaintext', async () => {
    plain = medicalPdf('v1');
    medicalId = (await upload(applicant.agent, '/api/v1/me/documents?kind=medical_report&issuedOn=2026-05-20', plain))
      .id;
    const row = await versionRow(medicalId);
    expect(row.blobKey).toMatch(/^enc\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
    expect(row.encryption).toMatchObject({ alg: 'aes-256-gcm', keyId: 'k2025' });
    expect(row.sha256).toBe(createHash('sha256').update(plain).digest('hex'));
    expect(row.size).toBe(plain.length);
    const stored = onDisk(row.blobKey);
    expect(stored.includes(Buffer.from(MARKER))).toBe(false);
    expect(stored.includes(Buffer.from('%PDF'))).toBe(false);
    // No plaintext left behind in the upload area.
    const tmp = path.join(t.config.dataDir, 'blobs', 'tmp');
    for (const name of fs.existsSync(tmp) ? fs.readdirSync(tmp) : [])
      expect(fs.readFileSync(path.join(tmp, name)).includes(Buffer.from(MARKER))).toBe(false);
  });

  it('keeps other kinds in clear, content-addressed, and does not audit their reads as special', async () => {
    const passport = Buffer.from(`%PDF-1.4\n% passport ${MARKER}\n%%EOF\n`);
    const { id } = await upload(applicant.agent, '/api/v1/me/documents?kind=passport', passport, 'passport.pdf');
    const row = await versionRow(id);
    expect(row.encryption).toBeNull();
    expect(row.blobKey).toBe(`sha256/${row.sha256.slice(0, 2)}/${row.sha256.slice(2, 4)}/${row.sha256}`);
    expect(onDisk(row.blobKey).equals(passport)).toBe(true);
    const res = await applicant.agent.get(`/api/v1/documents/${id}/versions/1/file`);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(passport)).toBe(true);
    expect(await readAudits(id)).toEqual([]);
  });

  it('gives the applicant and an officer of a university applied to the identical plaintext, each read audited', async () => {
    const before = (await readAudits(medicalId)).length;
    for (const who of [applicant, officer]) {
      const res = await who.agent.get(`/api/v1/documents/${medicalId}/versions/1/file`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.rawPayload.equals(plain)).toBe(true);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-length']).toBe(String(plain.length));
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="report.pdf"/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain('sandbox');
      expect(res.headers['cache-control']).toContain('no-store');
    }
    const audits = await readAudits(medicalId);
    expect(audits.length - before).toBe(2);
    expect(audits.slice(-2).map((a) => a.actorUserId)).toEqual([applicant.userId, officer.userId]);
    for (const a of audits.slice(-2)) {
      expect(a.subjectType).toBe('document');
      expect(a.onBehalfOfUserId).toBeNull();
      expect(a.after).toMatchObject({ version: 1, kind: 'medical_report', ownerId: applicant.userId });
    }
    // An officer of another university still gets 404, and no read is recorded.
    expect((await stranger.agent.get(`/api/v1/documents/${medicalId}/versions/1/file`)).statusCode).toBe(404);
    expect((await readAudits(medicalId)).length).toBe(audits.length);
  });

  it('encrypts a consultant upload and a new version too; the consultant read is audited on the applicant’s behalf', async () => {
    const viaAgency = medicalPdf('agency');
    const { id } = await upload(
      consultant.agent,
      `/api/v1/agency/applicants/${applicant.userId}/documents?kind=medical_report`,
      viaAgency,
    );
    const row = await versionRow(id);
    expect(row.encryption?.keyId).toBe('k2025');
    expect(onDisk(row.blobKey).includes(Buffer.from(MARKER))).toBe(false);
    const res = await consultant.agent.get(
      `/api/v1/agency/applicants/${applicant.userId}/documents/${id}/versions/1/file`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.rawPayload.equals(viaAgency)).toBe(true);
    const [audit] = (await readAudits(id)).slice(-1);
    expect(audit).toMatchObject({ actorUserId: consultant.userId, onBehalfOfUserId: applicant.userId });

    const second = medicalPdf('v2');
    await upload(applicant.agent, `/api/v1/documents/${medicalId}/versions`, second);
    const v2 = await versionRow(medicalId, 2);
    expect(v2.encryption).not.toBeNull();
    expect(v2.blobKey).not.toBe((await versionRow(medicalId, 1)).blobKey);
    const got = await applicant.agent.get(`/api/v1/documents/${medicalId}/versions/2/file`);
    expect(got.rawPayload.equals(second)).toBe(true);
  });

  it('refuses to start while a key that stored files need is not configured, naming it', async () => {
    const config = { ...t.config, fileEncryptionKeys: parseEncryptionKeys(NEW) };
    const attempt = createContext(config, { database: t.ctx.database, clock: t.clock });
    await expect(attempt).rejects.toBeInstanceOf(MissingKeysError);
    await expect(attempt).rejects.toThrow(/key id\(s\) k2025 that FILE_ENCRYPTION_KEYS does not hold; add them back/);
  });

  it('rotates to a new key (idempotent, audited); without the old key the files still decrypt', async () => {
    const both = keyringOf(parseEncryptionKeys(`${NEW},${OLD}`), 'environment');
    const first = await rotateFileKeys(t.ctx.db, t.clock, both, SYSTEM_ACTOR);
    expect(first.total).toBe(3);
    expect(first.rewrapped).toEqual({ k2025: 3 });
    const again = await rotateFileKeys(t.ctx.db, t.clock, both, SYSTEM_ACTOR);
    expect(again.total).toBe(0);
    const rotations = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'file_keys.rotated'));
    expect(rotations.map((r) => r.after)).toEqual([
      { current: 'k2026', rewrapped: { k2025: 3 }, total: 3 },
      { current: 'k2026', rewrapped: {}, total: 0 },
    ]);
    const status = await fileKeyStatus(t.ctx.db, both, ['medical_report']);
    expect(status.keys).toEqual([
      { keyId: 'k2025', files: 0, configured: true, current: false },
      { keyId: 'k2026', files: 3, configured: true, current: true },
    ]);

    // Start again with the new key only: start-up succeeds and the same file downloads.
    const config = { ...t.config, fileEncryptionKeys: parseEncryptionKeys(NEW) };
    const ctx = await createContext(config, { database: t.ctx.database, clock: t.clock });
    const app = await buildApp(ctx);
    try {
      await app.ready();
      const agent = new Agent(app);
      agent.cookies = new Map(applicant.agent.cookies);
      const res = await agent.get(`/api/v1/documents/${medicalId}/versions/1/file`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.rawPayload.equals(plain)).toBe(true);
    } finally {
      await app.close();
      ctx.mailer.close();
    }
  });

  it('answers a tampered file with file_unreadable, no partial body and no read audited', async () => {
    const row = await versionRow(medicalId);
    const file = path.join(t.config.dataDir, 'blobs', row.blobKey);
    const original = fs.readFileSync(file);
    const before = (await readAudits(medicalId)).length;
    const rotated = keyringOf(parseEncryptionKeys(`${NEW},${OLD}`), 'environment');
    t.ctx.fileKeys = rotated;
    try {
      for (const damage of [
        (b: Buffer) => {
          const c = Buffer.from(b);
          c[c.length >> 1] = (c[c.length >> 1] ?? 0) ^ 0x01;
          return c;
        },
        (b: Buffer) => b.subarray(0, b.length - 7),
      ]) {
        fs.writeFileSync(file, damage(original));
        const res = await applicant.agent.get(`/api/v1/documents/${medicalId}/versions/1/file`);
        expect(res.statusCode).toBe(500);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.headers['content-disposition']).toBeUndefined();
        const body = res.json() as Record<string, unknown>;
        expect(body).toMatchObject({ status: 500, code: 'file_unreadable' });
        expect(res.body).not.toContain(MARKER);
        expect(res.body).not.toMatch(/at .*\.(ts|js):\d+|stack/i);
      }
      expect((await readAudits(medicalId)).length).toBe(before);
    } finally {
      fs.writeFileSync(file, original);
    }
    const res = await applicant.agent.get(`/api/v1/documents/${medicalId}/versions/1/file`);
    expect(res.rawPayload.equals(plain)).toBe(true);
  });
});
