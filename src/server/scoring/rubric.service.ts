import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { reviews, rubrics } from '../../db/schema.js';
import { RUBRIC_PRESETS } from '../../domain/scoring/presets.js';
import { type TRubric, ZRubric } from '../../domain/scoring/rubric.schema.js';
import { type CampaignRow, saveCampaignSetting } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';

export type RubricRow = typeof rubrics.$inferSelect;

/** How a campaign's files are read: readers per file and when their totals need a senior reviewer. */
export const ZReviewSettings = z.strictObject({
  readersRequired: z.number().int().min(1).max(5).default(2),
  reconciliationThreshold: z.number().min(0).max(1000).default(10),
  /** The senior reviewer who reconciles; when unset, an officer of the university. */
  seniorReviewerId: z.uuid().nullable().default(null),
});
export type TReviewSettings = z.infer<typeof ZReviewSettings>;

export function reviewSettingsOf(c: CampaignRow): TReviewSettings {
  return ZReviewSettings.parse(c.review ?? {});
}

export async function currentRubric(db: Db, campaignId: string): Promise<{ row: RubricRow; rubric: TRubric } | null> {
  const [row] = await db
    .select()
    .from(rubrics)
    .where(eq(rubrics.campaignId, campaignId))
    .orderBy(desc(rubrics.version))
    .limit(1);
  return row ? { row, rubric: row.definition as TRubric } : null;
}

export function presetRubric(name: string): TRubric {
  const preset = RUBRIC_PRESETS.find((p) => p.slug === name);
  if (!preset) {
    throw problems.validation([
      {
        field: 'body.preset',
        code: 'unknown_value',
        message: `Presets: ${RUBRIC_PRESETS.map((p) => p.slug).join(', ')}`,
      },
    ]);
  }
  return preset;
}

/**
 * Sets a campaign's rubric. A version that reviews already use is never changed: the new
 * definition becomes the next version, and old reviews keep pointing to the one they used.
 */
export async function saveRubric(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  definition: TRubric,
  actor: Actor,
) {
  authorize(principal, 'campaign.write', { universityId: campaign.universityId });
  const parsed = ZRubric.parse(definition);
  return ctx.db.transaction(async (tx) => {
    const current = await currentRubric(tx, campaign.id);
    const inUse = current
      ? (await tx.select({ id: reviews.id }).from(reviews).where(eq(reviews.rubricId, current.row.id)).limit(1))
          .length > 0
      : false;
    let row: RubricRow | undefined;
    if (current && !inUse) {
      [row] = await tx
        .update(rubrics)
        .set({ definition: parsed, createdBy: principal.id, createdAt: ctx.clock.now() })
        .where(eq(rubrics.id, current.row.id))
        .returning();
    } else {
      [row] = await tx
        .insert(rubrics)
        .values({
          campaignId: campaign.id,
          version: (current?.row.version ?? 0) + 1,
          definition: parsed,
          createdBy: principal.id,
          createdAt: ctx.clock.now(),
        })
        .returning();
    }
    if (!row) throw new Error('rubric save returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'rubric.saved',
      subjectType: 'campaign',
      subjectId: campaign.id,
      before: current ? { version: current.row.version, rubric: current.rubric.slug } : null,
      after: { version: row.version, rubric: parsed.slug, newVersion: !current || inUse },
    });
    return row;
  });
}

export async function saveReviewSettings(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  settings: TReviewSettings,
  actor: Actor,
) {
  await saveCampaignSetting(ctx, principal, campaign, 'review', settings, 'campaign.review_settings', actor);
}

export async function rubricById(db: Db, id: string): Promise<TRubric> {
  const [row] = await db
    .select()
    .from(rubrics)
    .where(and(eq(rubrics.id, id)));
  if (!row) throw problems.notFound('rubric');
  return row.definition as TRubric;
}
