import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import stringify from 'safe-stable-stringify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, universities } from '../../src/db/schema.js';
import { seedDemoCampaigns, seedDemoCatalog } from '../../src/seed/demo.js';
import { multipart, pdfBytes, pngBytes } from '../helpers/files.js';
import { type Agent, createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp({ UPLOAD_MAX_BYTES: String(300 * 1024) });
  await seedDemoCatalog(t.ctx);
  await seedDemoCampaigns(t.ctx);
  for (const u of await t.ctx.db.select().from(universities)) ids[u.slug] = u.id;
  t.clock.set(new Date('2026-07-01T09:00:00Z')); // inside KazNMU's 20 June – 20 July window (S2-3)
});
afterAll(async () => {
  await t.close();
});

const KAZNMU = 'kaznmu-residency-2026';

function dossier(overrides: Record<string, unknown> = {}) {
  return {
    latinName: { surname: 'Bello', givenNames: 'Amina' },
    cyrillicName: { surname: 'Белло', givenNames: 'Амина', patronymic: null },
    dateOfBirth: '1996-03-14',
    citizenship: 'NG',
    category: 'contract',
    passport: { number: 'A12345678', issuingCountry: 'NG', issuedOn: '2022-01-10', expiresOn: '2032-01-09' },
    education: [
      {
        id: 'mbbs',
        institution: 'University of Lagos',
        country: 'NG',
        level: 'medical_degree',
        field: 'general_medicine',
        title: 'MBBS',
        startedOn: '2014-09-01',
        finishedOn: '2020-07-30',
        documentLanguage: 'en',
        grade: { value: 4.1, min: 0, pass: 1.5, max: 5 },
      },
    ],
    internship: { completed: true, institution: 'Lagos University Teaching Hospital', finishedOn: '2021-08-01' },
    ...overrides,
  };
}

async function upload(agent: Agent, query: string, file: Buffer, name: string) {
  const { payload, headers } = multipart(name, file);
  return agent.request({ method: 'POST', url: `/api/v1/me/documents?${query}`, payload, headers });
}

/** An applicant with a complete KazNMU residency file. */
async function readyApplicant() {
  const a = await t.signedIn('applicant');
  expect((await a.agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: dossier() })).statusCode).toBe(
    200,
  );
  for (const [query, name] of [
    ['kind=passport', 'passport.pdf'],
    ['kind=education_document&relatesTo=mbbs', 'diploma.pdf'],
    ['kind=transcript&relatesTo=mbbs', 'transcript.pdf'],
    ['kind=internship_certificate', 'internship.pdf'],
  ] as const) {
    expect((await upload(a.agent, query, pdfBytes(), name)).statusCode).toBe(201);
  }
  return a;
}

async function competitionIds(slug: string, programs: string[]) {
  const campaign = (await t.agent().get(`/api/v1/campaigns/${slug}`)).json();
  return programs.map(
    (p) => campaign.competitions.find((c: { program: { slug: string } }) => c.program.slug === p).id as string,
  );
}

describe('dossier', () => {
  it('saves the dossier and shows the documented 5-point conversion', async () => {
    const { agent } = await t.signedIn('applicant');
    const res = await agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: dossier() });
    expect(res.statusCode).toBe(200);
    const grade = res.json().grades[0];
    expect(grade.educationId).toBe('mbbs');
    expect(grade.fivePoint).toBeGreaterThan(4);
    expect(grade.fivePoint).toBeLessThan(5);
  });

  it('names each invalid field and keeps the saved dossier', async () => {
    const { agent } = await t.signedIn('applicant');
    await agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: dossier() });
    const bad = dossier({
      latinName: { surname: 'Белло', givenNames: 'Amina' },
      education: [{ ...dossier().education[0], grade: { value: 4, min: 0, pass: 7, max: 5 } }],
    });
    const res = await agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: bad });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.latinName.surname', 'body.education.0.grade.pass']));
    expect((await agent.get('/api/v1/me/dossier')).json().dossier.latinName.surname).toBe('Bello');
  });

  it('is private: another applicant and an officer without an application get 404', async () => {
    const owner = await readyApplicant();
    const other = await t.signedIn('applicant');
    const officer = await t.signedIn('officer', { universityId: ids.kaznmu });
    expect((await other.agent.get(`/api/v1/applicants/${owner.userId}/dossier`)).statusCode).toBe(404);
    expect((await officer.agent.get(`/api/v1/applicants/${owner.userId}/dossier`)).statusCode).toBe(404);
    expect((await owner.agent.get(`/api/v1/applicants/${owner.userId}/dossier`)).statusCode).toBe(200);
  });
});

describe('documents', () => {
  it('decides the type by content, keeps every version and serves files as attachments', async () => {
    const { agent } = await t.signedIn('applicant');
    const pdf = pdfBytes();
    const first = await upload(agent, 'kind=passport', pdf, 'my passport.pdf');
    expect(first.statusCode).toBe(201);
    const doc = first.json();
    expect(doc.versions[0]).toMatchObject({
      version: 1,
      mediaType: 'application/pdf',
      sha256: createHash('sha256').update(pdf).digest('hex'),
      fileName: 'my passport.pdf',
    });
    const html = await upload(
      agent,
      'kind=passport',
      Buffer.from('<html><script>alert(1)</script></html>'),
      'fake.pdf',
    );
    expect(html.statusCode).toBe(415);
    expect(html.json().code).toBe('unsupported_file_type');
    const big = await upload(agent, 'kind=passport', pdfBytes(400 * 1024), 'big.pdf');
    expect(big.statusCode).toBe(413);

    const { payload, headers } = multipart('photo.png', pngBytes(300, 400));
    const second = await agent.request({
      method: 'POST',
      url: `/api/v1/documents/${doc.id}/versions`,
      payload,
      headers,
    });
    expect(second.statusCode).toBe(201);
    expect(second.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(second.json().versions[0]).toMatchObject({ width: 300, height: 400, mediaType: 'image/png' });

    const file = await agent.get(`/api/v1/documents/${doc.id}/versions/1/file`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(pdf)).toBe(true);
    expect(file.headers['content-disposition']).toMatch(/^attachment;/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toContain('sandbox');

    const stranger = await t.signedIn('applicant');
    expect((await stranger.agent.get(`/api/v1/documents/${doc.id}/versions/1/file`)).statusCode).toBe(404);
    const bad = await upload(agent, 'kind=passport', pdf, 'x.pdf');
    expect(bad.statusCode).toBe(201);
    const { payload: p2, headers: h2 } = multipart('x.pdf', pdf);
    expect(
      (
        await stranger.agent.request({
          method: 'POST',
          url: `/api/v1/documents/${doc.id}/versions`,
          payload: p2,
          headers: h2,
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('applications', () => {
  it('S0-4/S2-1: shows a failing passport check until the passport is valid long enough', async () => {
    const a = await readyApplicant();
    const soon = dossier({
      passport: { number: 'A1234567', issuingCountry: 'NG', issuedOn: '2020-01-01', expiresOn: '2027-01-01' },
    });
    expect((await a.agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: soon })).statusCode).toBe(200);
    const [cardiology] = await competitionIds(KAZNMU, ['kaznmu-residency-cardiology']);
    const view = await a.agent.request({
      method: 'PUT',
      url: `/api/v1/me/applications/${KAZNMU}/choices`,
      payload: { competitions: [cardiology] },
    });
    expect(view.statusCode).toBe(200);
    const passport = view.json().choices[0].checks.find((c: { id: string }) => c.id === 'passport');
    expect(passport).toMatchObject({
      status: 'fail',
      blocking: true,
      code: 'passport_expires_too_soon',
      params: { expiresOn: '2027-01-01', requiredUntil: '2028-07-01', months: 24 },
    });
    expect(view.json().choices[0].complete).toBe(false);
    const refused = await a.agent.post(`/api/v1/me/applications/${KAZNMU}/submit`, undefined, {
      'idempotency-key': 'attempt-0001',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('checklist_incomplete');

    await a.agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: dossier() });
    const fixed = (await a.agent.get(`/api/v1/me/applications/${KAZNMU}`)).json();
    expect(fixed.choices[0].checks.find((c: { id: string }) => c.id === 'passport').status).toBe('pass');
    expect(fixed.choices[0].complete).toBe(true);
  });

  it('keeps at most the maximum number of priorities and only competitions of the campaign', async () => {
    const a = await readyApplicant();
    const six = await competitionIds(KAZNMU, [
      'kaznmu-residency-cardiology',
      'kaznmu-residency-pediatrics',
      'kaznmu-residency-neonatology',
      'kaznmu-residency-oncology',
      'kaznmu-residency-psychiatry',
      'kaznmu-residency-radiology',
    ]);
    const tooMany = await a.agent.request({
      method: 'PUT',
      url: `/api/v1/me/applications/${KAZNMU}/choices`,
      payload: { competitions: six },
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].code).toBe('too_many_priorities');
    const [other] = await competitionIds('bsmu-residency-2026', ['bsmu-clinical-residency']);
    const foreign = await a.agent.request({
      method: 'PUT',
      url: `/api/v1/me/applications/${KAZNMU}/choices`,
      payload: { competitions: [other] },
    });
    expect(foreign.statusCode).toBe(400);
  });

  it('submits once per idempotency key (10 at once: one submission, one receipt), with a receipt whose SHA-256 is that of the stored snapshot', async () => {
    const a = await readyApplicant();
    const choices = await competitionIds(KAZNMU, ['kaznmu-residency-cardiology', 'kaznmu-residency-pediatrics']);
    await a.agent.request({
      method: 'PUT',
      url: `/api/v1/me/applications/${KAZNMU}/choices`,
      payload: { competitions: choices },
    });
    const headers = { 'idempotency-key': 'submit-key-amina-1' };
    const attempts = await Promise.all(
      Array.from({ length: 10 }, () => a.agent.post(`/api/v1/me/applications/${KAZNMU}/submit`, undefined, headers)),
    );
    expect(attempts.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const receipt = attempts[0]?.json();
    for (const r of attempts) expect(r.json()).toEqual(receipt);
    const rows = await t.ctx.db.select().from(applications).where(eq(applications.applicantId, a.userId));
    expect(rows.filter((r) => r.status === 'submitted')).toHaveLength(1);
    expect(receipt.number).toMatch(/^MA-2026-\d{6}$/);
    expect(receipt.submittedAt).toBe('2026-07-01T09:00:00.000Z');
    const [row] = await t.ctx.db.select().from(applications).where(eq(applications.id, receipt.applicationId));
    expect(
      createHash('sha256')
        .update(stringify(row?.snapshot) ?? '')
        .digest('hex'),
    ).toBe(receipt.snapshotSha256);
    const other = await a.agent.post(`/api/v1/me/applications/${KAZNMU}/submit`, undefined, {
      'idempotency-key': 'another-key-123',
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('already_submitted');

    const view = (await a.agent.get(`/api/v1/me/applications/${KAZNMU}`)).json();
    expect(view.application).toMatchObject({ status: 'submitted', number: receipt.number });
    expect(
      view.choices.map((c: { priority: number; competition: { program: { slug: string } } }) => [
        c.priority,
        c.competition.program.slug,
      ]),
    ).toEqual([
      [1, 'kaznmu-residency-cardiology'],
      [2, 'kaznmu-residency-pediatrics'],
    ]);
    // Priorities may change after submission while the window is open; the timeline shows it.
    const swapped = await a.agent.request({
      method: 'PUT',
      url: `/api/v1/me/applications/${KAZNMU}/choices`,
      payload: { competitions: [...choices].reverse() },
    });
    expect(swapped.json().timeline.map((e: { type: string }) => e.type)).toEqual(['submitted', 'priorities_changed']);
  });

  it('refuses submissions after the cutoff, naming the deadline, until an officer extends it (audited)', async () => {
    const a = await readyApplicant();
    const choices = await competitionIds(KAZNMU, ['kaznmu-residency-cardiology']);
    await a.agent.request({
      method: 'PUT',
      url: `/api/v1/me/applications/${KAZNMU}/choices`,
      payload: { competitions: choices },
    });
    t.clock.set(new Date('2026-07-21T06:00:00Z'));
    try {
      // Twenty days later the session has timed out: sign in again.
      await a.agent.post('/api/v1/auth/login', { email: a.email, password: TEST_PASSWORD });
      const late = await a.agent.post(`/api/v1/me/applications/${KAZNMU}/submit`, undefined, {
        'idempotency-key': 'late-submission-1',
      });
      expect(late.statusCode).toBe(409);
      expect(late.json()).toMatchObject({ code: 'deadline_passed' });
      expect(late.json().detail).toContain('2026-07-20T18:59:59.000Z');

      const officer = await t.signedIn('officer', { universityId: ids.kaznmu });
      const other = await t.signedIn('officer', { universityId: ids.rudn });
      const body = {
        applicantId: a.userId,
        until: '2026-07-25T18:59:59Z',
        reason: 'Consulate closed during the last week',
      };
      expect((await other.agent.post(`/api/v1/campaigns/${KAZNMU}/extensions`, body)).statusCode).toBe(403);
      expect((await officer.agent.post(`/api/v1/campaigns/${KAZNMU}/extensions`, body)).statusCode).toBe(204);
      const [audit] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'campaign.extension_granted'));
      expect(audit).toMatchObject({ actorUserId: officer.userId, reason: body.reason });
      const ok = await a.agent.post(`/api/v1/me/applications/${KAZNMU}/submit`, undefined, {
        'idempotency-key': 'late-submission-2',
      });
      expect(ok.statusCode).toBe(201);
    } finally {
      t.clock.set(new Date('2026-07-01T09:00:00Z'));
    }
  });

  it('lets the officer see, verify and export; the applicant is told and re-uploads', async () => {
    const a = await readyApplicant();
    const choices = await competitionIds(KAZNMU, ['kaznmu-residency-cardiology']);
    await a.agent.request({
      method: 'PUT',
      url: `/api/v1/me/applications/${KAZNMU}/choices`,
      payload: { competitions: choices },
    });
    const receipt = (
      await a.agent.post(`/api/v1/me/applications/${KAZNMU}/submit`, undefined, {
        'idempotency-key': 'verify-flow-0001',
      })
    ).json();

    const officer = await t.signedIn('officer', { universityId: ids.kaznmu });
    const stranger = await t.signedIn('officer', { universityId: ids.rudn });
    const list = await officer.agent.get(`/api/v1/campaigns/${KAZNMU}/applications?q=${receipt.number}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect((await stranger.agent.get(`/api/v1/campaigns/${KAZNMU}/applications`)).statusCode).toBe(403);

    const docs = (await officer.agent.get(`/api/v1/applicants/${a.userId}/documents`)).json().items;
    const diploma = docs.find((d: { kind: string }) => d.kind === 'education_document');
    expect((await stranger.agent.get(`/api/v1/applicants/${a.userId}/documents`)).statusCode).toBe(404);
    expect(
      (await stranger.agent.post(`/api/v1/documents/${diploma.id}/verdict`, { status: 'accepted' })).statusCode,
    ).toBe(404);
    const noReason = await officer.agent.post(`/api/v1/documents/${diploma.id}/verdict`, { status: 'rejected' });
    expect(noReason.statusCode).toBe(400);
    const rejected = await officer.agent.post(`/api/v1/documents/${diploma.id}/verdict`, {
      status: 'rejected',
      code: 'not_certified',
      note: 'The copy must be notarized.',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejection: { code: 'not_certified' } });
    const mail = await t.mail.next(a.email);
    expect(mail.subject).toBe('Document rejected: Education document (diploma)');
    expect(mail.text).toContain('The copy must be notarized.');
    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, diploma.id))
      .orderBy(auditLog.id);
    expect(audit).toBeDefined();

    const mine = (await a.agent.get('/api/v1/me/documents'))
      .json()
      .items.find((d: { id: string }) => d.id === diploma.id);
    expect(mine.rejection).toEqual({ code: 'not_certified', note: 'The copy must be notarized.' });
    const { payload, headers } = multipart('diploma-notarized.pdf', pdfBytes());
    const again = await a.agent.request({
      method: 'POST',
      url: `/api/v1/documents/${diploma.id}/versions`,
      payload,
      headers,
    });
    expect(again.json()).toMatchObject({ status: 'pending', currentVersion: 2, rejection: null });

    const csv = await officer.agent.get(
      `/api/v1/campaigns/${KAZNMU}/applications/export?format=csv&q=${receipt.number}`,
    );
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(receipt.number);
    expect(csv.body).toContain('kaznmu-residency-cardiology');
    const xlsx = await officer.agent.get(`/api/v1/campaigns/${KAZNMU}/applications/export?format=xlsx`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('withdraws while the window is open', async () => {
    const a = await readyApplicant();
    const choices = await competitionIds(KAZNMU, ['kaznmu-residency-oncology']);
    await a.agent.request({
      method: 'PUT',
      url: `/api/v1/me/applications/${KAZNMU}/choices`,
      payload: { competitions: choices },
    });
    await a.agent.post(`/api/v1/me/applications/${KAZNMU}/submit`, undefined, {
      'idempotency-key': 'withdraw-flow-01',
    });
    const res = await a.agent.post(`/api/v1/me/applications/${KAZNMU}/withdraw`, {
      reason: 'Chose another university',
    });
    expect(res.json().application.status).toBe('withdrawn');
  });
});

describe('campaigns', () => {
  it('exports deadlines as iCalendar and copies a campaign to the next year', async () => {
    const ics = await t.agent().get(`/api/v1/campaigns/${KAZNMU}/calendar.ics?locale=ru`);
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body).toContain('BEGIN:VCALENDAR');
    expect(ics.body).toContain('DTEND:20260720T185959Z'); // 23:59:59 in Almaty (S2-3)
    expect(ics.body).toContain('Последний день подачи документов');

    const officer = await t.signedIn('officer', { universityId: ids.kaznmu });
    const copy = await officer.agent.post(`/api/v1/campaigns/${KAZNMU}/copy`, { slug: 'kaznmu-residency-2027' });
    expect(copy.statusCode).toBe(201);
    const next = (await t.agent().get('/api/v1/campaigns/kaznmu-residency-2027')).json();
    expect(next.academicYear).toBe('2027/28');
    expect(next.windows[0]).toMatchObject({
      opens: '2027-06-19T19:00:00Z',
      closes: '2027-07-20T18:59:59Z',
      source: expect.stringContaining('S2-3'),
    });
    expect(next.competitions).toHaveLength(31);
    const rudnOfficer = await t.signedIn('officer', { universityId: ids.rudn });
    expect(
      (await rudnOfficer.agent.post(`/api/v1/campaigns/${KAZNMU}/copy`, { slug: 'kaznmu-stolen' })).statusCode,
    ).toBe(403);
  });
});
