/** Published ranked lists (anonymous codes) and the applicant's own view of their admission. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import {
  admissions,
  applicationChoices,
  applications,
  campaigns,
  competitions,
  enrollmentOrders,
  lotteryDraws,
  programs,
  rankedLists,
  visaCases,
} from '../../db/schema.js';
import { enrollmentSettings, needsVisa } from '../../domain/enrollment/settings.js';
import { findCampaign } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { problems } from '../problem.js';
import { decodeEntries, publishedRun } from './allocation.service.js';
import { admissionContext, dossierOf } from './enrollment.service.js';
import { invitationBlocker } from './visa.service.js';

const title = (en: string, ru: string) => ({ en, ru });

/** The campaign's published lists: one line per competition, with seats, admitted and cutoff. */
export async function publicLists(ctx: AppContext, campaignKey: string) {
  const campaign = await findCampaign(ctx.db, campaignKey);
  const run = await publishedRun(ctx.db, campaign.id);
  const rows = run
    ? await ctx.db
        .select({
          competition: competitions,
          program: programs,
          capacity: rankedLists.capacity,
          admitted: rankedLists.admitted,
          cutoff: rankedLists.cutoff,
          applications: rankedLists.size,
        })
        .from(rankedLists)
        .innerJoin(competitions, eq(competitions.id, rankedLists.competitionId))
        .innerJoin(programs, eq(programs.id, competitions.programId))
        .where(eq(rankedLists.runId, run.id))
        .orderBy(programs.titleEn, competitions.funding)
    : [];
  return {
    campaign: {
      slug: campaign.slug,
      title: title(campaign.titleEn, campaign.titleRu),
      academicYear: campaign.academicYear,
    },
    run: run
      ? {
          seq: run.seq,
          publishedAt: run.createdAt,
          confirmBy: run.confirmBy,
          inputSha256: run.inputSha256,
          outputSha256: run.outputSha256,
        }
      : null,
    competitions: rows.map((r) => ({
      id: r.competition.id,
      program: { slug: r.program.slug, title: title(r.program.titleEn, r.program.titleRu) },
      funding: r.competition.funding,
      studyForm: r.competition.studyForm,
      capacity: r.capacity,
      admitted: r.admitted,
      applications: r.applications,
      cutoff: r.cutoff as { score: number[]; lottery: number } | null,
    })),
  };
}

/** One competition's published list, under anonymous codes only. */
export async function publicList(ctx: AppContext, campaignKey: string, competitionId: string) {
  const campaign = await findCampaign(ctx.db, campaignKey);
  const run = await publishedRun(ctx.db, campaign.id);
  if (!run || !/^[0-9a-f-]{36}$/.test(competitionId)) throw problems.notFound('ranked list');
  const [row] = await ctx.db
    .select({ list: rankedLists, competition: competitions, program: programs })
    .from(rankedLists)
    .innerJoin(competitions, eq(competitions.id, rankedLists.competitionId))
    .innerJoin(programs, eq(programs.id, competitions.programId))
    .where(and(eq(rankedLists.runId, run.id), eq(rankedLists.competitionId, competitionId)));
  if (!row) throw problems.notFound('ranked list');
  return {
    campaign: { slug: campaign.slug, title: title(campaign.titleEn, campaign.titleRu) },
    run: { seq: run.seq, publishedAt: run.createdAt },
    competition: {
      id: row.competition.id,
      program: { slug: row.program.slug, title: title(row.program.titleEn, row.program.titleRu) },
      funding: row.competition.funding,
      studyForm: row.competition.studyForm,
    },
    capacity: row.list.capacity,
    admitted: row.list.admitted,
    cutoff: row.list.cutoff as { score: number[]; lottery: number } | null,
    entries: decodeEntries(row.list.entries),
  };
}

/** Everything the applicant's "Admission" page shows, per campaign they were ranked in. */
export async function myAdmissions(ctx: AppContext, applicantId: string) {
  const draws = await ctx.db
    .select({ draw: lotteryDraws, campaign: campaigns })
    .from(lotteryDraws)
    .innerJoin(campaigns, eq(campaigns.id, lotteryDraws.campaignId))
    .where(eq(lotteryDraws.applicantId, applicantId));
  const out = [];
  for (const { draw, campaign } of draws) {
    const run = await publishedRun(ctx.db, campaign.id);
    const choices = await ctx.db
      .select({ priority: applicationChoices.priority, competition: competitions, program: programs })
      .from(applicationChoices)
      .innerJoin(applications, eq(applications.id, applicationChoices.applicationId))
      .innerJoin(competitions, eq(competitions.id, applicationChoices.competitionId))
      .innerJoin(programs, eq(programs.id, competitions.programId))
      .where(and(eq(applications.applicantId, applicantId), eq(applications.campaignId, campaign.id)))
      .orderBy(applicationChoices.priority);
    const lists = run
      ? await ctx.db
          .select()
          .from(rankedLists)
          .where(
            and(
              eq(rankedLists.runId, run.id),
              inArray(
                rankedLists.competitionId,
                choices.map((c) => c.competition.id),
              ),
            ),
          )
      : [];
    const listOf = new Map(lists.map((l) => [l.competitionId, l]));
    const [latest] = await ctx.db
      .select({ admission: admissions, visa: visaCases, orderNumber: enrollmentOrders.number })
      .from(admissions)
      .leftJoin(visaCases, eq(visaCases.admissionId, admissions.id))
      .leftJoin(enrollmentOrders, eq(enrollmentOrders.id, admissions.orderId))
      .where(and(eq(admissions.campaignId, campaign.id), eq(admissions.applicantId, applicantId)))
      // The active offer first; otherwise the latest closed one (superseded, declined, expired).
      .orderBy(desc(sql`${admissions.status} in ('offered', 'confirmed', 'enrolled')`), desc(admissions.createdAt))
      .limit(1);
    let admission = null;
    if (latest) {
      const full = await admissionContext(ctx.db, latest.admission.id);
      if (full) {
        const settings = enrollmentSettings(campaign.enrollment);
        const blocker = invitationBlocker(full);
        admission = {
          ...latest.admission,
          program: title(full.program.titleEn, full.program.titleRu),
          funding: full.competition.funding,
          orderNumber: latest.orderNumber,
          needsVisa: needsVisa(dossierOf(full.snapshot)?.citizenship, settings),
          invitation: { allowed: blocker === null, blocker },
          visa: latest.visa,
        };
      }
    }
    out.push({
      campaign: { slug: campaign.slug, title: title(campaign.titleEn, campaign.titleRu) },
      code: draw.code,
      lottery: draw.lottery,
      run: run ? { seq: run.seq, publishedAt: run.createdAt } : null,
      choices: choices.map((c) => {
        const list = listOf.get(c.competition.id);
        // The applicant's row on the list: the lottery number is theirs alone within the campaign.
        const entry = list ? decodeEntries(list.entries).find((e) => e.lottery === draw.lottery) : undefined;
        return {
          priority: c.priority,
          competitionId: c.competition.id,
          program: title(c.program.titleEn, c.program.titleRu),
          funding: c.competition.funding,
          state: entry?.state ?? null,
          reason: entry?.reason ?? null,
          position: entry?.position ?? null,
          capacity: list?.capacity ?? null,
          admitted: list?.admitted ?? null,
          cutoff: (list?.cutoff as { score: number[]; lottery: number } | null) ?? null,
          yours: entry ? { score: entry.score, lottery: entry.lottery } : null,
        };
      }),
      admission,
    });
  }
  return out;
}
