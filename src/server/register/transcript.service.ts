/**
 * A student's transcript in English or Russian, as PDF (pdfmake with the Roboto fonts shipped in the
 * pdfmake package, which have the Cyrillic glyphs the standard PDF fonts lack — as the enrollment
 * orders do) and as XLSX: courses per term with hours, credits, final grade, pass and attendance,
 * clinical rotations, and the attestation with the qualification awarded (S2-6, S0-9, S1-2).
 */

import ExcelJS from 'exceljs';
import type { AppContext } from '../context.js';
import { FONT, pdfmake, thinGrid } from '../documents/pdf.js';
import type { Principal } from '../policies/policy.js';
import { buildStudentView, type CourseView, type StudentView, studentForReading } from './student-view.service.js';

type Locale = 'en' | 'ru';

const LANGUAGE_TAG: Record<Locale, string> = { en: 'en-GB', ru: 'ru-RU' };
const DASH = '—';

const TEXT = {
  en: {
    title: 'Academic transcript',
    name: 'Name',
    nameCyrillic: 'Name (Cyrillic)',
    number: 'Student number',
    program: 'Programme',
    status: 'Status',
    issued: 'Issued',
    term: (name: string, year: string, closed: boolean) => `${name}, ${year}${closed ? '' : ' (in progress)'}`,
    columns: ['Code', 'Course', 'Hours', 'Credits', 'Final grade', 'Result', 'Attendance'],
    noCourses: 'No courses recorded.',
    rotations: 'Clinical rotations',
    rotationColumns: ['Clinical base', 'Department', 'Supervisor', 'From', 'To', 'Result'],
    attestation: 'Final attestation',
    attestationColumns: ['Kind', 'Date', 'Result', 'Grade', 'Qualification', 'Protocol No.'],
    qualification: 'Qualification awarded',
    totals: (hours: number, credits: number) => `Total: ${hours} hours, ${credits} credits`,
    page: (i: number, n: number) => `Page ${i} of ${n}`,
    sheet: 'Transcript',
    termColumn: 'Term',
    scaleColumn: 'Scale',
    passed: 'passed',
    failed: 'failed',
    pass: 'pass',
    fail: 'fail',
    statuses: {
      active: 'studying',
      graduated: 'graduated',
      completed: 'completed the preparatory faculty',
      expelled: 'expelled',
      on_leave: 'on academic leave',
    } as Record<string, string>,
    kinds: {
      state_attestation: 'State final attestation',
      preparatory_completion: 'Completion of the preparatory faculty',
    } as Record<string, string>,
    scales: { five_point: '5-point', hundred_point: '100-point', pass_fail: 'pass/fail' } as Record<string, string>,
    five: { 5: '5 (excellent)', 4: '4 (good)', 3: '3 (satisfactory)', 2: '2 (unsatisfactory)' } as Record<
      number,
      string
    >,
  },
  ru: {
    title: 'Выписка об успеваемости',
    name: 'ФИО',
    nameCyrillic: 'ФИО (кириллицей)',
    number: 'Номер студента',
    program: 'Образовательная программа',
    status: 'Статус',
    issued: 'Дата выдачи',
    term: (name: string, year: string, closed: boolean) => `${name}, ${year} уч. год${closed ? '' : ' (идёт)'}`,
    columns: ['Код', 'Дисциплина', 'Часы', 'З. е.', 'Итоговая оценка', 'Результат', 'Посещаемость'],
    noCourses: 'Дисциплины не указаны.',
    rotations: 'Клинические практики',
    rotationColumns: ['Клиническая база', 'Отделение', 'Руководитель', 'С', 'По', 'Результат'],
    attestation: 'Итоговая аттестация',
    attestationColumns: ['Вид', 'Дата', 'Результат', 'Оценка', 'Квалификация', '№ протокола'],
    qualification: 'Присвоена квалификация',
    totals: (hours: number, credits: number) => `Итого: ${hours} ч., ${credits} з. е.`,
    page: (i: number, n: number) => `Стр. ${i} из ${n}`,
    sheet: 'Выписка',
    termColumn: 'Семестр',
    scaleColumn: 'Шкала',
    passed: 'сдано',
    failed: 'не сдано',
    pass: 'зачтено',
    fail: 'не зачтено',
    statuses: {
      active: 'обучается',
      graduated: 'выпускник',
      completed: 'окончил(а) подготовительный факультет',
      expelled: 'отчислен(а)',
      on_leave: 'в академическом отпуске',
    } as Record<string, string>,
    kinds: {
      state_attestation: 'Государственная итоговая аттестация',
      preparatory_completion: 'Окончание подготовительного факультета',
    } as Record<string, string>,
    scales: { five_point: '5-балльная', hundred_point: '100-балльная', pass_fail: 'зачёт' } as Record<string, string>,
    five: {
      5: '5 (отлично)',
      4: '4 (хорошо)',
      3: '3 (удовлетворительно)',
      2: '2 (неудовлетворительно)',
    } as Record<number, string>,
  },
} as const;

function formatDay(value: string | Date, locale: Locale): string {
  const date = typeof value === 'string' ? new Date(`${value.slice(0, 10)}T12:00:00Z`) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(LANGUAGE_TAG[locale], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

function gradeText(c: CourseView, locale: Locale): string {
  const t = TEXT[locale];
  const v = c.final.value;
  if (v === null) return DASH;
  if (c.scale === 'pass_fail') return v >= 1 ? t.pass : t.fail;
  if (c.scale === 'five_point') return t.five[v] ?? String(v);
  return String(v);
}

const resultText = (c: CourseView, locale: Locale) =>
  c.final.passed === null ? DASH : c.final.passed ? TEXT[locale].passed : TEXT[locale].failed;
const rateText = (rate: number | null) => (rate === null ? DASH : `${Math.round(rate * 100)} %`);

/** Everything both formats print, in the requested language. */
function describe(view: StudentView, locale: Locale, issuedAt: Date) {
  const t = TEXT[locale];
  const s = view.student;
  const program = s.program ? s.program.name[locale] : DASH;
  const details: [string, string][] = [
    [t.name, s.nameLatin],
    ...(s.nameCyrillic ? [[t.nameCyrillic, s.nameCyrillic] as [string, string]] : []),
    [t.number, s.number],
    [t.program, program],
    [t.status, t.statuses[s.status] ?? s.status],
    [t.issued, formatDay(issuedAt, locale)],
  ];
  let hours = 0;
  let credits = 0;
  for (const term of view.terms)
    for (const c of term.courses) {
      if (c.final.passed) {
        hours += c.hours ?? 0;
        credits += c.credits ?? 0;
      }
    }
  return {
    t,
    university: s.university.name[locale],
    details,
    terms: view.terms.map((term) => ({
      heading: t.term(term.name[locale], term.academicYear, term.closed),
      name: term.name[locale],
      rows: term.courses.map((c) => ({
        code: c.code,
        name: c.name[locale],
        hours: c.hours,
        credits: c.credits,
        scale: t.scales[c.scale] ?? c.scale,
        grade: gradeText(c, locale),
        result: resultText(c, locale),
        passed: c.final.passed,
        value: c.final.value,
        rate: c.attendance.rate,
      })),
    })),
    rotations: view.rotations.map((r) => [
      r.clinicalBase,
      r.department ?? DASH,
      r.supervisor?.fullName ?? DASH,
      formatDay(r.startsOn, locale),
      formatDay(r.endsOn, locale),
      r.result === 'pass' ? t.pass : r.result === 'fail' ? t.fail : DASH,
    ]),
    attestations: view.attestations.map((a) => ({
      kind: t.kinds[a.kind] ?? a.kind,
      heldOn: formatDay(a.heldOn, locale),
      result: a.result === 'passed' ? t.passed : t.failed,
      grade: a.grade === null ? DASH : String(a.grade),
      qualification: a.qualification ? a.qualification[locale] || a.qualification.en : DASH,
      protocol: a.protocolNumber ?? DASH,
      passedQualification:
        a.result === 'passed' && a.qualification ? a.qualification[locale] || a.qualification.en : null,
    })),
    totals: t.totals(hours, Math.round(credits * 100) / 100),
  };
}

/** The transcript's data, when the principal may read the student's register (404 otherwise). */
export async function transcriptData(ctx: AppContext, principal: Principal | null, studentId: string) {
  const { student, viewer } = await studentForReading(ctx, principal, studentId);
  return { view: await buildStudentView(ctx, student), viewer };
}

// --- PDF -------------------------------------------------------------------------------------------

function table(headers: readonly string[], rows: string[][], widths: (string | number)[]) {
  return {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths,
      body: [headers.map((h) => ({ text: h, bold: true, fillColor: '#eeeeee' })), ...rows],
    },
    layout: thinGrid,
    fontSize: 8.5,
    margin: [0, 4, 0, 10],
  };
}

export async function renderTranscriptPdf(view: StudentView, locale: Locale, issuedAt: Date): Promise<Buffer> {
  const d = describe(view, locale, issuedAt);
  const { t } = d;
  const content: unknown[] = [
    { text: d.university, bold: true, fontSize: 12, alignment: 'center' },
    { text: t.title, bold: true, fontSize: 13, alignment: 'center', margin: [0, 8, 0, 10] },
    ...d.details.map(([label, value]) => ({ text: [{ text: `${label}: `, bold: true }, value] })),
  ];
  if (d.terms.length === 0) content.push({ text: t.noCourses, italics: true, margin: [0, 10, 0, 0] });
  for (const term of d.terms) {
    content.push({ text: term.heading, bold: true, margin: [0, 12, 0, 2] });
    content.push(
      table(
        t.columns,
        term.rows.map((r) => [
          r.code,
          r.name,
          r.hours === null ? DASH : String(r.hours),
          r.credits === null ? DASH : String(r.credits),
          r.grade,
          r.result,
          rateText(r.rate),
        ]),
        ['auto', '*', 'auto', 'auto', 'auto', 'auto', 'auto'],
      ),
    );
  }
  content.push({ text: d.totals, bold: true, margin: [0, 2, 0, 6] });
  if (d.rotations.length) {
    content.push({ text: t.rotations, bold: true, margin: [0, 10, 0, 2] });
    content.push(table(t.rotationColumns, d.rotations, ['*', 'auto', 'auto', 'auto', 'auto', 'auto']));
  }
  if (d.attestations.length) {
    content.push({ text: t.attestation, bold: true, margin: [0, 10, 0, 2] });
    content.push(
      table(
        t.attestationColumns,
        d.attestations.map((a) => [a.kind, a.heldOn, a.result, a.grade, a.qualification, a.protocol]),
        ['*', 'auto', 'auto', 'auto', '*', 'auto'],
      ),
    );
    for (const a of d.attestations)
      if (a.passedQualification)
        content.push({ text: [{ text: `${t.qualification}: `, bold: true }, a.passedQualification] });
  }
  const doc = {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 48],
    language: LANGUAGE_TAG[locale],
    displayTitle: true,
    info: {
      title: `${t.title} — ${view.student.nameLatin}`,
      subject: t.title,
      author: d.university,
      creator: 'MedAdmit',
      producer: 'MedAdmit (pdfmake)',
      keywords: view.student.number,
    },
    defaultStyle: { font: FONT, fontSize: 10, lineHeight: 1.15 },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `${view.student.nameLatin} · ${view.student.number}`, alignment: 'left' },
        { text: t.page(page, pages), alignment: 'right' },
      ],
      fontSize: 8,
      color: '#555555',
      margin: [40, 16, 40, 0],
    }),
    content,
  };
  return pdfmake().createPdf(doc).getBuffer();
}

// --- XLSX ------------------------------------------------------------------------------------------

export async function renderTranscriptXlsx(view: StudentView, locale: Locale, issuedAt: Date): Promise<Buffer> {
  const d = describe(view, locale, issuedAt);
  const { t } = d;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MedAdmit';
  workbook.title = `${t.title} — ${view.student.nameLatin}`;
  Object.assign(workbook, { language: LANGUAGE_TAG[locale] });
  const sheet = workbook.addWorksheet(t.sheet);
  sheet.addRow([d.university]).font = { bold: true };
  sheet.addRow([t.title]).font = { bold: true };
  for (const [label, value] of d.details) sheet.addRow([label, value]);
  sheet.addRow([]);
  const headers = [t.termColumn, ...t.columns.slice(0, 4), t.scaleColumn, t.columns[4], t.columns[5], t.columns[6]];
  const header = sheet.addRow(headers);
  header.font = { bold: true };
  for (const term of d.terms) {
    for (const r of term.rows) {
      const row = sheet.addRow([term.name, r.code, r.name, r.hours, r.credits, r.scale, r.value, r.result, r.rate]);
      row.getCell(9).numFmt = '0%';
    }
  }
  sheet.addRow([]);
  sheet.addRow([d.totals]).font = { bold: true };
  [16, 12, 40, 8, 8, 14, 14, 14, 14].forEach((w, i) => {
    sheet.getColumn(i + 1).width = w;
  });

  const rotations = workbook.addWorksheet(t.rotations.slice(0, 31));
  rotations.addRow([...t.rotationColumns]).font = { bold: true };
  for (const r of d.rotations) rotations.addRow(r);

  const attestation = workbook.addWorksheet(t.attestation.slice(0, 31));
  attestation.addRow([...t.attestationColumns]).font = { bold: true };
  for (const a of d.attestations)
    attestation.addRow([a.kind, a.heldOn, a.result, a.grade, a.qualification, a.protocol]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
