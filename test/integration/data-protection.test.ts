import fs from 'node:fs';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agencyNotes,
  applications,
  auditLog,
  consents,
  documents,
  documentVersions,
  dossiers,
  users,
} from '../../src/db/schema.js';
import { currentConsentText } from '../../src/domain/consent/texts.js';
import { eraseExpired, runDailyErasure } from '../../src/server/privacy/erasure.service.js';
import { admit, insertAgency } from '../helpers/agency-fixtures.js';
import { allocationCampaign, PROGRAMS, submittedApplicants } from '../helpers/allocation-fixtures.js';
import { giveHealthConsent } from '../helpers/consent.js';
import { SCORED_DOSSIER } from '../helpers/dossier-fixtures.js';
import { multipart, pdfBytes } from '../helpers/files.js';
import { type Agent, createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

// Issue 9, data protection: a person's machine-readable export, consent records for health data,
// and erasure after the retention period leaving a tombstone audit row.

let t: TestApp;
const DAY = 86_400_000;
const VERSION = currentConsentText('health_data').version;

beforeAll(async () => {
  t = await createTestApp({ RETENTION_DAYS: '1095' });
});
afterAll(async () => {
  await t.close();
});

async function upload(agent: Agent, url: string, content: Buffer) {
  const { payload, headers } = multipart('file.pdf', content);
  return agent.request({ method: 'POST', url, payload, headers });
}

const medicalUrl = '/api/v1/me/documents?kind=medical_report&issuedOn=2026-05-20';

async function person(name: string, passport: string) {
  const signed = await t.signedIn('applicant');
  expect((await signed.agent.patch('/api/v1/me', { fullName: name })).statusCode).toBe(200);
  const saved = await signed.agent.request({
    method: 'PUT',
    url: '/api/v1/me/dossier',
    payload: { ...SCORED_DOSSIER, passport: { ...SCORED_DOSSIER.passport, number: passport } },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  return signed;
}

async function blobKeysOf(ownerId: string): Promise<string[]> {
  const rows = await t.ctx.db
    .select({ key: documentVersions.blobKey })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(eq(documents.ownerId, ownerId));
  return rows.map((r) => r.key);
}

const blobExists = (key: string) => fs.existsSync(path.join(t.config.dataDir, 'blobs', key));

describe('personal data export', () => {
  it("contains the person's data and nothing of another person", async () => {
    const amina = await person('Amina Exportova', 'AEXPORT001');
    const boris = await person('Boris Otherson', 'BOTHER0002');
    expect((await upload(amina.agent, '/api/v1/me/documents?kind=passport', pdfBytes())).statusCode).toBe(201);
    await giveHealthConsent(amina.agent);
    expect((await upload(amina.agent, medicalUrl, pdfBytes())).statusCode).toBe(201);
    expect((await upload(boris.agent, '/api/v1/me/documents?kind=passport', pdfBytes())).statusCode).toBe(201);

    // An administrator exports for Amina on her request (audited); Boris may not.
    const admin = await t.signedIn('administrator');
    const byAdmin = await admin.agent.get(`/api/v1/users/${amina.userId}/export`);
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect((await boris.agent.get(`/api/v1/users/${amina.userId}/export`)).statusCode).toBe(404);

    const res = await amina.agent.get('/api/v1/me/export');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="medadmit-personal-data-.*\.json"$/);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const data = res.json();
    expect(data.account).toMatchObject({ id: amina.userId, email: amina.email, fullName: 'Amina Exportova' });
    expect(data.dossier.data.passport.number).toBe('AEXPORT001');
    expect(data.documents.map((d: { kind: string }) => d.kind).sort()).toEqual(['medical_report', 'passport']);
    expect(data.documents[0].versions[0].downloadUrl).toMatch(/^\/api\/v1\/documents\/.+\/versions\/1\/file$/);
    expect(data.consents).toHaveLength(1);
    expect(data.consents[0]).toMatchObject({ purpose: 'health_data', textVersion: VERSION, ip: '127.0.0.1' });
    expect(data.sessions.length).toBeGreaterThan(0);
    const actions = data.audit.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['dossier.created', 'document.uploaded', 'consent.given']));
    // The administrator's export is in Amina's log by the administrator's name, never their id.
    expect(data.audit).toContainEqual(
      expect.objectContaining({ action: 'person.exported', actor: { kind: 'staff', name: 'Test administrator' } }),
    );

    const text = res.body;
    expect(text).not.toMatch(/passwordHash|\$argon2/);
    for (const foreign of [boris.userId, boris.email, 'Boris Otherson', 'BOTHER0002', admin.userId, admin.email]) {
      expect(text, `export contains ${foreign}`).not.toContain(foreign);
    }
  });
});

describe('consent to the processing of health data', () => {
  it('is required for a medical report, recorded with version, hash and time, and can be withdrawn', async () => {
    const carla = await person('Carla Consent', 'CCONSENT03');
    const shown = await carla.agent.get('/api/v1/consents/health_data');
    expect(shown.statusCode).toBe(200);
    const text = shown.json();
    expect(text).toMatchObject({ purpose: 'health_data', version: VERSION, current: true, locale: 'en' });
    const ru = (await carla.agent.get('/api/v1/consents/health_data?locale=ru')).json();
    expect(ru.body).toMatch(/[А-Яа-я]/);
    expect(ru.textSha256).not.toBe(text.textSha256);

    const refused = await upload(carla.agent, medicalUrl, pdfBytes());
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('health_consent_required');
    // Other documents need no consent.
    expect((await upload(carla.agent, '/api/v1/me/documents?kind=passport', pdfBytes())).statusCode).toBe(201);

    const outdated = await carla.agent.post('/api/v1/me/consents', { purpose: 'health_data', textVersion: 'v0' });
    expect(outdated.statusCode).toBe(400);
    const given = await carla.agent.post('/api/v1/me/consents', { purpose: 'health_data', textVersion: VERSION });
    expect(given.statusCode, given.body).toBe(201);
    const consent = given.json();
    expect(consent).toMatchObject({
      purpose: 'health_data',
      textVersion: VERSION,
      textSha256: text.textSha256,
      locale: 'en',
      givenAt: t.clock.now().toISOString(),
      withdrawnAt: null,
      active: true,
    });
    const again = await carla.agent.post('/api/v1/me/consents', { purpose: 'health_data', textVersion: VERSION });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(consent.id);

    const report = await upload(carla.agent, medicalUrl, pdfBytes());
    expect(report.statusCode, report.body).toBe(201);

    // Nobody else can withdraw it.
    const other = await t.signedIn('applicant');
    expect((await other.agent.post(`/api/v1/me/consents/${consent.id}/withdraw`, {})).statusCode).toBe(404);

    t.clock.advance(60_000);
    const withdrawn = await carla.agent.post(`/api/v1/me/consents/${consent.id}/withdraw`, {});
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ active: false, withdrawnAt: t.clock.now().toISOString() });
    const after = await upload(carla.agent, medicalUrl, pdfBytes());
    expect(after.statusCode).toBe(409);
    expect(after.json().code).toBe('health_consent_required');
    const version = await upload(carla.agent, `/api/v1/documents/${report.json().id}/versions`, pdfBytes());
    expect(version.statusCode).toBe(409);

    const list = (await carla.agent.get('/api/v1/me/consents')).json();
    expect(list.items).toEqual([expect.objectContaining({ id: consent.id, active: false })]);
    const [row] = await t.ctx.db.select().from(consents).where(eq(consents.id, consent.id));
    expect(row).toMatchObject({ userId: carla.userId, textVersion: VERSION, ip: '127.0.0.1', locale: 'en' });
    const audited = await t.ctx.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, 'consent'), eq(auditLog.subjectId, consent.id)));
    expect(audited.map((a) => a.action)).toEqual(['consent.given', 'consent.withdrawn']);
  });
});

describe('erasure after the retention period', () => {
  it('erases inactive applicants, leaves a tombstone audit row, spares the admitted and the active', async () => {
    const start = t.clock.now();
    const fixture = await allocationCampaign(t, 'erasure-test', [
      { program: PROGRAMS[0], funding: 'contract', seats: 3 },
    ]);
    const [dana, olga, eve] = await submittedApplicants(t, fixture, [
      { name: 'Dana Gone', language: 80, specialty: 80, choices: [0] },
      { name: 'Olga Admitted', language: 80, specialty: 80, choices: [0] },
      { name: 'Eve Active', language: 80, specialty: 80, choices: [0] },
    ]);
    if (!dana || !olga || !eve) throw new Error('fixture');
    await admit(t, fixture, olga, 0, { createdAt: start, status: 'confirmed' });
    // All three sign in now; Dana uploads a passport (the same file as Eve's) and a medical report.
    const danaAgent = await dana.signIn();
    const eveAgent = await eve.signIn();
    await olga.signIn();
    await danaAgent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: SCORED_DOSSIER });
    const shared = pdfBytes();
    expect((await upload(danaAgent, '/api/v1/me/documents?kind=passport', shared)).statusCode).toBe(201);
    expect((await upload(eveAgent, '/api/v1/me/documents?kind=passport', shared)).statusCode).toBe(201);
    await giveHealthConsent(danaAgent);
    expect((await upload(danaAgent, medicalUrl, pdfBytes())).statusCode).toBe(201);
    const agencyId = await insertAgency(t, `erasure-${dana.userId.slice(0, 6)}`);
    await t.ctx.db.insert(agencyNotes).values({
      agencyId,
      applicantId: dana.userId,
      body: 'Dana called about her visa',
      authorId: eve.userId,
      createdAt: start,
    });
    const danaKeys = await blobKeysOf(dana.userId);
    const [sharedKey] = await blobKeysOf(eve.userId);
    expect(danaKeys).toHaveLength(2);
    expect(danaKeys.every(blobExists)).toBe(true);
    const danaAuditBefore = await t.ctx.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.actorUserId, dana.userId));

    // Three years and a few days later Eve signs in again; Dana and Olga do not.
    t.clock.set(new Date(start.getTime() + 1100 * DAY));
    await eve.signIn();

    const dry = await eraseExpired(t.ctx, { dryRun: true });
    const due = dry.people.map((p) => p.userId);
    expect(due).toContain(dana.userId);
    expect(due).not.toContain(olga.userId);
    expect(due).not.toContain(eve.userId);
    expect(dry.people.find((p) => p.userId === dana.userId)?.counts).toMatchObject({ documents: 2, dossier: 1 });
    // The dry run changed nothing.
    const [danaAfterDry] = await t.ctx.db.select().from(users).where(eq(users.id, dana.userId));
    expect(danaAfterDry).toMatchObject({ email: dana.email, erasedAt: null, disabledAt: null });
    expect(await blobKeysOf(dana.userId)).toHaveLength(2);
    expect(await t.ctx.db.select().from(dossiers).where(eq(dossiers.userId, dana.userId))).toHaveLength(1);
    expect(await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'person.erased'))).toHaveLength(0);

    const run = await eraseExpired(t.ctx, { dryRun: false });
    expect(run.people.find((p) => p.userId === dana.userId)?.counts).toMatchObject({
      documents: 2,
      versions: 2,
      files: 1,
      dossier: 1,
      applicationSnapshots: 1,
      consents: 1,
      agencyNotes: 1,
    });
    const [tomb] = await t.ctx.db.select().from(users).where(eq(users.id, dana.userId));
    expect(tomb).toMatchObject({ email: `erased-${dana.userId}@invalid`, fullName: 'Erased' });
    expect(tomb?.erasedAt).not.toBeNull();
    expect(tomb?.disabledAt).not.toBeNull();
    expect(await blobKeysOf(dana.userId)).toEqual([]);
    expect(await t.ctx.db.select().from(dossiers).where(eq(dossiers.userId, dana.userId))).toEqual([]);
    const [app] = await t.ctx.db.select().from(applications).where(eq(applications.id, dana.applicationId));
    expect(app).toMatchObject({ snapshot: null, number: dana.number, status: 'submitted' });
    const [consent] = await t.ctx.db.select().from(consents).where(eq(consents.userId, dana.userId));
    expect(consent?.ip).toBeNull();
    expect(await t.ctx.db.select().from(agencyNotes).where(eq(agencyNotes.applicantId, dana.userId))).toEqual([]);
    // Her medical report's file is gone; the passport file Eve also uploaded stays.
    expect(danaKeys.filter((k) => k !== sharedKey).some(blobExists)).toBe(false);
    expect(blobExists(sharedKey as string)).toBe(true);
    // One tombstone audit row with counts only; the audit rows about her stay.
    const tombstones = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.erased'), eq(auditLog.subjectId, dana.userId)));
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]?.actorUserId).toBeNull();
    const tombText = JSON.stringify(tombstones[0]);
    for (const personal of [dana.email, 'Dana', 'Bello', 'A12345678']) expect(tombText).not.toContain(personal);
    const danaAuditAfter = await t.ctx.db
      .select({ id: auditLog.id })
      .from(auditLog)
      .where(eq(auditLog.actorUserId, dana.userId));
    expect(danaAuditAfter.map((a) => a.id)).toEqual(expect.arrayContaining(danaAuditBefore.map((a) => a.id)));
    // She can no longer sign in, and nobody else was touched.
    const login = await t.agent().post('/api/v1/auth/login', { email: dana.email, password: TEST_PASSWORD });
    expect(login.statusCode).toBe(401);
    const spared = await t.ctx.db
      .select()
      .from(users)
      .where(inArray(users.id, [olga.userId, eve.userId]));
    expect(spared.map((u) => u.erasedAt)).toEqual([null, null]);
    expect(spared.map((u) => u.fullName).sort()).toEqual(['Eve Active', 'Olga Admitted']);

    // A second run the same day, and the server's daily run twice, erase nobody else of these.
    expect((await eraseExpired(t.ctx, { dryRun: false })).people.map((p) => p.userId)).not.toContain(dana.userId);
    await runDailyErasure(t.ctx);
    expect(await runDailyErasure(t.ctx)).toBeNull();
  });

  it('erases one person now on request, refusing while they have an active admission', async () => {
    const fixture = await allocationCampaign(t, 'erasure-request', [
      { program: PROGRAMS[1], funding: 'contract', seats: 3 },
    ]);
    const [admitted, asking] = await submittedApplicants(t, fixture, [
      { name: 'Ivan Admitted', language: 80, specialty: 80, choices: [0] },
      { name: 'Rosa Asking', language: 80, specialty: 80, choices: [0] },
    ]);
    if (!admitted || !asking) throw new Error('fixture');
    await admit(t, fixture, admitted, 0, { createdAt: t.clock.now(), status: 'offered' });
    const askingAgent = await asking.signIn();
    expect((await upload(askingAgent, '/api/v1/me/documents?kind=passport', pdfBytes())).statusCode).toBe(201);
    const [key] = await blobKeysOf(asking.userId);

    const admin = await t.signedIn('administrator');
    const refused = await admin.agent.post(`/api/v1/users/${admitted.userId}/erase`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'erasure_blocked', errors: [{ code: 'active_admission' }] });
    expect((await askingAgent.post(`/api/v1/users/${asking.userId}/erase`, {})).statusCode).toBe(403);

    const erased = await admin.agent.post(`/api/v1/users/${asking.userId}/erase`, {});
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().counts).toMatchObject({ documents: 1, files: 1, applicationSnapshots: 1 });
    expect(blobExists(key as string)).toBe(false);
    // Erasure ended her session at once.
    expect((await askingAgent.get('/api/v1/me')).statusCode).toBe(401);
    const [entry] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'person.erased'), eq(auditLog.subjectId, asking.userId)));
    expect(entry).toMatchObject({ actorUserId: admin.userId, after: expect.objectContaining({ trigger: 'request' }) });
    const again = await admin.agent.post(`/api/v1/users/${asking.userId}/erase`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([expect.objectContaining({ code: 'already_erased' })]);
  });
});
