import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencies, agencyUniversities, auditLog, dossiers, leads, universities, users } from '../../src/db/schema.js';
import { seedDemoCatalog } from '../../src/seed/demo.js';
import { agencyAccess, holdGrant, onBehalf } from '../../src/server/agency/access.js';
import { saveDossier } from '../../src/server/dossier/dossier.service.js';
import { multipart, pdfBytes } from '../helpers/files.js';
import { Agent, createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let agencyA = '';
let agencyB = '';

const DOSSIER = { latinName: { surname: 'Okafor', givenNames: 'Ada' }, citizenship: 'NG' };

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCatalog(t.ctx);
  const [a] = await t.ctx.db
    .insert(agencies)
    .values({ slug: 'agency-a', nameEn: 'Agency A', nameRu: 'Агентство А' })
    .returning();
  const [b] = await t.ctx.db
    .insert(agencies)
    .values({ slug: 'agency-b', nameEn: 'Agency B', nameRu: 'Агентство Б' })
    .returning();
  agencyA = a?.id ?? '';
  agencyB = b?.id ?? '';
  const [rudn] = await t.ctx.db.select().from(universities).where(eq(universities.slug, 'rudn'));
  await t.ctx.db.insert(agencyUniversities).values({ agencyId: agencyA, universityId: rudn?.id ?? '' });
});
afterAll(async () => {
  await t.close();
});

async function askQuestion(body: Record<string, unknown>, ip = '198.51.100.7') {
  const agent = new Agent(t.app);
  agent.ip = ip;
  const { formToken } = (await agent.get('/api/v1/public/lead-form')).json();
  t.clock.advance(5_000);
  return agent.post('/api/v1/public/leads', {
    name: 'Ada Okafor',
    email: 'ada@example.org',
    message: 'Can I apply to residency in cardiology with a Nigerian MBBS?',
    formToken,
    ...body,
  });
}

describe('ask a consultant: leads', () => {
  it('refuses a form sent too fast, routes a question to the partner agency and acknowledges it by e-mail', async () => {
    const agent = new Agent(t.app);
    agent.ip = '198.51.100.1';
    const { formToken } = (await agent.get('/api/v1/public/lead-form')).json();
    const fast = await agent.post('/api/v1/public/leads', {
      name: 'Bot',
      email: 'bot@example.org',
      message: 'hello hello',
      formToken,
    });
    expect(fast.statusCode).toBe(400);
    expect(fast.json().errors[0]).toMatchObject({ field: 'body.formToken', code: 'form_too_fast' });
    const forged = await agent.post('/api/v1/public/leads', {
      name: 'Bot',
      email: 'bot@example.org',
      message: 'hello hello',
      formToken: '1700000000000.forgedsignature',
    });
    expect(forged.json().errors[0].code).toBe('form_expired');

    const res = await askQuestion({ email: 'ada.lead@example.org', university: 'rudn', locale: 'ru' });
    expect(res.statusCode).toBe(202);
    const [lead] = await t.ctx.db.select().from(leads).where(eq(leads.email, 'ada.lead@example.org'));
    expect(lead?.agencyId).toBe(agencyA);
    const mail = await t.mail.next('ada.lead@example.org');
    expect(mail.subject).toContain('Ваш вопрос получен');
    expect(mail.text).toContain('Агентство А');
  });

  it('stores nothing for a filled honeypot, refuses link spam, and throttles floods with Retry-After', async () => {
    const honey = await askQuestion({ email: 'honey@example.org', website: 'http://spam.example' }, '198.51.100.2');
    expect(honey.statusCode).toBe(202);
    expect(await t.ctx.db.select().from(leads).where(eq(leads.email, 'honey@example.org'))).toHaveLength(0);
    const links = await askQuestion(
      { email: 'links@example.org', message: 'buy http://a.example http://b.example http://c.example' },
      '198.51.100.3',
    );
    expect(links.json().errors[0].code).toBe('too_many_links');
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await askQuestion({ email: `flood${i}@example.org` }, '198.51.100.4')).statusCode);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
    const last = await askQuestion({ email: 'flood9@example.org' }, '198.51.100.4');
    expect(last.json().code).toBe('too_many_questions');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('sends questions about a university without partners to the default queue, which administrators route', async () => {
    await askQuestion({ email: 'default.q@example.org', university: 'kaznmu' }, '198.51.100.5');
    const admin = await t.signedIn('administrator');
    const queue = (await admin.agent.get('/api/v1/agency/leads?queue=default')).json().items;
    const lead = queue.find((l: { email: string }) => l.email === 'default.q@example.org');
    expect(lead.agencyId).toBeNull();
    const consultantB = await t.signedIn('consultant', { agencyId: agencyB });
    expect((await consultantB.agent.get(`/api/v1/agency/leads/${lead.id}`)).statusCode).toBe(404);
    const routed = await admin.agent.post(`/api/v1/admin/leads/${lead.id}/route`, { agency: 'agency-b' });
    expect(routed.json().agencyId).toBe(agencyB);
    expect((await consultantB.agent.get(`/api/v1/agency/leads/${lead.id}`)).statusCode).toBe(200);

    // A question from a program page names the program and its university.
    await askQuestion({ email: 'program.q@example.org', program: 'kaznmu-residency-endocrinology' }, '198.51.100.8');
    const fromProgram = (await admin.agent.get('/api/v1/agency/leads?queue=default'))
      .json()
      .items.find((l: { email: string }) => l.email === 'program.q@example.org');
    expect(fromProgram.source).toBe('program:kaznmu-residency-endocrinology');
    expect(fromProgram.origin.program).toEqual({
      slug: 'kaznmu-residency-endocrinology',
      name: { en: 'Endocrinology, including children', ru: expect.any(String) },
    });
    expect(fromProgram.origin.university.slug).toBe('kaznmu');
  });
});

describe('grants: consultants act with consent, and lose access at once', () => {
  it('lead → invitation → grant → act on behalf (audited) → revoke → 404 at once', async () => {
    await askQuestion({ email: 'convert@example.org', university: 'rudn' }, '198.51.100.6');
    expect((await t.mail.next('convert@example.org')).subject).toContain('We received your question');
    const consultant = await t.signedIn('consultant', { agencyId: agencyA });
    const other = await t.signedIn('consultant', { agencyId: agencyB });
    const lead = (await consultant.agent.get('/api/v1/agency/leads'))
      .json()
      .items.find((l: { email: string }) => l.email === 'convert@example.org');
    expect((await other.agent.get(`/api/v1/agency/leads/${lead.id}`)).statusCode).toBe(404);
    // The lead names the page it was asked on, not only its slug; internal ids and the token stay inside.
    expect(lead.origin).toEqual({
      program: null,
      university: { slug: 'rudn', name: { en: expect.any(String), ru: expect.any(String) } },
    });
    expect(lead.origin.university.name.en).not.toBe('rudn');
    expect(lead).not.toHaveProperty('inviteTokenHash');
    expect(lead).not.toHaveProperty('universityId');
    const assigned = await consultant.agent.request({
      method: 'PATCH',
      url: `/api/v1/agency/leads/${lead.id}`,
      payload: { consultantId: consultant.userId },
    });
    expect(assigned.json().origin.university.slug).toBe('rudn');
    expect((await consultant.agent.post(`/api/v1/agency/leads/${lead.id}/invite`)).statusCode).toBe(200);
    const invitation = await t.mail.next('convert@example.org');
    const token = /agency-invitation\?token=([A-Za-z0-9_-]+)/.exec(invitation.text)?.[1] ?? '';

    const applicant = await t.signedIn('applicant');
    expect((await applicant.agent.get(`/api/v1/agency-invitations/${token}`)).json().agency.slug).toBe('agency-a');
    // Before any grant: 404, not revealing the applicant exists.
    expect((await consultant.agent.get(`/api/v1/agency/applicants/${applicant.userId}/dossier`)).statusCode).toBe(404);
    const grant = await applicant.agent.post('/api/v1/me/agency-grants', { invitation: token, scope: 'act' });
    expect(grant.statusCode).toBe(201);
    const [converted] = await t.ctx.db.select().from(leads).where(eq(leads.id, lead.id));
    expect(converted).toMatchObject({ status: 'converted', applicantId: applicant.userId });
    // Reopening the used link says so (410), for anyone; it cannot grant a second time.
    const reopened = await applicant.agent.get(`/api/v1/agency-invitations/${token}`);
    expect(reopened.statusCode).toBe(410);
    expect(reopened.json().code).toBe('invitation_used');
    const someoneElse = await t.signedIn('applicant');
    const reused = await someoneElse.agent.post('/api/v1/me/agency-grants', { invitation: token, scope: 'view' });
    expect(reused.statusCode).toBe(410);
    expect(reused.json().code).toBe('invitation_used');
    expect((await someoneElse.agent.get('/api/v1/me/agency-grants')).json().items).toEqual([]);
    expect((await new Agent(t.app).get('/api/v1/agency-invitations/not-a-real-token-at-all')).statusCode).toBe(404);

    // The consultant who had the lead is in charge of the case.
    const summary = await consultant.agent.get(`/api/v1/agency/applicants/${applicant.userId}`);
    expect(summary.json()).toEqual({
      id: applicant.userId,
      fullName: expect.any(String),
      email: expect.any(String),
      scope: 'act',
      consultant: { id: consultant.userId, fullName: expect.any(String) },
    });

    const put = await consultant.agent.request({
      method: 'PUT',
      url: `/api/v1/agency/applicants/${applicant.userId}/dossier`,
      payload: DOSSIER,
    });
    expect(put.statusCode).toBe(200);
    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subjectType, 'dossier'), eq(auditLog.subjectId, applicant.userId)));
    expect(audit).toMatchObject({ actorUserId: consultant.userId, onBehalfOfUserId: applicant.userId });
    const { payload, headers } = multipart('passport.pdf', pdfBytes());
    const upload = await consultant.agent.request({
      method: 'POST',
      url: `/api/v1/agency/applicants/${applicant.userId}/documents?kind=passport`,
      payload,
      headers,
    });
    expect(upload.statusCode).toBe(201);
    // The consultant gets the agency's own download address, which checks the grant.
    const viaAgency = `/api/v1/agency/applicants/${applicant.userId}/documents/${upload.json().id}/versions/1/file`;
    expect(upload.json().versions[0].downloadUrl).toBe(viaAgency);
    const listed = (await consultant.agent.get(`/api/v1/agency/applicants/${applicant.userId}/documents`)).json();
    expect(listed.items[0].versions[0].downloadUrl).toBe(viaAgency);
    const mine = (await applicant.agent.get('/api/v1/me/documents')).json().items;
    expect(mine.map((d: { kind: string }) => d.kind)).toContain('passport');
    const file = await consultant.agent.get(viaAgency);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toMatch(/^attachment/);

    // Another agency: 404 everywhere, and the attempt is audited.
    expect((await other.agent.get(`/api/v1/agency/applicants/${applicant.userId}/dossier`)).statusCode).toBe(404);
    const refused = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'agency.access_refused'), eq(auditLog.actorUserId, other.userId)));
    expect(refused).toHaveLength(1);

    // Revocation takes effect for the very next request.
    const grants = (await applicant.agent.get('/api/v1/me/agency-grants')).json().items;
    expect(
      (await applicant.agent.request({ method: 'DELETE', url: `/api/v1/me/agency-grants/${grants[0].id}` })).statusCode,
    ).toBe(204);
    expect((await consultant.agent.get(`/api/v1/agency/applicants/${applicant.userId}/dossier`)).statusCode).toBe(404);
    expect(
      (
        await consultant.agent.request({
          method: 'PUT',
          url: `/api/v1/agency/applicants/${applicant.userId}/dossier`,
          payload: { ...DOSSIER, citizenship: 'GH' },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('a view grant reads but cannot act; a revocation in the middle of an action cancels it', async () => {
    const consultant = await t.signedIn('consultant', { agencyId: agencyA });
    const applicant = await t.signedIn('applicant');
    await applicant.agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: DOSSIER });
    const view = await applicant.agent.post('/api/v1/me/agency-grants', { agency: 'agency-a', scope: 'view' });
    expect(view.json().scope).toBe('view');
    expect(
      (await consultant.agent.get(`/api/v1/agency/applicants/${applicant.userId}/dossier`)).json().dossier,
    ).toMatchObject(DOSSIER);
    expect(
      (
        await consultant.agent.request({
          method: 'PUT',
          url: `/api/v1/agency/applicants/${applicant.userId}/dossier`,
          payload: { ...DOSSIER, citizenship: 'GH' },
        })
      ).statusCode,
    ).toBe(404);

    // Upgrade to act, start an action (access checked), revoke before its transaction: it is cancelled.
    const act = (await applicant.agent.post('/api/v1/me/agency-grants', { agency: 'agency-a', scope: 'act' })).json();
    const [principalRow] = await t.ctx.db.select().from(users).where(eq(users.id, consultant.userId));
    const principal = {
      id: consultant.userId,
      role: 'consultant' as const,
      universityId: null,
      agencyId: principalRow?.agencyId ?? null,
    };
    const actor = { userId: consultant.userId };
    const { grant } = await agencyAccess(t.ctx, principal, applicant.userId, 'act', actor);
    await applicant.agent.request({ method: 'DELETE', url: `/api/v1/me/agency-grants/${act.id}` });
    await expect(
      t.ctx.db.transaction(async (tx) => {
        await holdGrant(tx, grant.id, 'act');
        await saveDossier(
          { ...t.ctx, db: tx },
          applicant.userId,
          { ...DOSSIER, citizenship: 'GH' } as never,
          onBehalf(actor, applicant.userId),
        );
      }),
    ).rejects.toMatchObject({ status: 404 });
    const [stored] = await t.ctx.db.select().from(dossiers).where(eq(dossiers.userId, applicant.userId));
    expect(stored?.data).toMatchObject({ citizenship: 'NG' });
  });
});

describe('agency administrators', () => {
  it('only an agency administrator adds consultants and sets partner universities (shown in the catalog)', async () => {
    const plain = await t.signedIn('consultant', { agencyId: agencyB });
    const body = {
      email: 'new.consultant@example.org',
      fullName: 'New Consultant',
      password: 'a long enough passphrase 42',
    };
    expect((await plain.agent.post('/api/v1/agency/consultants', body)).statusCode).toBe(403);
    await t.ctx.db.update(users).set({ agencyAdmin: true }).where(eq(users.id, plain.userId));
    const admin = plain;
    const created = await admin.agent.post('/api/v1/agency/consultants', body);
    expect(created.statusCode).toBe(201);
    const list = (await admin.agent.get('/api/v1/agency/consultants')).json().items;
    expect(list.map((c: { email: string }) => c.email)).toContain('new.consultant@example.org');
    // Not another agency's consultant.
    const foreign = await t.signedIn('consultant', { agencyId: agencyA });
    expect(
      (await admin.agent.patch(`/api/v1/agency/consultants/${foreign.userId}`, { disabled: true })).statusCode,
    ).toBe(404);
    const partners = await admin.agent.request({
      method: 'PUT',
      url: '/api/v1/agency/universities',
      payload: { universities: ['kaznmu', 'bsmu'] },
    });
    expect(partners.statusCode).toBe(200);
    const page = (await t.agent().get('/api/v1/universities/kaznmu')).json();
    expect(page.agencies.map((a: { slug: string }) => a.slug)).toContain('agency-b');
    const bad = await admin.agent.request({
      method: 'PUT',
      url: '/api/v1/agency/universities',
      payload: { universities: ['no-such-university'] },
    });
    expect(bad.json().errors[0]).toMatchObject({ field: 'body.universities', code: 'unknown_value' });
  });
});
