import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import stringify from 'safe-stable-stringify';
import {
  applicationChoices,
  applicationEvents,
  applications,
  auditLog,
  competitions,
  deadlineExtensions,
  dossiers,
  programs,
} from '../../db/schema.js';
import { type CheckResult, canSubmit, runChecks } from '../../domain/campaign/checks.js';
import { type TDossier, ZDossier } from '../../domain/dossier/dossier.schema.js';
import {
  type CampaignRow,
  competitionsOf,
  documentsWindow,
  eligibilityOf,
  extensionFor,
  requirementsOf,
} from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { currentDocuments, factsOf, listDocuments } from '../dossier/documents.service.js';
import { getDossier } from '../dossier/dossier.service.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { applicationTimelines } from './timeline.js';

export type ApplicationRow = typeof applications.$inferSelect;
type ProgramRow = typeof programs.$inferSelect;
type CompetitionRow = typeof competitions.$inferSelect;

export interface ChoiceView {
  competition: CompetitionRow;
  program: ProgramRow;
  priority: number;
  checks: CheckResult[];
  complete: boolean;
  window: { state: 'not_open' | 'open' | 'closed' | 'not_stated'; cutoff: Date | null };
}

/** A stored dossier as getDossier reads it: parsed again, so defaults added by later versions apply. */
function storedDossier(data: unknown): TDossier {
  const parsed = ZDossier.safeParse(data);
  return parsed.success ? parsed.data : (data as TDossier);
}

/** The server's date (YYYY-MM-DD) on which checks are run. */
function today(ctx: AppContext): string {
  return ctx.clock.now().toISOString().slice(0, 10);
}

function checksFor(
  dossier: TDossier | null,
  facts: ReturnType<typeof factsOf>,
  campaign: CampaignRow,
  program: ProgramRow,
  asOf: string,
): CheckResult[] {
  if (!dossier) {
    return [{ id: 'dossier', status: 'missing', blocking: true, code: 'dossier_missing', params: {}, source: '' }];
  }
  return runChecks({
    dossier,
    documents: facts,
    requirements: requirementsOf(campaign),
    eligibility: eligibilityOf(campaign),
    program: {
      level: program.level,
      languages: program.languages,
      stateSecret: program.stateSecret,
      title: program.titleEn,
    },
    asOf,
  });
}

export async function findApplication(
  ctx: AppContext,
  applicantId: string,
  campaignId: string,
): Promise<ApplicationRow | undefined> {
  const [row] = await ctx.db
    .select()
    .from(applications)
    .where(and(eq(applications.applicantId, applicantId), eq(applications.campaignId, campaignId)));
  return row;
}

/** Each chosen competition with its checklist and documents window, as of now. */
function choiceViews(
  ctx: AppContext,
  campaign: CampaignRow,
  dossier: TDossier | null,
  facts: ReturnType<typeof factsOf>,
  extension: Date | null,
  chosen: { competition: CompetitionRow; program: ProgramRow; priority: number }[],
): ChoiceView[] {
  const now = ctx.clock.now();
  const asOf = today(ctx);
  return chosen.map((c) => {
    const checks = checksFor(dossier, facts, campaign, c.program, asOf);
    return {
      competition: c.competition,
      program: c.program,
      priority: c.priority,
      checks,
      complete: canSubmit(checks),
      window: documentsWindow(campaign, c.competition, now, extension),
    };
  });
}

/** Everything the applicant's application page shows: choices with their checklists and deadlines. */
export async function applicationView(ctx: AppContext, applicantId: string, campaign: CampaignRow) {
  const application = await findApplication(ctx, applicantId, campaign.id);
  const [{ dossier }, docs, extension] = await Promise.all([
    getDossier(ctx, applicantId),
    listDocuments(ctx, applicantId),
    extensionFor(ctx.db, campaign.id, applicantId),
  ]);
  const facts = factsOf(docs);
  const all = await competitionsOf(ctx.db, [campaign.id]);
  const chosen = application
    ? await ctx.db
        .select()
        .from(applicationChoices)
        .where(eq(applicationChoices.applicationId, application.id))
        .orderBy(asc(applicationChoices.priority))
    : [];
  const choices = choiceViews(
    ctx,
    campaign,
    dossier,
    facts,
    extension,
    chosen.flatMap((c) => {
      const row = all.find((r) => r.competition.id === c.competitionId);
      return row ? [{ ...row, priority: c.priority }] : [];
    }),
  );
  const timeline = application ? await applicationTimelines(ctx.db, [application.id]) : [];
  return { application: application ?? null, choices, timeline, extension, available: all, dossier, docs };
}

function deadlineProblem(cutoff: Date | null, state: string): ProblemError {
  const when = cutoff ? cutoff.toISOString() : null;
  return new ProblemError(
    409,
    state === 'not_open' ? 'window_not_open' : 'deadline_passed',
    'Outside the application window',
    {
      detail:
        state === 'not_open'
          ? 'Applications for this competition are not open yet.'
          : state === 'not_stated'
            ? 'The admissions office has not set the dates for this competition yet.'
            : `The deadline was ${when} (server time); applications are closed.`,
      errors: [
        {
          field: 'competition',
          code: state === 'not_open' ? 'window_not_open' : 'deadline_passed',
          message: when ?? state,
        },
      ],
    },
  );
}

/** Sets the applicant's choices in priority order (first = most wanted); allowed while the windows are open. */
export async function setChoices(
  ctx: AppContext,
  applicantId: string,
  campaign: CampaignRow,
  competitionIds: string[],
  actor: Actor,
): Promise<void> {
  if (new Set(competitionIds).size !== competitionIds.length) {
    throw problems.validation([
      { field: 'body.competitions', code: 'duplicate', message: 'A competition is listed twice.' },
    ]);
  }
  if (competitionIds.length > campaign.maxPriorities) {
    throw problems.validation([
      {
        field: 'body.competitions',
        code: 'too_many_priorities',
        message: `At most ${campaign.maxPriorities} priorities in this campaign.`,
      },
    ]);
  }
  const rows = competitionIds.length
    ? await ctx.db.select().from(competitions).where(inArray(competitions.id, competitionIds))
    : [];
  const unknown = competitionIds.filter((id) => !rows.some((r) => r.id === id && r.campaignId === campaign.id));
  if (unknown.length) {
    throw problems.validation(
      unknown.map((id) => ({
        field: 'body.competitions',
        code: 'unknown_value',
        message: `No competition ${id} in this campaign.`,
      })),
    );
  }
  const now = ctx.clock.now();
  const extension = await extensionFor(ctx.db, campaign.id, applicantId);
  for (const row of rows) {
    const window = documentsWindow(campaign, row, now, extension);
    if (window.state !== 'open') throw deadlineProblem(window.cutoff, window.state);
  }
  await ctx.db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(applications)
      .where(and(eq(applications.applicantId, applicantId), eq(applications.campaignId, campaign.id)))
      .for('update');
    if (existing?.status === 'withdrawn') {
      throw problems.conflict('application_withdrawn', 'This application was withdrawn.');
    }
    const application =
      existing ??
      (
        await tx
          .insert(applications)
          .values({ applicantId, campaignId: campaign.id, createdAt: now, updatedAt: now })
          .returning()
      )[0];
    if (!application) throw new Error('application insert returned nothing');
    const before = await tx
      .select()
      .from(applicationChoices)
      .where(eq(applicationChoices.applicationId, application.id))
      .orderBy(asc(applicationChoices.priority));
    await tx.delete(applicationChoices).where(eq(applicationChoices.applicationId, application.id));
    if (competitionIds.length) {
      await tx
        .insert(applicationChoices)
        .values(
          competitionIds.map((competitionId, i) => ({ applicationId: application.id, competitionId, priority: i + 1 })),
        );
    }
    await tx.update(applications).set({ updatedAt: now }).where(eq(applications.id, application.id));
    if (application.status === 'submitted') {
      await tx.insert(applicationEvents).values({
        applicationId: application.id,
        at: now,
        type: 'priorities_changed',
        data: { competitions: competitionIds },
      });
    }
    await recordAudit(tx, ctx.clock, actor, {
      action: 'application.choices_set',
      subjectType: 'application',
      subjectId: application.id,
      before: { competitions: before.map((c) => c.competitionId) },
      after: { competitions: competitionIds },
    });
  });
}

export interface Receipt {
  applicationId: string;
  number: string;
  submittedAt: Date;
  snapshotSha256: string;
}

function receiptOf(a: ApplicationRow): Receipt {
  return {
    applicationId: a.id,
    number: a.number ?? '',
    submittedAt: a.submittedAt ?? new Date(0),
    snapshotSha256: a.snapshotSha256 ?? '',
  };
}

/**
 * Submits the application once: a retry with the same Idempotency-Key returns the same receipt.
 * Every choice must be inside its window and have a complete checklist; the receipt carries the
 * SHA-256 of the dossier snapshot that was submitted.
 */
export async function submitApplication(
  ctx: AppContext,
  applicantId: string,
  campaign: CampaignRow,
  idempotencyKey: string,
  actor: Actor,
): Promise<{ receipt: Receipt; replayed: boolean }> {
  // The application with the dossier and any extension, in one statement: on the embedded database
  // every statement holds up every other request for about a millisecond, and submissions come in
  // bursts at deadlines. For the same reason: no timeline, no competitions that were not chosen.
  const [found] = await ctx.db
    .select({ application: applications, dossier: dossiers.data, extension: deadlineExtensions.until })
    .from(applications)
    .leftJoin(dossiers, eq(dossiers.userId, applications.applicantId))
    .leftJoin(
      deadlineExtensions,
      and(
        eq(deadlineExtensions.campaignId, applications.campaignId),
        eq(deadlineExtensions.applicantId, applications.applicantId),
        eq(deadlineExtensions.kind, 'documents'),
      ),
    )
    .where(and(eq(applications.applicantId, applicantId), eq(applications.campaignId, campaign.id)));
  const existing = found?.application;
  if (existing?.status === 'submitted') {
    if (existing.idempotencyKey === idempotencyKey) return { receipt: receiptOf(existing), replayed: true };
    throw new ProblemError(409, 'already_submitted', 'Already submitted', {
      detail: `This application was submitted as ${existing.number}; change priorities or withdraw instead.`,
    });
  }
  if (existing?.status === 'withdrawn')
    throw problems.conflict('application_withdrawn', 'This application was withdrawn.');
  const dossier = found?.dossier ? storedDossier(found.dossier) : null;
  const extension = found?.extension ?? null;
  const [docs, chosen] = existing
    ? await Promise.all([
        currentDocuments(ctx, applicantId),
        ctx.db
          .select({ competition: competitions, program: programs, priority: applicationChoices.priority })
          .from(applicationChoices)
          .innerJoin(competitions, eq(competitions.id, applicationChoices.competitionId))
          .innerJoin(programs, eq(programs.id, competitions.programId))
          .where(and(eq(applicationChoices.applicationId, existing.id), eq(competitions.campaignId, campaign.id)))
          .orderBy(asc(applicationChoices.priority)),
      ])
    : [[], []];
  const view = {
    application: existing,
    choices: choiceViews(ctx, campaign, dossier, factsOf(docs), extension, chosen),
  };
  if (!view.application || view.choices.length === 0) {
    throw problems.validation([
      { field: 'competitions', code: 'no_choices', message: 'Choose at least one program first.' },
    ]);
  }
  for (const choice of view.choices) {
    if (choice.window.state !== 'open') throw deadlineProblem(choice.window.cutoff, choice.window.state);
  }
  const incomplete = view.choices.filter((c) => !c.complete);
  if (incomplete.length) {
    throw new ProblemError(422, 'checklist_incomplete', 'Checklist incomplete', {
      detail: 'Some required documents or data are missing or do not pass the checks.',
      errors: incomplete.flatMap((c) =>
        c.checks
          .filter((r) => r.blocking)
          .map((r) => ({ field: `${c.program.slug}.${r.id}`, code: r.code, message: r.status })),
      ),
    });
  }
  const now = ctx.clock.now();
  const snapshot = {
    campaign: campaign.slug,
    submittedAt: now.toISOString(),
    dossier,
    documents: docs.map(({ document: d, versions }) => ({
      id: d.id,
      kind: d.kind,
      version: d.currentVersion,
      sha256: versions.find((v) => v.version === d.currentVersion)?.sha256 ?? null,
    })),
    choices: view.choices.map((c) => ({
      priority: c.priority,
      competition: c.competition.id,
      program: c.program.slug,
      funding: c.competition.funding,
      studyForm: c.competition.studyForm,
    })),
  };
  const canonical = stringify(snapshot) ?? '';
  const sha = createHash('sha256').update(canonical).digest('hex');
  return ctx.db.transaction(async (tx) => {
    // MA-<year>-<sequence, at least 6 digits>; the sequence is drawn in the same statement.
    const number = sql<string>`(select ${`MA-${now.getUTCFullYear()}-`} || lpad(s.n::text, greatest(6, length(s.n::text)), '0')
      from (select nextval('application_number_seq') as n) s)`;
    const [updated] = await tx
      .update(applications)
      .set({
        status: 'submitted',
        number,
        submittedAt: now,
        snapshot,
        snapshotSha256: sha,
        idempotencyKey,
        updatedAt: now,
      })
      .where(and(eq(applications.id, view.application?.id ?? ''), eq(applications.status, 'draft')))
      .returning();
    if (!updated) {
      // Another request submitted it in the meantime: answer as a replay when it was the same key.
      const again = await tx
        .select()
        .from(applications)
        .where(eq(applications.id, view.application?.id ?? ''));
      if (again[0]?.idempotencyKey === idempotencyKey) return { receipt: receiptOf(again[0]), replayed: true };
      throw new ProblemError(409, 'already_submitted', 'Already submitted', {
        detail: 'This application was submitted already.',
      });
    }
    // The event and the audit entry (the one recordAudit would write) in one statement.
    const event = tx.insert(applicationEvents).values({
      applicationId: updated.id,
      at: now,
      type: 'submitted',
      data: { number: updated.number, snapshotSha256: sha },
    });
    const audit = tx.insert(auditLog).values({
      at: now,
      actorUserId: actor.userId,
      onBehalfOfUserId: actor.onBehalfOfUserId ?? null,
      action: 'application.submitted',
      subjectType: 'application',
      subjectId: updated.id,
      before: { status: 'draft' },
      after: { status: 'submitted', number: updated.number, snapshotSha256: sha },
      reason: null,
      ip: actor.ip ?? null,
    });
    await tx.execute(sql`with e as (${event.getSQL()}) ${audit.getSQL()}`);
    return { receipt: receiptOf(updated), replayed: false };
  });
}

/** Withdraws a submitted application while its window is open. */
export async function withdrawApplication(
  ctx: AppContext,
  applicantId: string,
  campaign: CampaignRow,
  reason: string | null,
  actor: Actor,
) {
  const view = await applicationView(ctx, applicantId, campaign);
  const application = view.application;
  if (application?.status !== 'submitted') {
    throw problems.conflict('not_submitted', 'Only a submitted application can be withdrawn.');
  }
  for (const choice of view.choices) {
    if (choice.window.state === 'closed') throw deadlineProblem(choice.window.cutoff, 'closed');
  }
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(applications)
      .set({ status: 'withdrawn', updatedAt: now })
      .where(eq(applications.id, application.id));
    await tx
      .insert(applicationEvents)
      .values({ applicationId: application.id, at: now, type: 'withdrawn', data: { reason } });
    await recordAudit(tx, ctx.clock, actor, {
      action: 'application.withdrawn',
      subjectType: 'application',
      subjectId: application.id,
      before: { status: 'submitted' },
      after: { status: 'withdrawn' },
      reason,
    });
  });
}
