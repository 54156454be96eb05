/**
 * The visa path of an admitted applicant from a visa-regime country (S4-14): the invitation may be
 * requested only once the preliminary agreement's payment is confirmed (paid places); then the
 * officers record invitation → visa → arrival → migration registration, each with its deadline. The
 * arrival also creates the student's adaptation checklist in the same transaction.
 */
import { eq } from 'drizzle-orm';
import { users, visaCases } from '../../db/schema.js';
import { ACTIVE_ADMISSION_STATUSES } from '../../domain/agency/stages.js';
import { addWorkingDays, enrollmentSettings, needsVisa } from '../../domain/enrollment/settings.js';
import { instantiateItems } from '../agency/adaptation.service.js';
import type { AppContext } from '../context.js';
import { renderAdmissionMail } from '../mail/admission-mail.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { admissionContext, dossierOf, managedAdmission } from './enrollment.service.js';

export const VISA_STEPS = ['requested', 'invitation_issued', 'visa_issued', 'arrived', 'registered'] as const;
export type VisaStep = (typeof VISA_STEPS)[number];
export type VisaCaseRow = typeof visaCases.$inferSelect;

/** Why the applicant may not request an invitation yet (null when they may). */
export function invitationBlocker(
  row: NonNullable<Awaited<ReturnType<typeof admissionContext>>>,
): 'visa_not_needed' | 'not_admitted' | 'consent_missing' | 'prepayment_not_confirmed' | null {
  const settings = enrollmentSettings(row.campaign.enrollment);
  const a = row.admission;
  if (!needsVisa(dossierOf(row.snapshot)?.citizenship, settings)) return 'visa_not_needed';
  if (!['offered', 'confirmed', 'enrolled'].includes(a.status)) return 'not_admitted';
  if (!a.consentAt) return 'consent_missing';
  if (row.competition.funding === 'contract' && settings.prepaymentRequired && !a.prepaymentConfirmedAt)
    return 'prepayment_not_confirmed';
  return null;
}

const BLOCKER_TEXT: Record<string, string> = {
  visa_not_needed: 'Citizens of this country need no visa invitation.',
  not_admitted: 'Only an admitted applicant can request an invitation.',
  consent_missing: 'Confirm your place (consent) first.',
  prepayment_not_confirmed:
    'The visa invitation can be requested only after the payment of the preliminary agreement is confirmed (S4-14).',
};

async function notify(ctx: AppContext, admissionId: string, kind: VisaStep | 'invitation_requested', extra = {}) {
  try {
    const row = await admissionContext(ctx.db, admissionId);
    if (!row) return;
    const [user] = await ctx.db.select().from(users).where(eq(users.id, row.admission.applicantId));
    if (!user || kind === 'requested') return;
    await ctx.mailer.send(await renderAdmissionMail(ctx, user, row.admission, kind, extra));
  } catch (error) {
    ctx.log?.error({ err: error }, `could not send the ${kind} e-mail`);
  }
}

export async function requestInvitation(
  ctx: AppContext,
  principal: Principal | null,
  admissionId: string,
  input: { passportNumber: string; consulateCity: string; consulateCountry: string },
  actor: Actor,
): Promise<VisaCaseRow> {
  const row = await admissionContext(ctx.db, admissionId);
  authorize(principal, 'application.write', { userId: row?.admission.applicantId ?? '' }, { hideExistence: true });
  if (!row) throw problems.notFound('admission');
  const blocker = invitationBlocker(row);
  if (blocker) {
    throw new ProblemError(409, blocker, 'Invitation not possible yet', { detail: BLOCKER_TEXT[blocker] });
  }
  const now = ctx.clock.now();
  const created = await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(visaCases).where(eq(visaCases.admissionId, admissionId));
    if (existing) throw problems.conflict('already_requested', 'The invitation was requested already.');
    const [created] = await tx
      .insert(visaCases)
      .values({
        admissionId,
        applicantId: row.admission.applicantId,
        campaignId: row.campaign.id,
        status: 'requested',
        requestedAt: now,
        request: input,
        updatedAt: now,
      })
      .returning();
    if (!created) throw new Error('visa case insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'visa.requested',
      subjectType: 'admission',
      subjectId: admissionId,
      before: null,
      after: { status: 'requested', consulate: `${input.consulateCity}, ${input.consulateCountry}` },
    });
    return created;
  });
  const settings = enrollmentSettings(row.campaign.enrollment);
  await notify(ctx, admissionId, 'invitation_requested', { detail: String(settings.invitationWorkingDays) });
  return created;
}

/** Officer: records the next step of the visa path, in order, with its date (arrival sets the registration deadline). */
export async function advanceVisa(
  ctx: AppContext,
  principal: Principal | null,
  admissionId: string,
  input: { step: Exclude<VisaStep, 'requested'>; at?: string | undefined; reference?: string | undefined },
  actor: Actor,
): Promise<VisaCaseRow> {
  const row = await managedAdmission(ctx, principal, admissionId);
  const settings = enrollmentSettings(row.campaign.enrollment);
  const now = ctx.clock.now();
  const at = input.at ? new Date(input.at) : now;
  if (at.getTime() > now.getTime() + 86_400_000) {
    throw problems.validation([
      { field: 'body.at', code: 'in_future', message: 'A step cannot be dated in the future.' },
    ]);
  }
  if (input.step === 'invitation_issued' && !input.reference) {
    throw problems.validation([
      { field: 'body.reference', code: 'required', message: 'The invitation number is required.' },
    ]);
  }
  const updated = await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(visaCases).where(eq(visaCases.admissionId, admissionId)).for('update');
    if (!current) throw problems.conflict('not_requested', 'The applicant has not requested an invitation.');
    const expected = VISA_STEPS[VISA_STEPS.indexOf(current.status as VisaStep) + 1];
    if (input.step !== expected) {
      throw new ProblemError(409, 'visa_step_out_of_order', 'Step out of order', {
        detail: `The case is at "${current.status}"; the next step is "${expected ?? 'none'}".`,
      });
    }
    const set: Partial<VisaCaseRow> = { status: input.step, updatedAt: now };
    if (input.step === 'invitation_issued') {
      set.invitationIssuedAt = at;
      set.invitationNumber = input.reference ?? null;
    }
    if (input.step === 'visa_issued') set.visaIssuedAt = at;
    if (input.step === 'arrived') {
      set.arrivedAt = at;
      set.registrationDueAt = addWorkingDays(at, settings.migrationRegistrationWorkingDays);
    }
    if (input.step === 'registered') set.registeredAt = at;
    const [updated] = await tx.update(visaCases).set(set).where(eq(visaCases.admissionId, admissionId)).returning();
    if (!updated) throw new Error('visa update returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: `visa.${input.step}`,
      subjectType: 'admission',
      subjectId: admissionId,
      before: { status: current.status },
      after: { status: input.step, at: at.toISOString(), reference: input.reference ?? null },
    });
    // The arrival starts the student's adaptation checklist at once (items already there keep their dates).
    if (input.step === 'arrived' && (ACTIVE_ADMISSION_STATUSES as readonly string[]).includes(row.admission.status)) {
      const created = await instantiateItems(tx, updated.applicantId, row.campaign.universityId, at, false);
      if (created > 0) {
        await recordAudit(tx, ctx.clock, actor, {
          action: 'adaptation.started',
          subjectType: 'adaptation',
          subjectId: updated.applicantId,
          after: {
            universityId: row.campaign.universityId,
            arrivedAt: at.toISOString(),
            from: 'visa_case',
            items: created,
          },
        });
      }
    }
    return updated;
  });
  await notify(ctx, admissionId, input.step, {
    detail: updated.invitationNumber ?? '',
    deadline: updated.registrationDueAt,
  });
  return updated;
}
