import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { campaigns, competitions, deadlineExtensions, programs, universities } from '../../db/schema.js';
import { type TCampaignInput, type TWindow, ZCampaignInput } from '../../domain/campaign/campaign.schema.js';
import { cutoffFor, type Window, windowState } from '../../domain/campaign/deadlines.js';
import type { TEligibility, TRequirement } from '../../domain/campaign/requirements.schema.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';

export type CampaignRow = typeof campaigns.$inferSelect;
export type CompetitionRow = typeof competitions.$inferSelect;

export function windowsOf(c: CampaignRow): TWindow[] {
  return c.windows as TWindow[];
}
export function requirementsOf(c: CampaignRow): TRequirement[] {
  return c.requirements as TRequirement[];
}
export function eligibilityOf(c: CampaignRow): TEligibility {
  return {
    requiresHigherMedicalEducation: false,
    requiresInternship: false,
    source: '',
    ...(c.eligibility as Partial<TEligibility>),
  };
}

export async function findCampaign(db: Db, key: string): Promise<CampaignRow> {
  const byId = /^[0-9a-f-]{36}$/.test(key);
  const [row] = await db
    .select()
    .from(campaigns)
    .where(byId ? eq(campaigns.id, key) : eq(campaigns.slug, key));
  if (!row) throw problems.notFound('campaign');
  return row;
}

/** Competitions of a campaign with their programs, in catalog order. */
export async function competitionsOf(db: Db, campaignIds: string[]) {
  if (campaignIds.length === 0) return [];
  return db
    .select({ competition: competitions, program: programs })
    .from(competitions)
    .innerJoin(programs, eq(programs.id, competitions.programId))
    .where(inArray(competitions.campaignId, campaignIds))
    .orderBy(asc(programs.titleEn), asc(competitions.funding), asc(competitions.studyForm));
}

/** The documents window of one competition for one applicant: its state and cutoff, extension included. */
export function documentsWindow(
  campaign: CampaignRow,
  competition: Pick<CompetitionRow, 'studyForm' | 'funding'>,
  now: Date,
  extensionUntil: Date | null,
): { state: 'not_open' | 'open' | 'closed' | 'not_stated'; cutoff: Date | null } {
  const applicable = (windowsOf(campaign) as Window[]).filter(
    (w) =>
      w.kind === 'documents' &&
      (w.studyForms.length === 0 || w.studyForms.includes(competition.studyForm)) &&
      (w.funding.length === 0 || w.funding.includes(competition.funding)),
  );
  if (applicable.length === 0) return { state: 'not_stated', cutoff: null };
  const states = applicable.map((w) => windowState(w, now, extensionUntil));
  const state = states.includes('open') ? 'open' : states.includes('not_open') ? 'not_open' : 'closed';
  return {
    state,
    cutoff: cutoffFor(applicable, 'documents', competition.studyForm, competition.funding, extensionUntil),
  };
}

export async function extensionFor(db: Db, campaignId: string, applicantId: string): Promise<Date | null> {
  const [row] = await db
    .select()
    .from(deadlineExtensions)
    .where(
      and(
        eq(deadlineExtensions.campaignId, campaignId),
        eq(deadlineExtensions.applicantId, applicantId),
        eq(deadlineExtensions.kind, 'documents'),
      ),
    );
  return row?.until ?? null;
}

/** Creates or replaces a campaign and its competitions, checking every program belongs to the university. */
export async function saveCampaign(
  ctx: AppContext,
  principal: Principal | null,
  input: TCampaignInput,
  actor: Actor,
): Promise<{ id: string; created: boolean }> {
  const [university] = await ctx.db.select().from(universities).where(eq(universities.slug, input.university));
  if (!university) {
    throw problems.validation([
      { field: 'body.university', code: 'unknown_value', message: `No university "${input.university}".` },
    ]);
  }
  authorize(principal ?? null, 'campaign.write', { universityId: university.id });
  const slugs = [...new Set(input.competitions.map((c) => c.program))];
  const programRows = slugs.length ? await ctx.db.select().from(programs).where(inArray(programs.slug, slugs)) : [];
  const bySlug = new Map(programRows.map((p) => [p.slug, p]));
  const errors = input.competitions.flatMap((c, i) => {
    const program = bySlug.get(c.program);
    if (!program)
      return [
        { field: `body.competitions.${i}.program`, code: 'unknown_value', message: `No program "${c.program}".` },
      ];
    if (program.universityId !== university.id) {
      return [
        {
          field: `body.competitions.${i}.program`,
          code: 'other_university',
          message: `"${c.program}" belongs to another university.`,
        },
      ];
    }
    if (program.stateSecret && c.funding !== 'quota') {
      return [
        {
          field: `body.competitions.${i}.funding`,
          code: 'state_secret_quota_only',
          message: 'Programs with state secrets admit quota applicants only (S4-15).',
        },
      ];
    }
    return [];
  });
  const keys = input.competitions.map((c) => `${c.program}|${c.funding}|${c.studyForm}|${c.applicantGroup}`);
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i)
      errors.push({ field: `body.competitions.${i}`, code: 'duplicate', message: 'The same competition twice.' });
  });
  if (errors.length) throw problems.validation(errors);

  const now = ctx.clock.now();
  const values = {
    universityId: university.id,
    slug: input.slug,
    titleEn: input.title.en,
    titleRu: input.title.ru,
    academicYear: input.academicYear,
    level: input.level,
    windows: input.windows,
    requirements: input.requirements,
    eligibility: input.eligibility,
    maxPriorities: input.maxPriorities,
    notes: input.notes,
    source: input.source,
    updatedAt: now,
  };
  return ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(campaigns).where(eq(campaigns.slug, input.slug));
    if (existing && existing.universityId !== university.id) {
      authorize(principal ?? null, 'campaign.write', { universityId: existing.universityId });
    }
    const [row] = existing
      ? await tx.update(campaigns).set(values).where(eq(campaigns.id, existing.id)).returning()
      : await tx.insert(campaigns).values(values).returning();
    if (!row) throw new Error('campaign save returned nothing');
    // Competitions are matched by identity: kept ones keep their id (applications point to them).
    const current = await tx.select().from(competitions).where(eq(competitions.campaignId, row.id));
    const wanted = input.competitions.map((c) => ({
      campaignId: row.id,
      programId: (bySlug.get(c.program) as { id: string }).id,
      funding: c.funding,
      studyForm: c.studyForm,
      applicantGroup: c.applicantGroup,
    }));
    const identity = (c: { programId: string; funding: string; studyForm: string; applicantGroup: string }) =>
      `${c.programId}|${c.funding}|${c.studyForm}|${c.applicantGroup}`;
    const wantedKeys = new Set(wanted.map(identity));
    const currentKeys = new Set(current.map(identity));
    const removed = current.filter((c) => !wantedKeys.has(identity(c)));
    if (removed.length) {
      await tx
        .delete(competitions)
        .where(
          inArray(
            competitions.id,
            removed.map((c) => c.id),
          ),
        )
        .catch(() => {
          throw problems.conflict(
            'competition_in_use',
            'A competition that applications chose cannot be removed.',
            'body.competitions',
          );
        });
    }
    const added = wanted.filter((c) => !currentKeys.has(identity(c)));
    if (added.length) await tx.insert(competitions).values(added);
    // Seats and reversion targets, now that every competition has its id.
    const saved = await tx.select().from(competitions).where(eq(competitions.campaignId, row.id));
    const idOf = new Map(saved.map((c) => [identity(c), c.id]));
    const reversion = new Map<string, string>();
    for (const [i, c] of input.competitions.entries()) {
      const self = idOf.get(identity(wanted[i] as (typeof wanted)[number])) as string;
      let target: string | null = null;
      if (c.revertsTo) {
        const program = bySlug.get(c.revertsTo.program);
        target = program
          ? (idOf.get(`${program.id}|${c.revertsTo.funding}|${c.revertsTo.studyForm}|${c.applicantGroup}`) ?? null)
          : null;
        if (!target || target === self) {
          throw problems.validation([
            {
              field: `body.competitions.${i}.revertsTo`,
              code: 'unknown_value',
              message: 'Unfilled seats must go to another competition of this campaign.',
            },
          ]);
        }
        reversion.set(self, target);
      }
      await tx.update(competitions).set({ seats: c.seats, revertsToId: target }).where(eq(competitions.id, self));
    }
    const cycle = reversionCycle(reversion);
    if (cycle) {
      throw problems.validation([
        { field: 'body.competitions', code: 'reversion_cycle', message: 'Unfilled seats cannot move in a circle.' },
      ]);
    }
    await recordAudit(tx, ctx.clock, actor, {
      action: existing ? 'campaign.updated' : 'campaign.created',
      subjectType: 'campaign',
      subjectId: row.id,
      before: existing
        ? { windows: existing.windows, requirements: existing.requirements, maxPriorities: existing.maxPriorities }
        : null,
      after: {
        windows: input.windows,
        requirements: input.requirements,
        maxPriorities: input.maxPriorities,
        competitions: input.competitions.length,
      },
    });
    return { id: row.id, created: !existing };
  });
}

/** A competition whose unfilled seats would come back to it through the reversion chain, or null. */
export function reversionCycle(revertsTo: ReadonlyMap<string, string>): string | null {
  for (const start of revertsTo.keys()) {
    const seen = new Set<string>([start]);
    let at = revertsTo.get(start);
    while (at !== undefined) {
      if (seen.has(at)) return start;
      seen.add(at);
      at = revertsTo.get(at);
    }
  }
  return null;
}

function shiftYear(value: string | null): string | null {
  if (value === null) return null;
  const d = new Date(value);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The same campaign one year later: windows moved by a year, requirements and competitions copied. */
export async function copyCampaignToNextYear(
  ctx: AppContext,
  principal: Principal | null,
  key: string,
  newSlug: string,
  actor: Actor,
): Promise<{ id: string }> {
  const source = await findCampaign(ctx.db, key);
  authorize(principal, 'campaign.write', { universityId: source.universityId });
  const input = await campaignInput(ctx.db, source);
  const [startYear] = input.academicYear.split('/');
  const next = Number(startYear) + 1;
  const copy = ZCampaignInput.parse({
    ...input,
    slug: newSlug,
    academicYear: `${next}/${String(next + 1).slice(2)}`,
    title: {
      en: input.title.en.replace(String(startYear), String(next)),
      ru: input.title.ru.replace(String(startYear), String(next)),
    },
    windows: input.windows.map((w) => ({ ...w, opens: shiftYear(w.opens), closes: shiftYear(w.closes) })),
  });
  const saved = await saveCampaign(ctx, principal, copy, actor);
  await ctx.db.update(campaigns).set({ copiedFrom: source.id }).where(eq(campaigns.id, saved.id));
  return { id: saved.id };
}

export async function campaignInput(db: Db, c: CampaignRow): Promise<TCampaignInput> {
  const [university] = await db.select().from(universities).where(eq(universities.id, c.universityId));
  const rows = await competitionsOf(db, [c.id]);
  return {
    slug: c.slug,
    university: university?.slug ?? '',
    title: { en: c.titleEn, ru: c.titleRu },
    academicYear: c.academicYear,
    level: c.level as TCampaignInput['level'],
    windows: windowsOf(c),
    requirements: requirementsOf(c),
    eligibility: eligibilityOf(c),
    maxPriorities: c.maxPriorities,
    notes: c.notes,
    source: c.source,
    competitions: rows.map((r) => {
      const target = r.competition.revertsToId
        ? rows.find((t) => t.competition.id === r.competition.revertsToId)
        : undefined;
      return {
        program: r.program.slug,
        funding: r.competition.funding as TCampaignInput['competitions'][number]['funding'],
        studyForm: r.competition.studyForm as TCampaignInput['competitions'][number]['studyForm'],
        applicantGroup: 'foreign' as const,
        seats: r.competition.seats,
        revertsTo: target
          ? {
              program: target.program.slug,
              funding: target.competition.funding as TCampaignInput['competitions'][number]['funding'],
              studyForm: target.competition.studyForm as TCampaignInput['competitions'][number]['studyForm'],
            }
          : null,
      };
    }),
  };
}

/** An officer lets one applicant file documents later than the campaign's cutoff; the reason is audited. */
export async function grantExtension(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  applicantId: string,
  until: Date,
  reason: string,
  actor: Actor,
): Promise<void> {
  authorize(principal, 'campaign.extension.grant', { universityId: campaign.universityId });
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(deadlineExtensions)
      .where(and(eq(deadlineExtensions.campaignId, campaign.id), eq(deadlineExtensions.applicantId, applicantId)));
    await tx
      .insert(deadlineExtensions)
      .values({
        campaignId: campaign.id,
        applicantId,
        kind: 'documents',
        until,
        reason,
        grantedBy: principal.id,
        createdAt: ctx.clock.now(),
      })
      .onConflictDoUpdate({
        target: [deadlineExtensions.campaignId, deadlineExtensions.applicantId, deadlineExtensions.kind],
        set: { until, reason, grantedBy: principal.id, createdAt: ctx.clock.now() },
      });
    await recordAudit(tx, ctx.clock, actor, {
      action: 'campaign.extension_granted',
      subjectType: 'application_deadline',
      subjectId: `${campaign.id}:${applicantId}`,
      before: before ? { until: before.until.toISOString() } : null,
      after: { until: until.toISOString() },
      reason,
    });
  });
}

/**
 * Replaces one of the campaign's settings (review, exam plan, score rule) as an officer of its
 * university, with before and after in the audit log.
 */
export async function saveCampaignSetting<K extends 'review' | 'examPlan' | 'scoreConfig' | 'enrollment'>(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  field: K,
  value: NonNullable<CampaignRow[K]>,
  action: string,
  actor: Actor,
): Promise<void> {
  authorize(principal, 'campaign.write', { universityId: campaign.universityId });
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(campaigns)
      .set({ [field]: value, updatedAt: ctx.clock.now() })
      .where(eq(campaigns.id, campaign.id));
    await recordAudit(tx, ctx.clock, actor, {
      action,
      subjectType: 'campaign',
      subjectId: campaign.id,
      before: campaign[field],
      after: value,
    });
  });
}
