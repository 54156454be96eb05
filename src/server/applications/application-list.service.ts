import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { applicationChoices, applications, competitions, documents, programs, users } from '../../db/schema.js';
import type { TDossier } from '../../domain/dossier/dossier.schema.js';
import type { CampaignRow } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { dossiersOf } from '../dossier/dossier.service.js';

export interface ApplicationListFilter {
  status?: 'submitted' | 'withdrawn' | undefined;
  program?: string | undefined;
  q?: string | undefined;
  documents?: 'pending' | 'rejected' | 'all_accepted' | undefined;
}

/** Submitted and withdrawn applications of a campaign, for the admissions office (drafts stay private). */
export async function listCampaignApplications(ctx: AppContext, campaign: CampaignRow, filter: ApplicationListFilter) {
  const rows = await ctx.db
    .select({ application: applications, user: users })
    .from(applications)
    .innerJoin(users, eq(users.id, applications.applicantId))
    .where(
      and(
        eq(applications.campaignId, campaign.id),
        filter.status
          ? eq(applications.status, filter.status)
          : inArray(applications.status, ['submitted', 'withdrawn']),
      ),
    )
    .orderBy(asc(applications.submittedAt));
  const ids = rows.map((r) => r.application.id);
  const applicantIds = rows.map((r) => r.user.id);
  const choices = ids.length
    ? await ctx.db
        .select({
          applicationId: applicationChoices.applicationId,
          priority: applicationChoices.priority,
          competition: competitions,
          program: programs,
        })
        .from(applicationChoices)
        .innerJoin(competitions, eq(competitions.id, applicationChoices.competitionId))
        .innerJoin(programs, eq(programs.id, competitions.programId))
        .where(inArray(applicationChoices.applicationId, ids))
        .orderBy(asc(applicationChoices.priority))
    : [];
  const docStates = applicantIds.length
    ? await ctx.db
        .select({ ownerId: documents.ownerId, status: documents.status, n: sql<number>`count(*)::int` })
        .from(documents)
        .where(inArray(documents.ownerId, applicantIds))
        .groupBy(documents.ownerId, documents.status)
    : [];
  const dossiers = await dossiersOf(ctx, applicantIds);
  const q = filter.q?.trim().toLowerCase();
  return rows
    .map(({ application, user }) => {
      const dossier = dossiers.get(user.id) as TDossier | undefined;
      const counts = { pending: 0, accepted: 0, rejected: 0 };
      for (const d of docStates.filter((s) => s.ownerId === user.id)) counts[d.status as keyof typeof counts] = d.n;
      return {
        id: application.id,
        number: application.number,
        status: application.status,
        submittedAt: application.submittedAt,
        applicant: {
          id: user.id,
          email: user.email,
          fullName: user.fullName,
          latinName: dossier ? `${dossier.latinName.surname} ${dossier.latinName.givenNames}` : null,
          citizenship: dossier?.citizenship ?? null,
          category: dossier?.category ?? null,
        },
        documents: counts,
        choices: choices
          .filter((c) => c.applicationId === application.id)
          .map((c) => ({
            priority: c.priority,
            program: c.program.slug,
            title: { en: c.program.titleEn, ru: c.program.titleRu },
            funding: c.competition.funding,
            studyForm: c.competition.studyForm,
          })),
      };
    })
    .filter((a) => !filter.program || a.choices.some((c) => c.program === filter.program))
    .filter(
      (a) =>
        !q ||
        [a.number, a.applicant.email, a.applicant.fullName, a.applicant.latinName].some((v) =>
          v?.toLowerCase().includes(q),
        ),
    )
    .filter((a) => {
      if (filter.documents === 'pending') return a.documents.pending > 0;
      if (filter.documents === 'rejected') return a.documents.rejected > 0;
      if (filter.documents === 'all_accepted')
        return a.documents.pending === 0 && a.documents.rejected === 0 && a.documents.accepted > 0;
      return true;
    });
}

const COLUMNS = [
  'number',
  'status',
  'submitted_at',
  'applicant_email',
  'full_name',
  'latin_name',
  'citizenship',
  'category',
  'priority',
  'program',
  'funding',
  'study_form',
  'documents_pending',
  'documents_rejected',
] as const;

/** One row per choice, so a spreadsheet can sort and filter by program and priority. */
export async function exportCampaignApplications(
  rows: Awaited<ReturnType<typeof listCampaignApplications>>,
  format: 'csv' | 'xlsx',
): Promise<Buffer> {
  const table = rows.flatMap((a) =>
    (a.choices.length ? a.choices : [null]).map((c) => ({
      number: a.number ?? '',
      status: a.status,
      submitted_at: a.submittedAt?.toISOString() ?? '',
      applicant_email: a.applicant.email,
      full_name: a.applicant.fullName,
      latin_name: a.applicant.latinName ?? '',
      citizenship: a.applicant.citizenship ?? '',
      category: a.applicant.category ?? '',
      priority: c?.priority ?? '',
      program: c?.program ?? '',
      funding: c?.funding ?? '',
      study_form: c?.studyForm ?? '',
      documents_pending: a.documents.pending,
      documents_rejected: a.documents.rejected,
    })),
  );
  if (format === 'csv') return Buffer.from(stringifyCsv(table, { header: true, columns: [...COLUMNS], bom: true }));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('applications');
  sheet.columns = COLUMNS.map((c) => ({ header: c, key: c, width: Math.max(12, c.length + 2) }));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of table) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
