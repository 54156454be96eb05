import { and, asc, eq, sql } from 'drizzle-orm';
import { applications, users } from '../../db/schema.js';
import {
  type CompetitiveScore,
  compareTuples,
  competitiveScore,
  type TScoreConfig,
  ZScoreConfig,
} from '../../domain/scoring/competitive-score.js';
import { type CampaignRow, saveCampaignSetting } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { fileStatus } from '../scoring/review.service.js';
import type { Actor } from '../services/audit.service.js';
import { examPlanOf } from './exam.service.js';

/** The campaign's rule for the competitive score; by default the portfolio total when there is no exam plan. */
export function scoreConfigOf(c: CampaignRow): TScoreConfig {
  if (c.scoreConfig) return c.scoreConfig as TScoreConfig;
  const exams = examPlanOf(c) !== null;
  return {
    mode: exams ? 'exams' : 'rubric',
    weights: { rubric: 1, exams: 1 },
    tieBreaks: [],
    source: 'default: no rule set by the campaign',
  };
}

export async function saveScoreConfig(
  ctx: AppContext,
  principal: Principal | null,
  campaign: CampaignRow,
  config: TScoreConfig,
  actor: Actor,
) {
  await saveCampaignSetting(
    ctx,
    principal,
    campaign,
    'scoreConfig',
    ZScoreConfig.parse(config),
    'campaign.score_config',
    actor,
  );
}

/** Per applicant, the latest attempt of each exam slot: slot id → [score, outcome]. */
export type LatestExams = Map<string, Record<string, [number | null, string]>>;

/** The latest attempt of each applicant at each exam slot of a campaign (applicant_id, slot_id, score, outcome). */
export const latestAttempts = (campaignId: string) => sql`
  select distinct on (applicant_id, slot_id) applicant_id, slot_id, score, outcome from exam_results
  where campaign_id = ${campaignId}::uuid order by applicant_id, slot_id, attempt desc`;

/**
 * The competitive score of every submitted applicant of a campaign, by applicant id. Exam results are
 * loaded once and grouped (the portfolio mode still reads each application's reviews).
 */
export async function scoresByApplicant(
  ctx: AppContext,
  campaign: CampaignRow,
): Promise<Map<string, CompetitiveScore & { applicationId: string }>> {
  // Plain rows (no ORM mapping): at 100,000 applicants the mapping cost more than the queries.
  const rows = (
    await ctx.db.execute(sql`
      select id, applicant_id as "applicantId" from applications
      where campaign_id = ${campaign.id}::uuid and status = 'submitted'`)
  ).rows as { id: string; applicantId: string }[];
  const latest: LatestExams = new Map();
  if (scoreConfigOf(campaign).mode !== 'rubric' && examPlanOf(campaign)) {
    const results = await ctx.db.execute(sql`
      select applicant_id as "applicantId", json_object_agg(slot_id, json_build_array(score, outcome)) as slots
      from (${latestAttempts(campaign.id)}) r
      group by applicant_id`);
    for (const r of results.rows as { applicantId: string; slots: Record<string, [number | null, string]> }[])
      latest.set(r.applicantId, r.slots);
  }
  return scoresOf(ctx, campaign, rows, latest);
}

/**
 * The competitive score of each given application from exam results already loaded (an allocation
 * run reads them with its applications in one query), reading the portfolio of each application
 * when the campaign's mode counts it.
 */
export async function scoresOf(
  ctx: AppContext,
  campaign: CampaignRow,
  rows: readonly { id: string; applicantId: string }[],
  latest: LatestExams,
  options: { explain?: boolean } = {},
): Promise<Map<string, CompetitiveScore & { applicationId: string }>> {
  const config = scoreConfigOf(campaign);
  const plan = examPlanOf(campaign);
  const slots = config.mode === 'rubric' || !plan ? null : plan.slots;
  const out = new Map<string, CompetitiveScore & { applicationId: string }>();
  for (const row of rows) {
    const portfolio = config.mode === 'exams' ? null : await fileStatus(ctx, row.id, campaign);
    const results = slots && latest.get(row.applicantId);
    const exams =
      slots?.map((slot) => {
        const r = results?.[slot.id];
        return {
          slotId: slot.id,
          score: r?.[0] ?? 0,
          outcome: (r?.[1] ?? 'absent') as 'absent' | 'failed' | 'passed',
        };
      }) ?? null;
    const score = competitiveScore(
      config,
      {
        rubric:
          portfolio && portfolio.status === 'final' && portfolio.total !== null
            ? { total: portfolio.total, items: portfolio.items }
            : null,
        exams,
      },
      options,
    );
    out.set(row.applicantId, {
      eligible: score.eligible,
      reason: score.reason,
      tuple: score.tuple,
      explanation: score.explanation,
      applicationId: row.id,
    });
  }
  return out;
}

/** Every submitted applicant's score tuple, best first, with the reasons behind it (for ranked lists). */
export async function competitiveScores(ctx: AppContext, principal: Principal | null, campaign: CampaignRow) {
  authorize(principal, 'campaign.applications.read', { universityId: campaign.universityId });
  const scores = await scoresByApplicant(ctx, campaign);
  const rows = await ctx.db
    .select({ application: applications, user: users })
    .from(applications)
    .innerJoin(users, eq(users.id, applications.applicantId))
    .where(and(eq(applications.campaignId, campaign.id), eq(applications.status, 'submitted')))
    .orderBy(asc(applications.number));
  const items: (CompetitiveScore & { applicationNumber: string; fullName: string; applicantId: string })[] = [];
  for (const { application, user } of rows) {
    const score = scores.get(user.id);
    if (!score) continue;
    const { applicationId: _, ...rest } = score;
    items.push({
      ...rest,
      applicationNumber: application.number ?? '',
      fullName: user.fullName,
      applicantId: user.id,
    });
  }
  return items.sort((a, b) => Number(b.eligible) - Number(a.eligible) || compareTuples(a.tuple, b.tuple));
}
