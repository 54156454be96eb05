import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  applications,
  campaigns,
  examBookings,
  examResults,
  examSessions,
  universities,
  users,
} from '../../db/schema.js';
import type { TWindow } from '../../domain/campaign/campaign.schema.js';
import {
  type ApplicantGroup,
  canRetake,
  examOutcome,
  examsFor,
  KAZNMU_RESIDENCY_EXAMS,
  RUSSIAN_RESIDENCY_ACCREDITATION,
  type TExamPlan,
  type TExamSlot,
  ZExamPlan,
} from '../../domain/exams/exam-plan.js';
import { type CampaignRow, saveCampaignSetting } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { getDossier } from '../dossier/dossier.service.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';

export const EXAM_PRESETS: Record<string, TExamPlan> = {
  'kaznmu-residency': KAZNMU_RESIDENCY_EXAMS,
  'russian-accreditation': RUSSIAN_RESIDENCY_ACCREDITATION,
};
/** Bookings can change until this long before the sitting. */
const CHANGE_UNTIL_MS = 24 * 3_600_000;

export function examPlanOf(c: CampaignRow): TExamPlan | null {
  return c.examPlan ? (c.examPlan as TExamPlan) : null;
}

function slotOf(plan: TExamPlan | null, slotId: string): TExamSlot {
  const slot = plan?.slots.find((s) => s.id === slotId);
  if (!slot)
    throw problems.validation([{ field: 'slotId', code: 'unknown_slot', message: `No exam "${slotId}" in the plan.` }]);
  return slot;
}

export async function saveExamPlan(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  plan: TExamPlan,
  actor: Actor,
) {
  await saveCampaignSetting(ctx, principal, campaign, 'examPlan', ZExamPlan.parse(plan), 'exam.plan_saved', actor);
}

export async function sessionsOf(db: Db, campaignId: string) {
  const rows = await db
    .select()
    .from(examSessions)
    .where(eq(examSessions.campaignId, campaignId))
    .orderBy(asc(examSessions.startsAt));
  const booked = rows.length
    ? await db
        .select({ sessionId: examBookings.sessionId, n: count() })
        .from(examBookings)
        .where(
          inArray(
            examBookings.sessionId,
            rows.map((r) => r.id),
          ),
        )
        .groupBy(examBookings.sessionId)
    : [];
  return rows.map((s) => ({ ...s, booked: booked.find((b) => b.sessionId === s.id)?.n ?? 0 }));
}

/** Sittings lie inside the campaign's exam window (S2-4: 1–20 August) when it has one. */
export async function createSession(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  input: {
    slotId: string;
    startsAt: Date;
    endsAt: Date;
    mode: 'on_site' | 'online';
    location?: string | undefined;
    capacity: number;
  },
  actor: Actor,
) {
  authorize(principal, 'campaign.write', { universityId: campaign.universityId });
  slotOf(examPlanOf(campaign), input.slotId);
  if (input.endsAt <= input.startsAt)
    throw problems.validation([{ field: 'body.endsAt', code: 'out_of_range', message: 'must be after the start' }]);
  const windows = (campaign.windows as TWindow[]).filter((w) => w.kind === 'exams' && !w.yearRound);
  const inside = windows.some(
    (w) => (!w.opens || input.startsAt >= new Date(w.opens)) && (!w.closes || input.endsAt <= new Date(w.closes)),
  );
  if (windows.length && !inside) {
    throw problems.validation([
      {
        field: 'body.startsAt',
        code: 'outside_exam_window',
        message: `Sittings must lie within ${windows.map((w) => `${w.opens} – ${w.closes}`).join(', ')}.`,
      },
    ]);
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(examSessions)
      .values({
        campaignId: campaign.id,
        slotId: input.slotId,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        mode: input.mode,
        location: input.location ?? null,
        capacity: input.capacity,
      })
      .returning();
    if (!row) throw new Error('session insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'exam.session_created',
      subjectType: 'exam_session',
      subjectId: row.id,
      after: { slotId: row.slotId, startsAt: row.startsAt.toISOString(), capacity: row.capacity },
    });
    return row;
  });
}

export async function deleteSession(ctx: AppContext, principal: Principal | null, sessionId: string, actor: Actor) {
  const [session] = await ctx.db
    .select({ s: examSessions, c: campaigns })
    .from(examSessions)
    .innerJoin(campaigns, eq(campaigns.id, examSessions.campaignId))
    .where(eq(examSessions.id, sessionId));
  if (!session) throw problems.notFound('exam session');
  authorize(principal, 'campaign.write', { universityId: session.c.universityId });
  const [{ n } = { n: 0 }] = await ctx.db
    .select({ n: count() })
    .from(examBookings)
    .where(eq(examBookings.sessionId, sessionId));
  if (n > 0) throw problems.conflict('session_booked', `${n} applicant(s) booked this sitting; move them first.`);
  await ctx.db.transaction(async (tx) => {
    await tx.delete(examSessions).where(eq(examSessions.id, sessionId));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'exam.session_deleted',
      subjectType: 'exam_session',
      subjectId: sessionId,
    });
  });
}

/** Foreign citizens take the language of instruction instead of a foreign language (S2-5). */
export async function applicantGroup(
  ctx: AppContext,
  applicantId: string,
  campaign: CampaignRow,
): Promise<ApplicantGroup> {
  const [{ dossier }, [university]] = await Promise.all([
    getDossier(ctx, applicantId),
    ctx.db.select().from(universities).where(eq(universities.id, campaign.universityId)),
  ]);
  return dossier?.citizenship && university?.country && dossier.citizenship === university.country
    ? 'local'
    : 'foreign';
}

async function submittedApplication(ctx: AppContext, applicantId: string, campaign: CampaignRow) {
  const [row] = await ctx.db
    .select()
    .from(applications)
    .where(
      and(
        eq(applications.applicantId, applicantId),
        eq(applications.campaignId, campaign.id),
        eq(applications.status, 'submitted'),
      ),
    );
  if (!row) throw problems.notFound('submitted application');
  return row;
}

export async function myExams(ctx: AppContext, applicantId: string, campaign: CampaignRow) {
  await submittedApplication(ctx, applicantId, campaign);
  const plan = examPlanOf(campaign);
  const group = await applicantGroup(ctx, applicantId, campaign);
  const sessions = await sessionsOf(ctx.db, campaign.id);
  const bookings = await ctx.db
    .select()
    .from(examBookings)
    .where(and(eq(examBookings.applicantId, applicantId), eq(examBookings.campaignId, campaign.id)));
  const results = await ctx.db
    .select()
    .from(examResults)
    .where(and(eq(examResults.applicantId, applicantId), eq(examResults.campaignId, campaign.id)))
    .orderBy(asc(examResults.attempt));
  return {
    group,
    sessions,
    slots: (plan ? examsFor(plan, group) : []).map((choice) => {
      const slot = slotOf(plan, choice.slotId);
      const booking = bookings.find((b) => b.slotId === choice.slotId);
      const session = booking ? sessions.find((s) => s.id === booking.sessionId) : undefined;
      return {
        ...choice,
        maxScore: slot.maxScore,
        passPercent: slot.passPercent,
        booking:
          booking && session
            ? {
                sessionId: session.id,
                optionId: booking.optionId,
                startsAt: session.startsAt,
                endsAt: session.endsAt,
                mode: session.mode,
                location: session.location,
              }
            : null,
        results: results
          .filter((r) => r.slotId === choice.slotId)
          .map((r) => ({ attempt: r.attempt, status: r.status, score: r.score, outcome: r.outcome })),
      };
    }),
  };
}

/** Books a sitting (or moves the booking) while seats are left and the sitting is more than 24 h away. */
export async function book(
  ctx: AppContext,
  applicantId: string,
  campaign: CampaignRow,
  slotId: string,
  sessionId: string,
  optionId: string,
  actor: Actor,
) {
  await submittedApplication(ctx, applicantId, campaign);
  const plan = examPlanOf(campaign);
  const slot = slotOf(plan, slotId);
  const group = await applicantGroup(ctx, applicantId, campaign);
  if (!slot.options[group].some((o) => o.id === optionId)) {
    throw new ProblemError(409, 'option_not_allowed', 'Option not allowed', {
      detail:
        group === 'foreign'
          ? 'Foreign citizens take the language of instruction (S2-5).'
          : 'Choose one of the listed options.',
    });
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [session] = await tx
      .select()
      .from(examSessions)
      .where(
        and(eq(examSessions.id, sessionId), eq(examSessions.campaignId, campaign.id), eq(examSessions.slotId, slotId)),
      )
      .for('update');
    if (!session) throw problems.notFound('exam session');
    if (session.startsAt.getTime() - now.getTime() < CHANGE_UNTIL_MS) {
      throw new ProblemError(409, 'too_late_to_change', 'Too late', {
        detail: 'Bookings close 24 hours before the sitting.',
      });
    }
    const [existing] = await tx
      .select()
      .from(examBookings)
      .where(
        and(
          eq(examBookings.applicantId, applicantId),
          eq(examBookings.campaignId, campaign.id),
          eq(examBookings.slotId, slotId),
        ),
      );
    if (existing && existing.sessionId !== sessionId) {
      const [old] = await tx.select().from(examSessions).where(eq(examSessions.id, existing.sessionId));
      if (old && old.startsAt.getTime() - now.getTime() < CHANGE_UNTIL_MS) {
        throw new ProblemError(409, 'too_late_to_change', 'Too late', {
          detail: 'Your sitting is less than 24 hours away.',
        });
      }
    }
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(examBookings)
      .where(eq(examBookings.sessionId, sessionId));
    if ((!existing || existing.sessionId !== sessionId) && n >= session.capacity) {
      throw new ProblemError(409, 'session_full', 'Sitting full', {
        detail: 'No seats are left in this sitting; choose another.',
      });
    }
    if (existing)
      await tx
        .delete(examBookings)
        .where(and(eq(examBookings.sessionId, existing.sessionId), eq(examBookings.applicantId, applicantId)));
    await tx
      .insert(examBookings)
      .values({ sessionId, applicantId, campaignId: campaign.id, slotId, optionId, bookedAt: now });
    await recordAudit(tx, ctx.clock, actor, {
      action: existing ? 'exam.rescheduled' : 'exam.booked',
      subjectType: 'exam_booking',
      subjectId: `${campaign.id}:${applicantId}:${slotId}`,
      before: existing ? { sessionId: existing.sessionId, optionId: existing.optionId } : null,
      after: { sessionId, optionId },
    });
    return session;
  });
}

export async function cancelBooking(
  ctx: AppContext,
  applicantId: string,
  campaign: CampaignRow,
  slotId: string,
  actor: Actor,
) {
  const [existing] = await ctx.db
    .select({ b: examBookings, s: examSessions })
    .from(examBookings)
    .innerJoin(examSessions, eq(examSessions.id, examBookings.sessionId))
    .where(
      and(
        eq(examBookings.applicantId, applicantId),
        eq(examBookings.campaignId, campaign.id),
        eq(examBookings.slotId, slotId),
      ),
    );
  if (!existing) throw problems.notFound('booking');
  if (existing.s.startsAt.getTime() - ctx.clock.now().getTime() < CHANGE_UNTIL_MS) {
    throw new ProblemError(409, 'too_late_to_change', 'Too late', {
      detail: 'Your sitting is less than 24 hours away.',
    });
  }
  await ctx.db.transaction(async (tx) => {
    await tx
      .delete(examBookings)
      .where(and(eq(examBookings.sessionId, existing.b.sessionId), eq(examBookings.applicantId, applicantId)));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'exam.cancelled',
      subjectType: 'exam_booking',
      subjectId: `${campaign.id}:${applicantId}:${slotId}`,
      before: { sessionId: existing.b.sessionId },
    });
  });
}

/** The officer's grid: every submitted applicant with the latest attempt per exam. */
export async function resultsGrid(ctx: AppContext, principal: Principal | null, campaign: CampaignRow) {
  authorize(principal, 'campaign.applications.read', { universityId: campaign.universityId });
  const plan = examPlanOf(campaign);
  const rows = await ctx.db
    .select({ application: applications, user: users })
    .from(applications)
    .innerJoin(users, eq(users.id, applications.applicantId))
    .where(and(eq(applications.campaignId, campaign.id), eq(applications.status, 'submitted')))
    .orderBy(asc(applications.number));
  const results = await ctx.db
    .select()
    .from(examResults)
    .where(eq(examResults.campaignId, campaign.id))
    .orderBy(asc(examResults.attempt));
  return {
    slots: plan?.slots ?? [],
    rows: rows.map(({ application, user }) => ({
      applicantId: user.id,
      applicationNumber: application.number ?? '',
      fullName: user.fullName,
      results: Object.fromEntries(
        (plan?.slots ?? []).map((s) => {
          const latest = results.filter((r) => r.applicantId === user.id && r.slotId === s.id).at(-1);
          return [
            s.id,
            latest
              ? { attempt: latest.attempt, status: latest.status, score: latest.score, outcome: latest.outcome }
              : null,
          ];
        }),
      ),
    })),
  };
}

export interface ResultRow {
  applicationNumber: string;
  slotId: string;
  status: 'absent' | 'sat';
  score?: number | null | undefined;
  /** Omitted: corrects the latest attempt (or records the first). The next number: a retake. */
  attempt?: number | undefined;
  /** Where the row came from, for error messages ("rows.3", "results.csv row 5"). */
  where?: string;
}

/**
 * Enters exam results all or nothing. A row changes the latest attempt, or starts a new attempt when
 * the latest was failed or absent and the plan allows a retake; every change is audited.
 */
export async function enterResults(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  rows: ResultRow[],
  actor: Actor,
) {
  authorize(principal, 'campaign.write', { universityId: campaign.universityId });
  const plan = examPlanOf(campaign);
  const apps = await ctx.db
    .select()
    .from(applications)
    .where(and(eq(applications.campaignId, campaign.id), eq(applications.status, 'submitted')));
  const byNumber = new Map(apps.map((a) => [a.number ?? '', a]));
  const existing = await ctx.db.select().from(examResults).where(eq(examResults.campaignId, campaign.id));
  const errors: { field: string; code: string; message: string }[] = [];
  const writes: (typeof examResults.$inferInsert & { before: unknown })[] = [];
  rows.forEach((row, i) => {
    const where = row.where ?? `rows.${i}`;
    const application = byNumber.get(row.applicationNumber);
    const slot = plan?.slots.find((s) => s.id === row.slotId);
    if (!application)
      errors.push({
        field: where,
        code: 'unknown_applicant',
        message: `No submitted application ${row.applicationNumber} in this campaign.`,
      });
    if (!slot) errors.push({ field: where, code: 'unknown_slot', message: `No exam "${row.slotId}" in the plan.` });
    if (!application || !slot) return;
    let outcome: string;
    try {
      outcome = examOutcome(
        row.status === 'absent' ? { status: 'absent' } : { status: 'sat', score: row.score ?? Number.NaN },
        slot,
      ).outcome;
    } catch {
      errors.push({ field: `${where}.score`, code: 'out_of_range', message: `A score from 0 to ${slot.maxScore}.` });
      return;
    }
    const attempts = existing
      .filter((r) => r.applicantId === application.applicantId && r.slotId === slot.id)
      .sort((a, b) => a.attempt - b.attempt);
    const latest = attempts.at(-1);
    const latestAttempt = latest?.attempt ?? 0;
    const attempt = row.attempt ?? Math.max(1, latestAttempt);
    if (attempt > latestAttempt + 1 || attempt < 1) {
      errors.push({
        field: `${where}.attempt`,
        code: 'out_of_range',
        message: `Attempt ${latestAttempt + 1} is the next one.`,
      });
      return;
    }
    if (latest && attempt === latestAttempt + 1) {
      // A retake: only after a failure or absence, and only as many as the plan allows.
      if (latest.outcome === 'passed' || !canRetake(attempts.length, slot)) {
        errors.push({
          field: where,
          code: 'retake_not_allowed',
          message: `No retake for "${slot.id}" (${slot.retakes} allowed, last outcome ${latest.outcome}).`,
        });
        return;
      }
    }
    writes.push({
      applicantId: application.applicantId,
      campaignId: campaign.id,
      slotId: slot.id,
      attempt,
      status: row.status,
      score: row.status === 'absent' ? null : (row.score ?? null),
      outcome,
      enteredBy: principal.id,
      enteredAt: ctx.clock.now(),
      before:
        latest && latestAttempt === attempt
          ? { status: latest.status, score: latest.score, outcome: latest.outcome }
          : null,
    });
  });
  if (errors.length) throw problems.validation(errors, 'Nothing was saved: some rows are invalid.');
  await ctx.db.transaction(async (tx) => {
    for (const { before, ...w } of writes) {
      await tx
        .insert(examResults)
        .values(w)
        .onConflictDoUpdate({
          target: [examResults.applicantId, examResults.campaignId, examResults.slotId, examResults.attempt],
          set: { status: w.status, score: w.score, outcome: w.outcome, enteredBy: w.enteredBy, enteredAt: w.enteredAt },
        });
      await recordAudit(tx, ctx.clock, actor, {
        action: 'exam.result',
        subjectType: 'exam_result',
        subjectId: `${campaign.id}:${w.applicantId}:${w.slotId}:${w.attempt}`,
        before,
        after: { status: w.status, score: w.score, outcome: w.outcome },
      });
    }
  });
  return { saved: writes.length };
}
