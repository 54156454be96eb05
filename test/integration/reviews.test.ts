import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applications, auditLog, reviews, universities, users } from '../../src/db/schema.js';
import { seedDemoCampaigns, seedDemoCatalog } from '../../src/seed/demo.js';
import { SCORED_DOSSIER } from '../helpers/dossier-fixtures.js';
import { multipart, pdfBytes } from '../helpers/files.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let kaznmu = '';
const CAMPAIGN = 'kaznmu-residency-2026';

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCatalog(t.ctx);
  await seedDemoCampaigns(t.ctx);
  kaznmu = (await t.ctx.db.select().from(universities).where(eq(universities.slug, 'kaznmu')))[0]?.id ?? '';
  t.clock.set(new Date('2026-07-01T09:00:00Z'));
});
afterAll(async () => {
  await t.close();
});

/** An applicant with a complete KazNMU file who has submitted; the portfolio says 4.1/5, a certificate, olympiad winner. */
async function submittedApplicant() {
  const a = await t.signedIn('applicant');
  const dossier = SCORED_DOSSIER;
  expect((await a.agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: dossier })).statusCode).toBe(200);
  for (const query of [
    'kind=passport',
    'kind=education_document&relatesTo=mbbs',
    'kind=transcript&relatesTo=mbbs',
    'kind=internship_certificate',
  ]) {
    const { payload, headers } = multipart('doc.pdf', pdfBytes());
    expect(
      (await a.agent.request({ method: 'POST', url: `/api/v1/me/documents?${query}`, payload, headers })).statusCode,
    ).toBe(201);
  }
  const campaign = (await t.agent().get(`/api/v1/campaigns/${CAMPAIGN}`)).json();
  const cardiology = campaign.competitions.find(
    (c: { program: { slug: string } }) => c.program.slug === 'kaznmu-residency-cardiology',
  ).id;
  await a.agent.request({
    method: 'PUT',
    url: `/api/v1/me/applications/${CAMPAIGN}/choices`,
    payload: { competitions: [cardiology] },
  });
  const submitted = await a.agent.post(`/api/v1/me/applications/${CAMPAIGN}/submit`, undefined, {
    'idempotency-key': `rev-${a.userId}`,
  });
  expect(submitted.statusCode).toBe(201);
  return a;
}

describe('portfolio reading by several reviewers', () => {
  it('two readers disagree → reconciliation by the senior → the applicant sees the breakdown', async () => {
    const officer = await t.signedIn('officer', { universityId: kaznmu });
    const r1 = await t.signedIn('reviewer', { universityId: kaznmu });
    const r2 = await t.signedIn('reviewer', { universityId: kaznmu });
    const applicant = await submittedApplicant();

    expect(
      (
        await officer.agent.request({
          method: 'PUT',
          url: `/api/v1/campaigns/${CAMPAIGN}/rubric`,
          payload: { preset: 'rudn-2021-bachelor-specialist' },
        })
      ).json(),
    ).toEqual({ version: 1 });
    const settings = { readersRequired: 2, reconciliationThreshold: 4, seniorReviewerId: officer.userId };
    expect(
      (
        await officer.agent.request({
          method: 'PUT',
          url: `/api/v1/campaigns/${CAMPAIGN}/review-settings`,
          payload: settings,
        })
      ).statusCode,
    ).toBe(204);
    expect((await r1.agent.post(`/api/v1/campaigns/${CAMPAIGN}/reviews/assign`)).statusCode).toBe(403);
    // Other reviewers of KazNMU may exist from earlier tests; this file gets two of them.
    const assigned = await officer.agent.post(`/api/v1/campaigns/${CAMPAIGN}/reviews/assign`);
    expect(assigned.statusCode).toBe(200);

    const mine = async (who: typeof r1) =>
      (await who.agent.get(`/api/v1/me/reviews?campaign=${CAMPAIGN}&status=assigned`)).json().items;
    const review1 = (await mine(r1))[0];
    const review2 = (await mine(r2))[0];
    expect(review1).toBeDefined();
    expect(review2).toBeDefined();

    const file1 = (await r1.agent.get(`/api/v1/reviews/${review1.id}`)).json();
    expect(file1.prescore.inputs).toMatchObject({ language_certificate: true, olympiad: 'winner' });
    expect(file1.readers).toEqual([]);
    expect((await r2.agent.get(`/api/v1/reviews/${review1.id}`)).statusCode).toBe(404); // blind to each other

    // Reader 1 confirms the pre-score: 4.49 → 35, certificate 5, olympiad winner 40 = 80.
    const s1 = await r1.agent.request({
      method: 'PUT',
      url: `/api/v1/reviews/${review1.id}`,
      payload: { inputs: file1.prescore.inputs },
    });
    expect(s1.json()).toMatchObject({ status: 'incomplete', readersSubmitted: 1 });

    // Reader 2 corrects the olympiad status: a reason is required.
    const corrected = { ...file1.prescore.inputs, olympiad: 'prize_winner', achievements: false };
    const noReason = await r2.agent.request({
      method: 'PUT',
      url: `/api/v1/reviews/${review2.id}`,
      payload: { inputs: corrected },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors.map((e: { field: string }) => e.field)).toContain('body.reasons.olympiad');
    const s2 = await r2.agent.request({
      method: 'PUT',
      url: `/api/v1/reviews/${review2.id}`,
      payload: {
        inputs: corrected,
        reasons: { olympiad: 'The diploma says prize-winner, not winner' },
        comment: 'Checked the certificate',
      },
    });
    expect(s2.json()).toMatchObject({ status: 'needs_reconciliation', readersSubmitted: 2 });
    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.reason, 'olympiad: The diploma says prize-winner, not winner'));
    expect(audit).toMatchObject({ action: 'review.scored', actorUserId: r2.userId });

    const pending = await applicant.agent.get(`/api/v1/me/applications/${CAMPAIGN}/score`);
    expect(pending.json()).toMatchObject({ status: 'needs_reconciliation', total: null });

    const senior = (await officer.agent.get(`/api/v1/me/reviews?campaign=${CAMPAIGN}`))
      .json()
      .items.find((r: { role: string }) => r.role === 'senior');
    const seniorFile = (await officer.agent.get(`/api/v1/reviews/${senior.id}`)).json();
    expect(seniorFile.readers.map((r: { total: number }) => r.total).sort()).toEqual([75, 80]);
    const final = await officer.agent.request({
      method: 'PUT',
      url: `/api/v1/reviews/${senior.id}`,
      payload: {
        inputs: { ...file1.prescore.inputs, olympiad: 'prize_winner' },
        reasons: { olympiad: 'Prize-winner per the certificate' },
      },
    });
    expect(final.json()).toMatchObject({ status: 'final', total: 75 });

    const breakdown = (await applicant.agent.get(`/api/v1/me/applications/${CAMPAIGN}/score`)).json();
    expect(breakdown).toMatchObject({ status: 'final', total: 75, maximum: 100 });
    expect(breakdown.items.find((i: { criterionId: string }) => i.criterionId === 'olympiad')).toMatchObject({
      points: 35,
      maximum: 40,
      source: expect.stringContaining('S4-5'),
      label: { ru: expect.stringMatching(/олимпиад/i) },
    });

    const late = await r1.agent.request({
      method: 'PUT',
      url: `/api/v1/reviews/${review1.id}`,
      payload: { inputs: file1.prescore.inputs },
    });
    expect(late.statusCode).toBe(409);

    // The rubric is in use: a change makes version 2; scored files keep version 1.
    const again = await officer.agent.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${CAMPAIGN}/rubric`,
      payload: { preset: 'rudn-2021-master' },
    });
    expect(again.json()).toEqual({ version: 2 });
    expect((await applicant.agent.get(`/api/v1/me/applications/${CAMPAIGN}/score`)).json().total).toBe(75);

    const progress = (await officer.agent.get(`/api/v1/campaigns/${CAMPAIGN}/reviews/progress`)).json().items;
    expect(progress.find((p: { reviewerId: string }) => p.reviewerId === r1.userId)).toMatchObject({
      assigned: 1,
      submitted: 1,
    });
  });

  it('refuses a band table with a gap, naming the band, and keeps the rubric as it was', async () => {
    const officer = await t.signedIn('officer', { universityId: kaznmu });
    const before = (await t.agent().get(`/api/v1/campaigns/${CAMPAIGN}/rubric`)).json();
    const rubric = (await t.agent().get('/api/v1/rubric-presets')).json().items[0];
    const grade = rubric.criteria[0];
    const gap = {
      ...rubric,
      criteria: [
        {
          ...grade,
          bands: [
            { from: 3.5, to: 4.0, points: 30 },
            { from: 4.1, to: null, points: 45 },
          ],
        },
        ...rubric.criteria.slice(1),
      ],
    };
    const res = await officer.agent.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${CAMPAIGN}/rubric`,
      payload: { rubric: gap },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .join(' '),
    ).toMatch(/body\.rubric\.criteria\.0\.bands\.1/);
    expect((await t.agent().get(`/api/v1/campaigns/${CAMPAIGN}/rubric`)).json()).toEqual(before);
  });

  it('refuses scores outside a criterion and two olympiad statuses, saving nothing', async () => {
    const officer = await t.signedIn('officer', { universityId: kaznmu });
    await t.signedIn('reviewer', { universityId: kaznmu });
    await t.signedIn('reviewer', { universityId: kaznmu });
    const applicant = await submittedApplicant();
    await officer.agent.request({
      method: 'PUT',
      url: `/api/v1/campaigns/${CAMPAIGN}/review-settings`,
      payload: { readersRequired: 2, reconciliationThreshold: 5, seniorReviewerId: null },
    });
    await officer.agent.post(`/api/v1/campaigns/${CAMPAIGN}/reviews/assign`);
    // Whoever got this file signs in (every test account shares the test password).
    const [assigned] = await t.ctx.db
      .select({ id: reviews.id, email: users.email })
      .from(reviews)
      .innerJoin(applications, eq(applications.id, reviews.applicationId))
      .innerJoin(users, eq(users.id, reviews.reviewerId))
      .where(eq(applications.applicantId, applicant.userId));
    const reviewer = { agent: t.agent() };
    await reviewer.agent.post('/api/v1/auth/login', { email: assigned?.email, password: TEST_PASSWORD });
    const review = { id: assigned?.id ?? '' };
    const file = (await reviewer.agent.get(`/api/v1/reviews/${review.id}`)).json();
    const bad = await reviewer.agent.request({
      method: 'PUT',
      url: `/api/v1/reviews/${review.id}`,
      payload: {
        inputs: { ...file.prescore.inputs, average_grade: 7.5, olympiad: ['winner', 'prize_winner'] },
        reasons: { average_grade: 'x', olympiad: 'y' },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { code: string }) => e.code)).toEqual(
      expect.arrayContaining(['out_of_range', 'several_statuses']),
    );
    expect((await reviewer.agent.get(`/api/v1/reviews/${review.id}`)).json().total).toBeNull();
  });
});
