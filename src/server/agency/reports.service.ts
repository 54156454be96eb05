/**
 * Agency reports: the funnel per university and per stage over a period (applicants with an active
 * grant only), with stage-to-stage conversion rates, as JSON or as an XLSX workbook.
 */

import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { universities } from '../../db/schema.js';
import { type FunnelRow, funnelRow } from '../../domain/agency/funnel.js';
import { deriveStages, factsForUniversity, STAGES, type Stage } from '../../domain/agency/stages.js';
import type { AppContext } from '../context.js';
import type { Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type ApplicantFacts, agencyOf, grantedApplicants, loadFacts } from './pipeline.service.js';

export const STAGE_LABELS: Record<Stage, { en: string; ru: string }> = {
  inquiry: { en: 'Inquiry', ru: 'Обращение' },
  consultation: { en: 'Consultation', ru: 'Консультация' },
  dossier: { en: 'Dossier', ru: 'Досье' },
  applied: { en: 'Applied', ru: 'Заявление подано' },
  admitted: { en: 'Admitted', ru: 'Рекомендован' },
  contract_payment: { en: 'Contract and payment', ru: 'Договор и оплата' },
  invitation: { en: 'Invitation', ru: 'Приглашение' },
  visa: { en: 'Visa', ru: 'Виза' },
  arrived: { en: 'Arrived', ru: 'Прибыл' },
  registered: { en: 'Migration registration', ru: 'Миграционный учёт' },
  enrolled: { en: 'Enrolled', ru: 'Зачислен' },
  adapted: { en: 'Adapted', ru: 'Адаптация завершена' },
};

export interface FunnelReport {
  from: string;
  to: string;
  stages: Stage[];
  /** Every granted applicant, whichever university (null when the report is for one university). */
  total: FunnelRow | null;
  universities: ({ university: { slug: string; name: { en: string; ru: string } } } & FunnelRow)[];
}

const DAY = 86_400_000;

/** The period: whole UTC days, `from` 00:00 to `to` 23:59:59.999; by default the last 365 days. */
export function period(now: Date, from?: string, to?: string): { from: Date; to: Date } {
  const end = to ? new Date(`${to}T23:59:59.999Z`) : new Date(`${now.toISOString().slice(0, 10)}T23:59:59.999Z`);
  const start = from ? new Date(`${from}T00:00:00.000Z`) : new Date(end.getTime() + 1 - 365 * DAY);
  if (start.getTime() > end.getTime()) {
    throw problems.validation([
      { field: 'querystring.from', code: 'out_of_range', message: 'from must not be after to.' },
    ]);
  }
  return { from: start, to: end };
}

export async function funnelReport(
  ctx: AppContext,
  principal: Principal | null,
  input: { from?: string | undefined; to?: string | undefined; university?: string | undefined },
): Promise<FunnelReport> {
  const { agencyId } = agencyOf(principal);
  const { from, to } = period(ctx.clock.now(), input.from, input.to);
  let only: string | undefined;
  if (input.university) {
    const [u] = await ctx.db.select().from(universities).where(eq(universities.slug, input.university));
    if (!u) {
      throw problems.validation([
        { field: 'querystring.university', code: 'unknown_value', message: 'No such university.' },
      ]);
    }
    only = u.id;
  }
  const granted = await grantedApplicants(ctx.db, agencyId);
  const facts = await loadFacts(
    ctx.db,
    agencyId,
    granted.map((g) => g.id),
  );
  const all = [...facts.values()];
  const byUniversity = new Map<string, { ref: ApplicantFacts['universities'][number]; members: ApplicantFacts[] }>();
  for (const a of all) {
    for (const u of a.universities) {
      if (only && u.id !== only) continue;
      const entry = byUniversity.get(u.id) ?? { ref: u, members: [] };
      entry.members.push(a);
      byUniversity.set(u.id, entry);
    }
  }
  const rows = [...byUniversity.entries()]
    .map(([universityId, { ref, members }]) => ({
      university: { slug: ref.slug, name: ref.name },
      ...funnelRow(
        members.map((m) => deriveStages(factsForUniversity(m.facts, universityId)).stages),
        from,
        to,
      ),
    }))
    .sort((a, b) => a.university.name.en.localeCompare(b.university.name.en));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    stages: [...STAGES],
    total: only
      ? null
      : funnelRow(
          all.map((a) => deriveStages(a.facts).stages),
          from,
          to,
        ),
    universities: rows,
  };
}

/** The same table as an XLSX workbook: counts, then conversion rates (as percentages). */
export async function funnelXlsx(report: FunnelReport, locale: 'en' | 'ru'): Promise<Buffer> {
  const t =
    locale === 'ru'
      ? {
          sheet: 'Воронка',
          title: 'Воронка агентства по этапам',
          period: 'Период (UTC)',
          university: 'Университет',
          applicants: 'Заявители',
          all: 'Все университеты',
          conversion: 'Конверсия между этапами',
          note: 'Число заявителей, достигших этапа в течение периода; конверсия — следующий этап ÷ этот.',
        }
      : {
          sheet: 'Funnel',
          title: 'Agency funnel by stage',
          period: 'Period (UTC)',
          university: 'University',
          applicants: 'Applicants',
          all: 'All universities',
          conversion: 'Conversion between stages',
          note: 'Applicants who reached each stage within the period; conversion = next stage ÷ this stage.',
        };
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MedAdmit';
  workbook.title = t.title;
  const sheet = workbook.addWorksheet(t.sheet);
  sheet.addRow([t.title]).font = { bold: true };
  sheet.addRow([`${t.period}: ${report.from.slice(0, 10)} — ${report.to.slice(0, 10)}`]);
  sheet.addRow([t.note]).font = { italic: true };
  sheet.addRow([]);

  const rows: [string, FunnelRow][] = [
    ...(report.total ? ([[t.all, report.total]] as [string, FunnelRow][]) : []),
    ...report.universities.map((u): [string, FunnelRow] => [u.university.name[locale], u]),
  ];
  const header = sheet.addRow([t.university, t.applicants, ...report.stages.map((s) => STAGE_LABELS[s][locale])]);
  header.font = { bold: true };
  for (const [name, row] of rows) sheet.addRow([name, row.applicants, ...report.stages.map((s) => row.counts[s])]);

  sheet.addRow([]);
  sheet.addRow([t.conversion]).font = { bold: true };
  const first = rows[0]?.[1];
  const convHeader = sheet.addRow([
    t.university,
    '',
    ...(first?.conversions ?? []).map((c) => `${STAGE_LABELS[c.from][locale]} → ${STAGE_LABELS[c.to][locale]}`),
  ]);
  convHeader.font = { bold: true };
  for (const [name, row] of rows) {
    const r = sheet.addRow([name, '', ...row.conversions.map((c) => c.rate)]);
    for (let i = 0; i < row.conversions.length; i++) r.getCell(3 + i).numFmt = '0.0%';
  }
  sheet.getColumn(1).width = 40;
  sheet.getColumn(2).width = 12;
  for (let i = 0; i < report.stages.length; i++) sheet.getColumn(3 + i).width = 16;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
