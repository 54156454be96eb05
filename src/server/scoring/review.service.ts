import { and, asc, eq, inArray } from 'drizzle-orm';
import { applications, campaigns, reviews, users } from '../../db/schema.js';
import { prescore } from '../../domain/scoring/prescore.js';
import { finalScore, needsReconciliation, type ReaderScore } from '../../domain/scoring/readers.js';
import type { TRubric } from '../../domain/scoring/rubric.schema.js';
import { type ScoreInput, scoreRubric, validateInputs } from '../../domain/scoring/score-rubric.js';
import type { CampaignRow } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { getDossier } from '../dossier/dossier.service.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { currentRubric, reviewSettingsOf, rubricById } from './rubric.service.js';

export type ReviewRow = typeof reviews.$inferSelect;

/**
 * Gives every submitted application of the campaign to as many readers as the campaign asks for,
 * choosing the reviewers of the university with the fewest open files (never the same reader twice).
 */
export async function assignReaders(ctx: AppContext, principal: Principal | null, campaign: CampaignRow, actor: Actor) {
  authorize(principal, 'campaign.write', { universityId: campaign.universityId });
  const settings = reviewSettingsOf(campaign);
  const rubric = await currentRubric(ctx.db, campaign.id);
  if (!rubric) throw problems.conflict('no_rubric', 'Set the campaign rubric before assigning readers.');
  const readers = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'reviewer'), eq(users.universityId, campaign.universityId)));
  if (readers.length < settings.readersRequired) {
    throw problems.conflict(
      'not_enough_reviewers',
      `The campaign needs ${settings.readersRequired} readers per file; the university has ${readers.length} reviewer(s).`,
    );
  }
  const submitted = await ctx.db
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.campaignId, campaign.id), eq(applications.status, 'submitted')));
  const existing = submitted.length
    ? await ctx.db
        .select()
        .from(reviews)
        .where(
          and(
            inArray(
              reviews.applicationId,
              submitted.map((a) => a.id),
            ),
            eq(reviews.role, 'reader'),
          ),
        )
    : [];
  const load = new Map(readers.map((r) => [r.id, 0]));
  for (const r of existing) if (r.status === 'assigned') load.set(r.reviewerId, (load.get(r.reviewerId) ?? 0) + 1);
  const now = ctx.clock.now();
  const created: { applicationId: string; reviewerId: string }[] = [];
  for (const application of submitted) {
    const have = existing.filter((r) => r.applicationId === application.id).map((r) => r.reviewerId);
    for (let n = have.length; n < settings.readersRequired; n++) {
      const pick = [...load.entries()]
        .filter(([id]) => !have.includes(id))
        .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0];
      if (!pick) break;
      have.push(pick[0]);
      load.set(pick[0], pick[1] + 1);
      created.push({ applicationId: application.id, reviewerId: pick[0] });
    }
  }
  if (created.length) {
    await ctx.db.transaction(async (tx) => {
      await tx
        .insert(reviews)
        .values(created.map((c) => ({ ...c, rubricId: rubric.row.id, role: 'reader', assignedAt: now })));
      await recordAudit(tx, ctx.clock, actor, {
        action: 'review.assigned',
        subjectType: 'campaign',
        subjectId: campaign.id,
        after: { assignments: created.length, readersRequired: settings.readersRequired },
      });
    });
  }
  return { assigned: created.length, applications: submitted.length };
}

async function loadReview(ctx: AppContext, principal: Principal | null, id: string) {
  const [row] = await ctx.db
    .select({ review: reviews, application: applications, campaign: campaigns })
    .from(reviews)
    .innerJoin(applications, eq(applications.id, reviews.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(eq(reviews.id, id));
  if (!principal) throw problems.unauthenticated();
  // Readers see their own files only: another reader's review does not exist for them.
  if (!row || row.review.reviewerId !== principal.id) throw problems.notFound('review');
  return row;
}

function readerScore(r: ReviewRow): ReaderScore {
  return {
    readerId: r.reviewerId,
    total: r.total ?? 0,
    items: ((r.items ?? []) as { criterionId: string; points: number }[]).map((i) => ({
      criterionId: i.criterionId,
      points: i.points,
    })),
  };
}

/** What a reader needs to score one file: the rubric, the automatic pre-score and the dossier. */
export async function reviewForReader(ctx: AppContext, principal: Principal | null, id: string) {
  const { review, application, campaign } = await loadReview(ctx, principal, id);
  const rubric = await rubricById(ctx.db, review.rubricId);
  const { dossier } = await getDossier(ctx, application.applicantId);
  const pre = dossier ? prescore(rubric, dossier) : { inputs: {}, provenance: {} };
  // Only the senior reviewer sees the readers' scores; readers score blind to each other.
  const readers =
    review.role === 'senior'
      ? (
          await ctx.db
            .select()
            .from(reviews)
            .where(and(eq(reviews.applicationId, application.id), eq(reviews.role, 'reader')))
        ).map((r) => ({ reviewerId: r.reviewerId, total: r.total, items: r.items, comment: r.comment }))
      : [];
  return { review, application, campaign, rubric, prescore: pre, dossier, readers };
}

/**
 * A reader's (or the senior's) scores. Every criterion that differs from the automatic pre-score
 * needs a reason; each change is audited; once a file's score is final, readers can no longer change it.
 */
export async function submitReview(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  body: {
    inputs: Record<string, ScoreInput>;
    comment?: string | undefined;
    reasons?: Record<string, string> | undefined;
  },
  actor: Actor,
) {
  const { review, application, campaign, rubric, prescore: pre } = await reviewForReader(ctx, principal, id);
  const errors: { field: string; code: string; message: string }[] = validateInputs(rubric, body.inputs).map((e) => ({
    field: `body.inputs.${e.field}`,
    code: e.code,
    message: e.message,
  }));
  const corrected = rubric.criteria.filter(
    (c) =>
      (pre.inputs as Record<string, unknown>)[c.id] !== undefined &&
      JSON.stringify(body.inputs[c.id] ?? null) !==
        JSON.stringify((pre.inputs as Record<string, unknown>)[c.id] ?? null),
  );
  for (const c of corrected) {
    if (!body.reasons?.[c.id]?.trim()) {
      errors.push({
        field: `body.reasons.${c.id}`,
        code: 'reason_required',
        message: 'Say why the automatic pre-score is corrected.',
      });
    }
  }
  if (errors.length) throw problems.validation(errors);
  const status = await fileStatus(ctx, application.id, campaign);
  if (review.role === 'reader' && status.status === 'final') {
    throw problems.conflict('score_final', 'The score of this file is final; ask the senior reviewer.');
  }
  const scored = scoreRubric(rubric, body.inputs);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(reviews)
      .set({
        inputs: body.inputs,
        items: scored.items,
        total: scored.total,
        comment: body.comment ?? null,
        status: 'submitted',
        submittedAt: now,
      })
      .where(eq(reviews.id, review.id));
    await recordAudit(tx, ctx.clock, actor, {
      action: review.role === 'senior' ? 'review.reconciled' : 'review.scored',
      subjectType: 'application',
      subjectId: application.id,
      before: review.total === null ? null : { total: review.total, inputs: review.inputs },
      after: { total: scored.total, inputs: body.inputs },
      reason:
        Object.entries(body.reasons ?? {})
          .map(([k, v]) => `${k}: ${v}`)
          .join('; ') || null,
    });
  });
  if (review.role === 'reader') await openReconciliationIfNeeded(ctx, application.id, campaign);
  return fileStatus(ctx, application.id, campaign);
}

/** When all readers have scored and disagree beyond the threshold, the file goes to the senior reviewer. */
async function openReconciliationIfNeeded(ctx: AppContext, applicationId: string, campaign: CampaignRow) {
  const settings = reviewSettingsOf(campaign);
  const all = await ctx.db.select().from(reviews).where(eq(reviews.applicationId, applicationId));
  const readers = all.filter((r) => r.role === 'reader' && r.status === 'submitted');
  if (readers.length < settings.readersRequired || all.some((r) => r.role === 'senior')) return;
  if (!needsReconciliation(readers.map(readerScore), settings.reconciliationThreshold)) return;
  let senior = settings.seniorReviewerId;
  if (!senior) {
    const [officer] = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, 'officer'), eq(users.universityId, campaign.universityId)))
      .orderBy(asc(users.createdAt))
      .limit(1);
    senior = officer?.id ?? null;
  }
  if (!senior)
    throw new ProblemError(409, 'no_senior_reviewer', 'No senior reviewer', {
      detail: 'Name a senior reviewer for the campaign.',
    });
  const rubricId = readers[0]?.rubricId as string;
  await ctx.db
    .insert(reviews)
    .values({ applicationId, reviewerId: senior, rubricId, role: 'senior', assignedAt: ctx.clock.now() })
    .onConflictDoNothing();
}

/** The file's score: incomplete, waiting for reconciliation, or final with its breakdown. */
export async function fileStatus(ctx: AppContext, applicationId: string, campaign: CampaignRow) {
  const settings = reviewSettingsOf(campaign);
  const all = await ctx.db.select().from(reviews).where(eq(reviews.applicationId, applicationId));
  const readers = all.filter((r) => r.role === 'reader' && r.status === 'submitted').map(readerScore);
  const senior = all.find((r) => r.role === 'senior' && r.status === 'submitted');
  const result = finalScore(
    readers,
    senior ? readerScore(senior) : null,
    settings.readersRequired,
    settings.reconciliationThreshold,
  );
  const rubricId = all[0]?.rubricId;
  return {
    ...result,
    rubricId: rubricId ?? null,
    readersSubmitted: readers.length,
    readersRequired: settings.readersRequired,
  };
}

export async function readerQueue(
  ctx: AppContext,
  reviewerId: string,
  filter: { campaign?: string | undefined; status?: string | undefined },
) {
  const rows = await ctx.db
    .select({ review: reviews, application: applications, campaign: campaigns })
    .from(reviews)
    .innerJoin(applications, eq(applications.id, reviews.applicationId))
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(eq(reviews.reviewerId, reviewerId))
    .orderBy(asc(reviews.assignedAt));
  return rows.filter(
    (r) =>
      (!filter.campaign || r.campaign.slug === filter.campaign) &&
      (!filter.status || r.review.status === filter.status),
  );
}

export async function reviewProgress(ctx: AppContext, principal: Principal | null, campaign: CampaignRow) {
  authorize(principal, 'campaign.applications.read', { universityId: campaign.universityId });
  const rows = await ctx.db
    .select({ review: reviews, user: users })
    .from(reviews)
    .innerJoin(applications, eq(applications.id, reviews.applicationId))
    .innerJoin(users, eq(users.id, reviews.reviewerId))
    .where(eq(applications.campaignId, campaign.id));
  const byReviewer = new Map<
    string,
    { reviewerId: string; name: string; role: string; assigned: number; submitted: number }
  >();
  for (const { review, user } of rows) {
    const key = `${user.id}|${review.role}`;
    const entry = byReviewer.get(key) ?? {
      reviewerId: user.id,
      name: user.fullName,
      role: review.role,
      assigned: 0,
      submitted: 0,
    };
    entry.assigned++;
    if (review.status === 'submitted') entry.submitted++;
    byReviewer.set(key, entry);
  }
  return [...byReviewer.values()];
}

/** The applicant's own final breakdown, per criterion, with the rubric's labels (their language is the UI's). */
export async function applicantBreakdown(ctx: AppContext, applicantId: string, campaign: CampaignRow) {
  const [application] = await ctx.db
    .select()
    .from(applications)
    .where(and(eq(applications.applicantId, applicantId), eq(applications.campaignId, campaign.id)));
  if (!application || application.status === 'draft') throw problems.notFound('application');
  const status = await fileStatus(ctx, application.id, campaign);
  if (status.status !== 'final' || !status.rubricId)
    return { status: status.status, total: null, maximum: null, items: [] };
  const rubric: TRubric = await rubricById(ctx.db, status.rubricId);
  return {
    status: 'final' as const,
    total: status.total,
    maximum: rubric.maximum,
    items: rubric.criteria.map((c) => ({
      criterionId: c.id,
      label: c.label,
      points: status.items.find((i) => i.criterionId === c.id)?.points ?? 0,
      maximum:
        c.kind === 'banded'
          ? Math.max(...c.bands.map((b) => b.points))
          : c.kind === 'yes_no'
            ? c.points
            : Math.max(...c.options.map((o) => o.points)),
      source: c.source,
    })),
  };
}
