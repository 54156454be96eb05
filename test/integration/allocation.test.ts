import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissions, applicationEvents, applications, auditLog, campaigns, lotteryDraws } from '../../src/db/schema.js';
import { allocate } from '../../src/domain/allocation/deferred-acceptance.js';
import { storedInput } from '../../src/server/allocation/allocation.service.js';
import { applicationTimelines } from '../../src/server/applications/timeline.js';
import { allocationCampaign, submittedApplicants } from '../helpers/allocation-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date('2026-08-25T09:00:00Z'));
});
afterAll(async () => {
  await t.close();
});

describe('allocation runs, ranked lists and offers', () => {
  it('publishes ranked lists under anonymous codes with states and cutoffs, and offers seats', async () => {
    const f = await allocationCampaign(t, 'alloc-basic', [
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 2 },
      { program: 'kaznmu-residency-endocrinology', funding: 'contract', seats: 1 },
    ]);
    const [a, b, c, d] = await submittedApplicants(t, f, [
      { name: 'Asha Rao', language: 90, specialty: 90, choices: [0, 1] },
      { name: 'Bilal Khan', language: 80, specialty: 85, choices: [0, 1] },
      { name: 'Chen Wei', language: 70, specialty: 75, choices: [0, 1] },
      { name: 'Dina Ali', language: 95, specialty: 95, choices: [1], failed: true },
    ]);
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    const anon = t.agent();
    // Nothing published yet.
    expect((await anon.get(`/api/v1/public/campaigns/${f.slug}/ranked-lists`)).json().run).toBeNull();

    const run = await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'first wave' });
    expect(run.statusCode).toBe(201);
    expect(run.json()).toMatchObject({ seq: 1, status: 'published', offersMade: 3, violations: [] });
    expect(run.json().inputSha256).toMatch(/^[0-9a-f]{64}$/);
    // The engine read the applications as columns (the read returns them in the engine's order).
    expect(run.json().stats.engineColumns).toBe(1);

    const lists = (await anon.get(`/api/v1/public/campaigns/${f.slug}/ranked-lists`)).json();
    expect(lists.run.seq).toBe(1);
    const cardio = lists.competitions.find((x: { id: string }) => x.id === f.competitionIds[0]);
    expect(cardio).toMatchObject({ capacity: 2, admitted: 2, applications: 3 });
    // Cardiology turned Chen away: its cutoff is Bilal's score (total 165, specialty 85).
    expect(cardio.cutoff.score).toEqual([165, 85]);

    const list = await anon.get(`/api/v1/public/campaigns/${f.slug}/ranked-lists/${f.competitionIds[1]}`);
    expect(list.statusCode).toBe(200);
    const entries = list.json().entries as { code: string; state: string; score: number[]; priority: number }[];
    expect(entries.map((e) => [e.score[0], e.state])).toEqual([
      [180, 'admitted_higher'],
      [165, 'admitted_higher'],
      [145, 'admitted'],
      [190, 'not_admitted'],
    ]);
    // Anonymous: no ids, names, e-mails or reasons in the public list.
    const body = list.body;
    for (const who of [a, b, c, d]) {
      expect(body).not.toContain(who?.userId);
      expect(body).not.toContain(who?.email);
      expect(body).not.toContain(who?.number);
    }
    expect(body).not.toContain('Asha');
    expect(body).not.toContain('exam_failed');
    expect(body).not.toContain('applicantId');

    // The applicant sees their code, states, explanation data and the offer.
    const chen = await c?.signIn();
    const mine = (await chen?.get('/api/v1/me/admissions'))?.json();
    expect(mine.items).toHaveLength(1);
    const item = mine.items[0];
    expect(entries.some((e) => e.code === item.code)).toBe(true);
    expect(item.choices.map((x: { state: string }) => x.state)).toEqual(['waiting', 'admitted']);
    expect(item.choices[0]).toMatchObject({ cutoff: { score: [165, 85] }, yours: { score: [145, 75] } });
    expect(item.admission).toMatchObject({ status: 'offered', competitionId: f.competitionIds[1], priority: 2 });

    // An e-mail to each admitted applicant, and an audit entry per offer.
    const mail = await t.mail.next(c?.email as string);
    expect(mail.subject).toContain('admitted');
    const audits = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'admission.offered'), eq(auditLog.subjectType, 'admission')));
    expect(audits.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps the lottery drawn once, reproduces the run from stored inputs, and a withdrawal moves the next one up', async () => {
    const f = await allocationCampaign(t, 'alloc-rerun', [
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 1 },
      { program: 'kaznmu-residency-endocrinology', funding: 'contract', seats: 1 },
    ]);
    // Full ties: the lottery decides.
    const people = await submittedApplicants(t, f, [
      { name: 'Tie One', language: 80, specialty: 80, choices: [0, 1] },
      { name: 'Tie Two', language: 80, specialty: 80, choices: [0, 1] },
      { name: 'Tie Three', language: 80, specialty: 80, choices: [0, 1] },
    ]);
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    const first = (
      await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'wave 1' })
    ).json();
    const lottery = async () =>
      Promise.all(
        people.map(async (p) => (await (await p.signIn()).get('/api/v1/me/admissions')).json().items[0].lottery),
      );
    const before = await lottery();
    expect([...before].sort()).toEqual([1, 2, 3]);

    // Recomputing from the stored input gives the same output (hash-identical).
    const [run] = (await officer.agent.get(`/api/v1/campaigns/${f.slug}/allocation-runs`)).json().items;
    const input = await storedInput(t.ctx.db, run.id);
    const { outputHash, inputHash } = await import('../../src/server/allocation/allocation.service.js');
    expect(inputHash(input)).toBe(first.inputSha256);
    for (let i = 0; i < 5; i++) expect(outputHash(allocate(input))).toBe(first.outputSha256);

    // The lottery winner (number 1) declines; the re-run keeps numbers and moves the others up.
    const winner = people[before.indexOf(1)];
    const agent = await winner?.signIn();
    const offer = (await agent?.get('/api/v1/me/admissions'))?.json().items[0].admission;
    expect(offer.competitionId).toBe(f.competitionIds[0]);
    expect((await agent?.post(`/api/v1/admissions/${offer.id}/decline`))?.statusCode).toBe(204);
    const second = await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'after decline' });
    expect(second.json()).toMatchObject({ seq: 2, status: 'published' });
    expect(await lottery()).toEqual(before);
    const second2 = people[before.indexOf(2)];
    const moved = (await (await second2?.signIn())?.get('/api/v1/me/admissions'))?.json().items[0];
    expect(moved.admission).toMatchObject({ status: 'offered', competitionId: f.competitionIds[0], priority: 1 });
    // The timelines show each offer (read from its admission row, not stored twice) and the decline.
    const timeline = async (p: (typeof people)[number] | undefined) =>
      (await (await p?.signIn())?.get(`/api/v1/me/applications/${f.slug}`))
        ?.json()
        .timeline.map((e: { type: string; data: { competition?: string; run?: number } | null }) =>
          e.type === 'offered' ? [e.type, e.data?.competition, e.data?.run] : [e.type],
        );
    expect(await timeline(winner)).toEqual([['offered', f.competitionIds[0], 1], ['offer_declined']]);
    expect((await timeline(second2)).filter((e: string[]) => e[0] === 'offered')).toEqual([
      ['offered', f.competitionIds[1], 1],
      ['offered', f.competitionIds[0], 2],
    ]);
    const runs = (await officer.agent.get(`/api/v1/campaigns/${f.slug}/allocation-runs`)).json().items;
    expect(runs.map((r: { status: string }) => r.status)).toEqual(['published', 'superseded']);
  });

  it('refuses to publish a result the checker rejects, and records the refusal', async () => {
    const f = await allocationCampaign(t, 'alloc-refuse', [
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 1 },
    ]);
    await submittedApplicants(t, f, [
      { name: 'Able One', language: 90, specialty: 90, choices: [0] },
      { name: 'Able Two', language: 60, specialty: 60, choices: [0] },
    ]);
    const { runAllocation } = await import('../../src/server/allocation/allocation.service.js');
    const { findCampaign } = await import('../../src/server/campaigns/campaign.service.js');
    const { SYSTEM_PRINCIPAL } = await import('../../src/server/policies/policy.js');
    const campaign = await findCampaign(t.ctx.db, f.slug);
    // A faulty engine that gives the seat to the weaker applicant: unstable.
    const faulty = (input: Parameters<typeof allocate>[0]) => {
      const good = allocate(input);
      const weaker = input.applications.reduce((w, x) => ((x.score[0] ?? 0) < (w.score[0] ?? 0) ? x : w));
      const stronger = good.assignments[0]?.applicant as string;
      return {
        ...good,
        assignments: [{ applicant: weaker.applicant, competition: weaker.competition }],
        unassigned: [stronger],
      };
    };
    await expect(
      runAllocation(t.ctx, SYSTEM_PRINCIPAL, campaign, { reason: 'faulty', engine: faulty }, { userId: null }),
    ).rejects.toMatchObject({ status: 409, code: 'allocation_check_failed' });
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    const runs = (await officer.agent.get(`/api/v1/campaigns/${f.slug}/allocation-runs`)).json().items;
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('refused');
    expect(runs[0].check.ok).toBe(false);
    expect((await t.agent().get(`/api/v1/public/campaigns/${f.slug}/ranked-lists`)).json().run).toBeNull();
    expect(await t.ctx.db.select().from(admissions).where(eq(admissions.campaignId, f.campaignId))).toHaveLength(0);
    // The offers are written before the checker's verdict (inside a savepoint): none of their audit
    // entries or timeline events survive a refusal.
    const offeredAudit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'admission.offered'), eq(auditLog.reason, 'allocation run 1: faulty')));
    expect(offeredAudit).toHaveLength(0);
    const campaignApplications = await t.ctx.db
      .select({ id: applications.id })
      .from(applications)
      .where(eq(applications.campaignId, f.campaignId));
    expect(campaignApplications.length).toBeGreaterThan(0);
    const offeredEvents = (
      await applicationTimelines(
        t.ctx.db,
        campaignApplications.map((a) => a.id),
      )
    ).filter((e) => e.type === 'offered');
    expect(offeredEvents).toHaveLength(0);
  });

  it('authorization: only the university officers run allocations; a stranger cannot touch an offer', async () => {
    const f = await allocationCampaign(t, 'alloc-authz', [
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 1 },
    ]);
    const [p] = await submittedApplicants(t, f, [{ name: 'Solo One', language: 90, specialty: 90, choices: [0] }]);
    const otherOfficer = await t.signedIn('officer', {
      universityId: (await t.ctx.db.query.universities.findFirst({ where: (u, { eq }) => eq(u.slug, 'rudn') }))
        ?.id as string,
    });
    expect(
      (await otherOfficer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'not mine' })).statusCode,
    ).toBe(403);
    const applicant = await t.signedIn('applicant');
    expect(
      (await applicant.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'mine' })).statusCode,
    ).toBe(403);
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'wave 1' });
    const offer = (await (await p?.signIn())?.get('/api/v1/me/admissions'))?.json().items[0].admission;
    // Another applicant and another university's officer get 404 (existence not revealed).
    expect((await applicant.agent.post(`/api/v1/admissions/${offer.id}/confirm`, { consent: true })).statusCode).toBe(
      404,
    );
    expect(
      (await otherOfficer.agent.post(`/api/v1/admissions/${offer.id}/prepayment`, { reference: 'X' })).statusCode,
    ).toBe(404);
    expect((await applicant.agent.get('/api/v1/me/admissions')).json().items).toEqual([]);
  });

  it('reads each portfolio during the run, behind the lottery draws, and ranks nobody without one', async () => {
    const f = await allocationCampaign(t, 'alloc-portfolio', [
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 2 },
    ]);
    // Portfolio and exams weighted: the run reads each file's reviews while the draws are written.
    await t.ctx.db
      .update(campaigns)
      .set({
        scoreConfig: { mode: 'weighted', weights: { rubric: 1, exams: 1 }, tieBreaks: [], source: 'test: weighted' },
      })
      .where(eq(campaigns.id, f.campaignId));
    await submittedApplicants(t, f, [
      { name: 'Port One', language: 90, specialty: 90, choices: [0] },
      { name: 'Port Two', language: 80, specialty: 80, choices: [0] },
    ]);
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    const run = await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'portfolios' });
    expect(run.statusCode).toBe(201);
    expect(run.json()).toMatchObject({ status: 'published', offersMade: 0 });
    const list = (await t.agent().get(`/api/v1/public/campaigns/${f.slug}/ranked-lists/${f.competitionIds[0]}`)).json();
    expect(list.entries.map((e: { state: string }) => e.state)).toEqual(['not_admitted', 'not_admitted']);
    const draws = await t.ctx.db.select().from(lotteryDraws).where(eq(lotteryDraws.campaignId, f.campaignId));
    expect(draws).toHaveLength(2);
  });

  it('shows an offer stored as an event by an earlier version once, beside its admission row', async () => {
    const f = await allocationCampaign(t, 'alloc-events', [
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 1 },
    ]);
    const [p] = await submittedApplicants(t, f, [{ name: 'Event Once', language: 90, specialty: 90, choices: [0] }]);
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'wave 1' });
    const [admission] = await t.ctx.db.select().from(admissions).where(eq(admissions.campaignId, f.campaignId));
    if (!admission || !p) throw new Error('no offer');
    // What runs before 2026-12 stored for the offer (and an instance of that version would still store
    // during a rolling deploy), and two events that no admission row says.
    const copy = { competition: admission.competitionId, confirmBy: admission.confirmBy.toISOString(), run: 1 };
    const other = { competition: f.competitionIds[0], run: 0, note: 'not an admission of this application' };
    const otherRun = { ...copy, run: 9 };
    await t.ctx.db.insert(applicationEvents).values([
      { applicationId: admission.applicationId, at: admission.createdAt, type: 'offered', data: copy },
      { applicationId: admission.applicationId, at: new Date('2026-08-01T00:00:00Z'), type: 'offered', data: other },
      { applicationId: admission.applicationId, at: admission.createdAt, type: 'offered', data: otherRun },
    ]);
    const offered = (await applicationTimelines(t.ctx.db, [admission.applicationId])).filter(
      (e) => e.type === 'offered',
    );
    expect(offered.map((e) => e.data)).toEqual([other, copy, otherRun]);
    const view = (await (await p.signIn()).get(`/api/v1/me/applications/${f.slug}`)).json();
    expect(view.timeline.filter((e: { type: string }) => e.type === 'offered')).toHaveLength(3);
  });
});

describe('enrollment: confirmation, prepayment, orders, visa', () => {
  it('paid place: consent + contract, prepayment confirmed → seat confirmed → order PDF/XLSX → enrolled', async () => {
    const f = await allocationCampaign(t, 'alloc-enroll', [
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 2 },
    ]);
    const [tm, kz] = await submittedApplicants(t, f, [
      { name: 'Merdan Ataev', citizenship: 'TM', language: 90, specialty: 90, choices: [0] },
      { name: 'Aidos Serik', citizenship: 'KZ', language: 80, specialty: 80, choices: [0] },
    ]);
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'wave 1' });
    const tmAgent = (await tm?.signIn()) as NonNullable<Awaited<ReturnType<NonNullable<typeof tm>['signIn']>>>;
    const offer = (await tmAgent.get('/api/v1/me/admissions')).json().items[0].admission;
    expect(offer).toMatchObject({ needsVisa: true, invitation: { allowed: false, blocker: 'consent_missing' } });

    // A paid place needs the contract accepted.
    const noContract = await tmAgent.post(`/api/v1/admissions/${offer.id}/confirm`, { consent: true });
    expect(noContract.statusCode).toBe(400);
    expect(noContract.json().errors[0]).toMatchObject({ field: 'body.acceptContract', code: 'contract_required' });
    const consent = await tmAgent.post(`/api/v1/admissions/${offer.id}/confirm`, {
      consent: true,
      acceptContract: true,
    });
    expect(consent.statusCode).toBe(200);
    expect(consent.json()).toMatchObject({ status: 'offered' });
    expect(consent.json().consentAt).not.toBeNull();

    // S4-14: Turkmenistan needs a visa; no invitation before the prepayment is confirmed.
    const visaBody = { passportNumber: 'A1234567', consulateCity: 'Ashgabat', consulateCountry: 'TM' };
    const early = await tmAgent.post(`/api/v1/admissions/${offer.id}/visa`, visaBody);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('prepayment_not_confirmed');

    const paid = await officer.agent.post(`/api/v1/admissions/${offer.id}/prepayment`, { reference: 'PAY-001' });
    expect(paid.statusCode).toBe(200);
    expect(paid.json().status).toBe('confirmed');
    const invited = await tmAgent.post(`/api/v1/admissions/${offer.id}/visa`, visaBody);
    expect(invited.statusCode).toBe(201);
    expect(invited.json().status).toBe('requested');

    // The visa path in order, with the registration deadline from the arrival date.
    const step = (body: object) => officer.agent.post(`/api/v1/admissions/${offer.id}/visa/steps`, body);
    expect((await step({ step: 'visa_issued' })).json().code).toBe('visa_step_out_of_order');
    expect((await step({ step: 'invitation_issued' })).statusCode).toBe(400);
    expect((await step({ step: 'invitation_issued', reference: 'INV-77' })).statusCode).toBe(200);
    expect((await step({ step: 'visa_issued' })).statusCode).toBe(200);
    const arrived = await step({ step: 'arrived', at: '2026-08-21T10:00:00Z' });
    // Friday 21 August + 7 working days = Tuesday 1 September.
    expect(arrived.json().registrationDueAt).toBe('2026-09-01T10:00:00.000Z');
    expect((await step({ step: 'registered' })).json().status).toBe('registered');

    // A visa-free citizen (Kazakhstan) cannot request an invitation at all.
    const kzAgent = await kz?.signIn();
    const kzOffer = (await kzAgent?.get('/api/v1/me/admissions'))?.json().items[0].admission;
    expect(kzOffer.needsVisa).toBe(false);
    expect((await kzAgent?.post(`/api/v1/admissions/${kzOffer.id}/visa`, visaBody))?.json().code).toBe(
      'visa_not_needed',
    );

    // The order: only confirmed applicants, numbered, as PDF and XLSX.
    const order = await officer.agent.post(`/api/v1/campaigns/${f.slug}/orders`, {
      competitionId: f.competitionIds[0],
      signedBy: 'A. Rector',
    });
    expect(order.statusCode).toBe(201);
    const pdf = await officer.agent.get(`/api/v1/orders/${order.json().id}/document?format=pdf&lang=ru`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment;/);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const xlsx = await officer.agent.get(`/api/v1/orders/${order.json().id}/document?format=xlsx&lang=en`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0]?.eachRow((row) => {
      row.eachCell((cell) => {
        cells.push(String(cell.value));
      });
    });
    expect(cells.join(' ')).toContain('Ataev');
    expect(cells.join(' ')).not.toContain('Serik');
    // Only the officers of the university can read the order.
    const applicantView = await tmAgent.get(`/api/v1/orders/${order.json().id}/document`);
    expect(applicantView.statusCode).toBe(404);
    const mine = (await tmAgent.get('/api/v1/me/admissions')).json().items[0].admission;
    expect(mine).toMatchObject({ status: 'enrolled', orderNumber: order.json().number });
    // Nothing left to enroll.
    const again = await officer.agent.post(`/api/v1/campaigns/${f.slug}/orders`, {
      competitionId: f.competitionIds[0],
      signedBy: 'A. Rector',
    });
    expect(again.json().code).toBe('nothing_to_enroll');
  });

  it('releases offers not confirmed by the deadline and re-runs, moving the next applicant up', async () => {
    const f = await allocationCampaign(t, 'alloc-expire', [
      { program: 'kaznmu-residency-ophthalmology', funding: 'quota', seats: 1 },
    ]);
    const [first, second] = await submittedApplicants(t, f, [
      { name: 'Late Person', language: 90, specialty: 90, choices: [0] },
      { name: 'Next Person', language: 70, specialty: 70, choices: [0] },
    ]);
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'wave 1' });
    const offer = (await (await first?.signIn())?.get('/api/v1/me/admissions'))?.json().items[0].admission;
    t.clock.set(new Date(new Date(offer.confirmBy).getTime() + 60_000));
    const late = await first?.signIn();
    const tooLate = await late?.post(`/api/v1/admissions/${offer.id}/confirm`, { consent: true });
    expect(tooLate?.statusCode).toBe(409);
    expect(tooLate?.json()).toMatchObject({ code: 'confirmation_closed' });
    expect(tooLate?.json().detail).toContain(offer.confirmBy.slice(0, 16));

    const officerLater = await t.signedIn('officer', { universityId: f.universityId });
    const closed = await officerLater.agent.post(`/api/v1/campaigns/${f.slug}/admissions/close-confirmations`);
    expect(closed.json()).toMatchObject({ expired: 1, run: { seq: 2, status: 'published', offersMade: 1 } });
    const next = (await (await second?.signIn())?.get('/api/v1/me/admissions'))?.json().items[0].admission;
    expect(next).toMatchObject({ status: 'offered', funding: 'quota' });
    // Quota place: consent alone confirms it.
    const agent = await second?.signIn();
    expect((await agent?.post(`/api/v1/admissions/${next.id}/confirm`, { consent: true }))?.json().status).toBe(
      'confirmed',
    );
    const mailToLate = await t.mail.next(first?.email as string);
    expect(mailToLate).toBeTruthy();
    t.clock.set(new Date('2026-08-25T09:00:00Z'));
  });

  it('a confirmed applicant who withdraws the application frees the seat at the next run', async () => {
    const f = await allocationCampaign(t, 'alloc-withdraw-confirmed', [
      { program: 'kaznmu-residency-endocrinology', funding: 'quota', seats: 1 },
    ]);
    const [top, next] = await submittedApplicants(t, f, [
      { name: 'Top Person', language: 95, specialty: 95, choices: [0] },
      { name: 'Next Person', language: 60, specialty: 60, choices: [0] },
    ]);
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'wave 1' });
    const agent = await top?.signIn();
    const offer = (await agent?.get('/api/v1/me/admissions'))?.json().items[0].admission;
    expect((await agent?.post(`/api/v1/admissions/${offer.id}/confirm`, { consent: true }))?.json().status).toBe(
      'confirmed',
    );
    await t.ctx.db
      .update(applications)
      .set({ status: 'withdrawn' })
      .where(eq(applications.id, top?.applicationId as string));
    await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'after withdrawal' });
    const [closed] = await t.ctx.db.select().from(admissions).where(eq(admissions.id, offer.id));
    expect(closed).toMatchObject({ status: 'declined', closedReason: 'application_withdrawn' });
    const moved = (await (await next?.signIn())?.get('/api/v1/me/admissions'))?.json().items[0].admission;
    expect(moved).toMatchObject({ status: 'offered' });
  });

  it('the last seat under concurrent confirmations: exactly one wins', async () => {
    const f = await allocationCampaign(t, 'alloc-last-seat', [
      { program: 'kaznmu-residency-cardiology', funding: 'quota', seats: 50 },
    ]);
    const people = await submittedApplicants(
      t,
      f,
      Array.from({ length: 50 }, (_, i) => ({ name: `Seat P${i}`, language: 80, specialty: 40 + i, choices: [0] })),
    );
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'wave 1' });
    const agents = await Promise.all(people.map((p) => p.signIn()));
    const offers = await Promise.all(
      agents.map(async (a) => (await a.get('/api/v1/me/admissions')).json().items[0].admission.id as string),
    );
    // The ministry cuts the seats to one after the offers went out.
    const cut = await officer.agent.patch(`/api/v1/campaigns/${f.slug}/competitions/${f.competitionIds[0]}`, {
      seats: 1,
      reason: 'quota reduced',
    });
    expect(cut.statusCode).toBe(200);
    const results = await Promise.all(
      agents.map((a, i) => a.post(`/api/v1/admissions/${offers[i]}/confirm`, { consent: true })),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    expect(results.find((r) => r.statusCode === 409)?.json().code).toBe('no_seats_left');
    const confirmed = await t.ctx.db
      .select()
      .from(admissions)
      .where(and(eq(admissions.campaignId, f.campaignId), eq(admissions.status, 'confirmed')));
    expect(confirmed).toHaveLength(1);
  });
});
