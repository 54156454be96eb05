/**
 * From an offer to enrollment: the applicant confirms (consent; contract and prepayment for paid
 * places) by the deadline, or the place is released and the allocation re-runs; officers confirm
 * prepayments and issue enrollment orders per competition (quota referrals by a separate order, S4-2).
 */
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  admissions,
  applicationEvents,
  applications,
  campaigns,
  competitions,
  enrollmentOrders,
  lotteryDraws,
  programs,
  rankedLists,
  universities,
  users,
  visaCases,
} from '../../db/schema.js';
import type { TDossier } from '../../domain/dossier/dossier.schema.js';
import { enrollmentSettings, needsVisa } from '../../domain/enrollment/settings.js';
import type { CampaignRow } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { type AdmissionMailKind, renderAdmissionMail } from '../mail/admission-mail.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { decodeEntries, publishedRun, runAllocation } from './allocation.service.js';

export type AdmissionRow = typeof admissions.$inferSelect;

/** The admission with what every step needs: competition, program, campaign and the applicant's snapshot. */
export async function admissionContext(db: Db, admissionId: string) {
  if (!/^[0-9a-f-]{36}$/.test(admissionId)) return undefined;
  const [row] = await db
    .select({
      admission: admissions,
      competition: competitions,
      program: programs,
      campaign: campaigns,
      snapshot: applications.snapshot,
      applicationNumber: applications.number,
    })
    .from(admissions)
    .innerJoin(competitions, eq(competitions.id, admissions.competitionId))
    .innerJoin(programs, eq(programs.id, competitions.programId))
    .innerJoin(campaigns, eq(campaigns.id, admissions.campaignId))
    .innerJoin(applications, eq(applications.id, admissions.applicationId))
    .where(eq(admissions.id, admissionId));
  return row;
}
export type AdmissionContext = NonNullable<Awaited<ReturnType<typeof admissionContext>>>;

export function dossierOf(snapshot: unknown): TDossier | null {
  return ((snapshot as { dossier?: TDossier } | null)?.dossier ?? null) as TDossier | null;
}

/** Loads an admission the principal may act on as its applicant (404 otherwise, never revealing it exists). */
async function ownAdmission(ctx: AppContext, principal: Principal | null, admissionId: string) {
  const row = await admissionContext(ctx.db, admissionId);
  authorize(principal, 'application.write', { userId: row?.admission.applicantId ?? '' }, { hideExistence: true });
  if (!row) throw problems.notFound('admission');
  return row;
}

/** Loads an admission for the officers of its university (404 for anyone else). */
export async function managedAdmission(ctx: AppContext, principal: Principal | null, admissionId: string) {
  const row = await admissionContext(ctx.db, admissionId);
  authorize(principal, 'admission.manage', { universityId: row?.campaign.universityId ?? '' }, { hideExistence: true });
  if (!row) throw problems.notFound('admission');
  return row;
}

async function mail(ctx: AppContext, admission: AdmissionRow, kind: AdmissionMailKind, extra = {}) {
  try {
    const [user] = await ctx.db.select().from(users).where(eq(users.id, admission.applicantId));
    if (user) await ctx.mailer.send(await renderAdmissionMail(ctx, user, admission, kind, extra));
  } catch (error) {
    ctx.log?.error({ err: error }, `could not send the ${kind} e-mail`);
  }
}

const paid = (row: AdmissionContext) => row.competition.funding === 'contract';

/** Whether the seat may be confirmed now: consent given, and for a paid place the contract and the prepayment. */
function readyToConfirm(row: AdmissionContext, a: AdmissionRow): boolean {
  if (!a.consentAt) return false;
  if (!paid(row)) return true;
  const settings = enrollmentSettings(row.campaign.enrollment);
  return !!a.contractAcceptedAt && (!settings.prepaymentRequired || !!a.prepaymentConfirmedAt);
}

/**
 * Turns an offer into a confirmed seat, under a lock on the competition: when its seats are all
 * confirmed already (the university lowered the count), the confirmation loses and says so.
 */
async function confirmSeat(ctx: AppContext, tx: Db, a: AdmissionRow, actor: Actor, now: Date): Promise<AdmissionRow> {
  const [comp] = (await tx.execute(sql`select seats from competitions where id = ${a.competitionId} for update`))
    .rows as { seats: number }[];
  const [{ n } = { n: 0 }] = (
    await tx.execute(
      sql`select count(*)::int as n from admissions where competition_id = ${a.competitionId} and status in ('confirmed', 'enrolled')`,
    )
  ).rows as { n: number }[];
  if (!comp || n >= comp.seats) {
    throw problems.conflict('no_seats_left', 'Every seat of this competition is confirmed already.');
  }
  const [updated] = await tx
    .update(admissions)
    .set({ status: 'confirmed', confirmedAt: now, updatedAt: now })
    .where(and(eq(admissions.id, a.id), eq(admissions.status, 'offered')))
    .returning();
  if (!updated) throw problems.conflict('not_offered', 'This place is no longer on offer.');
  await tx
    .insert(applicationEvents)
    .values({ applicationId: a.applicationId, at: now, type: 'confirmed', data: { competition: a.competitionId } });
  await recordAudit(tx, ctx.clock, actor, {
    action: 'admission.confirmed',
    subjectType: 'admission',
    subjectId: a.id,
    before: { status: 'offered' },
    after: { status: 'confirmed', seats: comp.seats, confirmedBefore: n },
  });
  return updated;
}

/** The applicant's consent (and acceptance of the contract for a paid place). */
export async function confirmAdmission(
  ctx: AppContext,
  principal: Principal | null,
  admissionId: string,
  input: { consent: boolean; acceptContract?: boolean | undefined },
  actor: Actor,
): Promise<AdmissionRow> {
  const row = await ownAdmission(ctx, principal, admissionId);
  const now = ctx.clock.now();
  const errors = [];
  if (!input.consent)
    errors.push({ field: 'body.consent', code: 'consent_required', message: 'Consent to enrollment is required.' });
  if (paid(row) && !input.acceptContract)
    errors.push({
      field: 'body.acceptContract',
      code: 'contract_required',
      message: 'A paid place needs the contract accepted.',
    });
  if (errors.length) throw problems.validation(errors);
  const updated = await ctx.db.transaction(async (tx) => {
    const [a] = await tx.select().from(admissions).where(eq(admissions.id, admissionId)).for('update');
    if (a?.status !== 'offered') {
      throw problems.conflict('not_offered', `This place is ${a?.status ?? 'gone'}, not on offer.`);
    }
    if (now > a.confirmBy) {
      throw new ProblemError(409, 'confirmation_closed', 'Confirmation deadline passed', {
        detail: `Places had to be confirmed by ${a.confirmBy.toISOString()}.`,
      });
    }
    const [consented] = await tx
      .update(admissions)
      .set({
        consentAt: a.consentAt ?? now,
        contractAcceptedAt: paid(row) ? (a.contractAcceptedAt ?? now) : null,
        updatedAt: now,
      })
      .where(eq(admissions.id, a.id))
      .returning();
    if (!consented) throw new Error('consent update returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'admission.consented',
      subjectType: 'admission',
      subjectId: a.id,
      before: { consentAt: a.consentAt, contractAcceptedAt: a.contractAcceptedAt },
      after: { consentAt: consented.consentAt, contractAcceptedAt: consented.contractAcceptedAt },
    });
    return readyToConfirm(row, consented) ? confirmSeat(ctx, tx, consented, actor, now) : consented;
  });
  if (updated.status === 'confirmed') await mail(ctx, updated, 'confirmed');
  return updated;
}

/** Officer: the prepayment of a paid place arrived (S4-14: only then may a visa invitation be requested). */
export async function confirmPrepayment(
  ctx: AppContext,
  principal: Principal | null,
  admissionId: string,
  input: { reference: string },
  actor: Actor,
): Promise<AdmissionRow> {
  const row = await managedAdmission(ctx, principal, admissionId);
  if (!paid(row)) throw problems.conflict('not_paid_place', 'Only paid places have a prepayment.');
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const [a] = await tx.select().from(admissions).where(eq(admissions.id, admissionId)).for('update');
    if (!a || !['offered', 'confirmed', 'enrolled'].includes(a.status)) {
      throw problems.conflict('not_offered', `This place is ${a?.status ?? 'gone'}.`);
    }
    if (a.prepaymentConfirmedAt) throw problems.conflict('already_confirmed', 'The prepayment is confirmed already.');
    const [paidRow] = await tx
      .update(admissions)
      .set({
        prepaymentConfirmedAt: now,
        prepaymentConfirmedBy: actor.userId,
        prepaymentReference: input.reference,
        updatedAt: now,
      })
      .where(eq(admissions.id, a.id))
      .returning();
    if (!paidRow) throw new Error('prepayment update returned nothing');
    await tx.insert(applicationEvents).values({
      applicationId: a.applicationId,
      at: now,
      type: 'prepayment_confirmed',
      data: { reference: input.reference },
    });
    await recordAudit(tx, ctx.clock, actor, {
      action: 'admission.prepayment_confirmed',
      subjectType: 'admission',
      subjectId: a.id,
      before: { prepaymentConfirmedAt: null },
      after: { prepaymentConfirmedAt: now.toISOString(), reference: input.reference },
    });
    return paidRow.status === 'offered' && readyToConfirm(row, paidRow)
      ? confirmSeat(ctx, tx, paidRow, actor, now)
      : paidRow;
  });
  await mail(ctx, updated, 'prepayment_confirmed');
  if (updated.status === 'confirmed' && row.admission.status === 'offered') await mail(ctx, updated, 'confirmed');
  return updated;
}

async function withdrawWithAdmission(
  ctx: AppContext,
  tx: Db,
  a: AdmissionRow,
  status: 'declined' | 'expired',
  actor: Actor,
  now: Date,
) {
  await tx.update(admissions).set({ status, closedReason: status, updatedAt: now }).where(eq(admissions.id, a.id));
  await tx
    .update(applications)
    .set({ status: 'withdrawn', updatedAt: now })
    .where(eq(applications.id, a.applicationId));
  await tx.insert(applicationEvents).values({
    applicationId: a.applicationId,
    at: now,
    type: status === 'declined' ? 'offer_declined' : 'offer_expired',
    data: { competition: a.competitionId, deadline: a.confirmBy.toISOString() },
  });
  await recordAudit(tx, ctx.clock, actor, {
    action: `admission.${status}`,
    subjectType: 'admission',
    subjectId: a.id,
    before: { status: a.status },
    after: { status, application: 'withdrawn' },
    reason: status === 'expired' ? `not confirmed by ${a.confirmBy.toISOString()}` : 'declined by the applicant',
  });
}

/** The applicant gives up the place (and the application): the seat returns to the next run. */
export async function declineAdmission(
  ctx: AppContext,
  principal: Principal | null,
  admissionId: string,
  actor: Actor,
): Promise<void> {
  await ownAdmission(ctx, principal, admissionId);
  const now = ctx.clock.now();
  const a = await ctx.db.transaction(async (tx) => {
    const [a] = await tx.select().from(admissions).where(eq(admissions.id, admissionId)).for('update');
    if (!a || !['offered', 'confirmed'].includes(a.status)) {
      throw problems.conflict('not_offered', `This place is ${a?.status ?? 'gone'}; it cannot be declined.`);
    }
    await withdrawWithAdmission(ctx, tx, a, 'declined', actor, now);
    return a;
  });
  await mail(ctx, a, 'declined');
}

/**
 * Officer: releases every offer whose confirmation deadline has passed (those applicants are
 * withdrawn), then re-runs the allocation so the freed seats go to the next in line.
 */
export async function closeConfirmations(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  actor: Actor,
) {
  authorize(principal, 'campaign.allocate', { universityId: campaign.universityId });
  const now = ctx.clock.now();
  const expired = await ctx.db.transaction(async (tx) => {
    const overdue = await tx
      .select()
      .from(admissions)
      .where(
        and(eq(admissions.campaignId, campaign.id), eq(admissions.status, 'offered'), lt(admissions.confirmBy, now)),
      )
      .for('update');
    for (const a of overdue) await withdrawWithAdmission(ctx, tx, a, 'expired', actor, now);
    return overdue;
  });
  for (const a of expired) await mail(ctx, a, 'expired');
  const run = expired.length
    ? await runAllocation(
        ctx,
        principal,
        campaign,
        { reason: `re-run after ${expired.length} expired offer(s)` },
        actor,
      )
    : null;
  return { expired: expired.length, run };
}

/** Officer: the admissions of a campaign with the applicant, competition and visa state. */
export async function listAdmissions(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  filter: { status?: string | undefined; competitionId?: string | undefined },
) {
  authorize(principal, 'campaign.applications.read', { universityId: campaign.universityId });
  const settings = enrollmentSettings(campaign.enrollment);
  const rows = await ctx.db
    .select({
      admission: admissions,
      competition: competitions,
      program: programs,
      applicationNumber: applications.number,
      snapshot: applications.snapshot,
      fullName: users.fullName,
      visa: visaCases,
    })
    .from(admissions)
    .innerJoin(competitions, eq(competitions.id, admissions.competitionId))
    .innerJoin(programs, eq(programs.id, competitions.programId))
    .innerJoin(applications, eq(applications.id, admissions.applicationId))
    .innerJoin(users, eq(users.id, admissions.applicantId))
    .leftJoin(visaCases, eq(visaCases.admissionId, admissions.id))
    .where(
      and(
        eq(admissions.campaignId, campaign.id),
        filter.status ? eq(admissions.status, filter.status) : undefined,
        filter.competitionId ? eq(admissions.competitionId, filter.competitionId) : undefined,
      ),
    )
    .orderBy(asc(programs.titleEn), asc(applications.number))
    .limit(5000);
  return rows.map((r) => {
    const dossier = dossierOf(r.snapshot);
    return {
      ...r,
      citizenship: dossier?.citizenship ?? null,
      needsVisa: needsVisa(dossier?.citizenship, settings),
    };
  });
}

/** The enrollment order of the confirmed applicants of one competition; they become enrolled. */
export async function issueOrder(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  competitionId: string,
  input: { signedBy: string },
  actor: Actor,
) {
  authorize(principal, 'admission.manage', { universityId: campaign.universityId });
  const [comp] = await ctx.db
    .select()
    .from(competitions)
    .where(and(eq(competitions.id, competitionId), eq(competitions.campaignId, campaign.id)));
  if (!comp) throw problems.notFound('competition');
  const now = ctx.clock.now();
  const run = await publishedRun(ctx.db, campaign.id);
  const [list] = run
    ? await ctx.db
        .select({ entries: rankedLists.entries })
        .from(rankedLists)
        .where(and(eq(rankedLists.runId, run.id), eq(rankedLists.competitionId, competitionId)))
    : [];
  const scoreByLottery = new Map(list ? decodeEntries(list.entries).map((e) => [e.lottery, e.score]) : []);
  const draws = await ctx.db
    .select({ applicantId: lotteryDraws.applicantId, lottery: lotteryDraws.lottery })
    .from(lotteryDraws)
    .where(eq(lotteryDraws.campaignId, campaign.id));
  const scoreOf = new Map(draws.map((d) => [d.applicantId, scoreByLottery.get(d.lottery)]));
  const order = await ctx.db.transaction(async (tx) => {
    const confirmed = await tx
      .select({ admission: admissions, snapshot: applications.snapshot, number: applications.number })
      .from(admissions)
      .innerJoin(applications, eq(applications.id, admissions.applicationId))
      .where(and(eq(admissions.competitionId, competitionId), eq(admissions.status, 'confirmed')))
      .orderBy(asc(applications.number))
      .for('update', { of: admissions });
    if (confirmed.length === 0) {
      throw problems.conflict('nothing_to_enroll', 'No confirmed applicant in this competition awaits an order.');
    }
    const [{ n } = { n: 0 }] = (
      await tx.execute(sql`select count(*)::int + 1 as n from enrollment_orders where campaign_id = ${campaign.id}`)
    ).rows as { n: number }[];
    const number = `${campaign.slug.toUpperCase().slice(0, 24)}-${comp.funding === 'quota' ? 'Q' : 'E'}-${String(n).padStart(3, '0')}`;
    const students = confirmed.map(({ admission, snapshot, number: applicationNumber }, i) => {
      const d = dossierOf(snapshot);
      const cyr = d?.cyrillicName;
      return {
        position: i + 1,
        applicantId: admission.applicantId,
        applicationNumber: applicationNumber ?? '',
        fullNameLatin: d ? `${d.latinName.surname} ${d.latinName.givenNames}` : '',
        fullNameCyrillic: cyr ? [cyr.surname, cyr.givenNames, cyr.patronymic].filter(Boolean).join(' ') : null,
        citizenship: d?.citizenship ?? null,
        score: scoreOf.get(admission.applicantId) ?? null,
      };
    });
    const [order] = await tx
      .insert(enrollmentOrders)
      .values({
        campaignId: campaign.id,
        competitionId,
        number,
        quotaReferral: comp.funding === 'quota',
        students,
        signedBy: input.signedBy,
        issuedBy: actor.userId ?? '00000000-0000-0000-0000-000000000000',
        issuedAt: now,
      })
      .returning();
    if (!order) throw new Error('order insert returned nothing');
    const ids = confirmed.map((c) => c.admission.id);
    await tx
      .update(admissions)
      .set({ status: 'enrolled', orderId: order.id, updatedAt: now })
      .where(inArray(admissions.id, ids));
    await tx.insert(applicationEvents).values(
      confirmed.map((c) => ({
        applicationId: c.admission.applicationId,
        at: now,
        type: 'enrolled',
        data: { order: number },
      })),
    );
    for (const c of confirmed) {
      await recordAudit(tx, ctx.clock, actor, {
        action: 'admission.enrolled',
        subjectType: 'admission',
        subjectId: c.admission.id,
        before: { status: 'confirmed' },
        after: { status: 'enrolled', order: number },
      });
    }
    return { order, admissions: confirmed.map((c) => c.admission) };
  });
  for (const a of order.admissions) await mail(ctx, a, 'enrolled', { detail: order.order.number });
  return order.order;
}

export async function listOrders(ctx: AppContext, principal: Principal | null, campaign: CampaignRow) {
  authorize(principal, 'campaign.applications.read', { universityId: campaign.universityId });
  return ctx.db
    .select({ order: enrollmentOrders, program: programs, competition: competitions })
    .from(enrollmentOrders)
    .innerJoin(competitions, eq(competitions.id, enrollmentOrders.competitionId))
    .innerJoin(programs, eq(programs.id, competitions.programId))
    .where(eq(enrollmentOrders.campaignId, campaign.id))
    .orderBy(asc(enrollmentOrders.issuedAt));
}

/** An order with everything its document shows, for the officers of its university. */
export async function orderForDocument(ctx: AppContext, principal: Principal | null, orderId: string) {
  if (!/^[0-9a-f-]{36}$/.test(orderId)) throw problems.notFound('order');
  const [row] = await ctx.db
    .select({
      order: enrollmentOrders,
      competition: competitions,
      program: programs,
      campaign: campaigns,
      university: universities,
    })
    .from(enrollmentOrders)
    .innerJoin(competitions, eq(competitions.id, enrollmentOrders.competitionId))
    .innerJoin(programs, eq(programs.id, competitions.programId))
    .innerJoin(campaigns, eq(campaigns.id, enrollmentOrders.campaignId))
    .innerJoin(universities, eq(universities.id, campaigns.universityId))
    .where(eq(enrollmentOrders.id, orderId));
  authorize(
    principal,
    'campaign.applications.read',
    { universityId: row?.campaign.universityId ?? '' },
    { hideExistence: true },
  );
  if (!row) throw problems.notFound('order');
  return row;
}
