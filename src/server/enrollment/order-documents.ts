/**
 * The enrollment order ("приказ о зачислении") of one competition as PDF and XLSX, in English or Russian.
 *
 * The PDF is laid out by pdfmake with Roboto (SIL OFL 1.1, shipped inside the pdfmake package and
 * read from node_modules at run time, so nothing has to be copied next to the compiled code), which
 * has the Cyrillic glyphs the standard PDF fonts lack. Quota applicants are enrolled by a separate
 * order on the ministry's referral (S4-2), and the heading says so.
 */

import ExcelJS from 'exceljs';
import { FONT, pdfmake, thinGrid } from '../documents/pdf.js';

export interface OrderDocumentInput {
  locale: 'en' | 'ru';
  number: string; // e.g. "ORD-2026-RUDN-0003"
  issuedAt: string; // ISO instant, shown as a date in the locale
  university: { en: string; ru: string };
  campaign: { en: string; ru: string; academicYear: string };
  competition: {
    programEn: string;
    programRu: string;
    specialtyCode: string | null;
    funding: 'contract' | 'quota' | 'treaty' | string;
    studyForm: string;
  };
  /** Quota (government) applicants are enrolled by a separate order on ministry referral (RULES S4-2); the heading must say so. */
  quotaReferral: boolean;
  signedBy: string; // officer's name
  students: {
    position: number;
    applicationNumber: string;
    fullNameLatin: string;
    fullNameCyrillic: string | null;
    citizenship: { en: string; ru: string };
    score: number[] | null;
  }[];
}

type Locale = OrderDocumentInput['locale'];
type Student = OrderDocumentInput['students'][number];

const FUNDING: Record<string, Record<Locale, string>> = {
  contract: { en: 'paid contract', ru: 'по договорам об оказании платных образовательных услуг' },
  quota: { en: 'government quota', ru: 'в пределах квоты Правительства РФ' },
  treaty: { en: 'international treaty', ru: 'по международным договорам' },
};

const STUDY_FORM: Record<string, Record<Locale, string>> = {
  full_time: { en: 'full-time', ru: 'очная' },
  part_time: { en: 'part-time', ru: 'очно-заочная' },
  correspondence: { en: 'extramural (correspondence)', ru: 'заочная' },
  distance: { en: 'distance learning', ru: 'дистанционная' },
};

const TEXT = {
  en: {
    short: (n: string) => `Order No. ${n}`,
    order: (n: string, date: string) => `Order No. ${n} of ${date}`,
    title: (program: string, quota: boolean) =>
      `On enrollment of foreign citizens to ${program}${quota ? ' on referral of the Ministry (S4-2)' : ''}`,
    campaign: 'Admission campaign',
    campaignValue: (name: string, year: string) => `${name}, academic year ${year}`,
    program: 'Programme',
    funding: 'Funding',
    studyForm: 'Study form',
    enact: 'I HEREBY ORDER: to enroll the following foreign citizens as students:',
    none: 'No applicants are enrolled by this order.',
    total: 'Total enrolled',
    totalValue: (n: number) => `Total enrolled: ${n}`,
    officer: 'Authorised officer',
    page: (i: number, n: number) => `Page ${i} of ${n}`,
    columns: [
      'No.',
      'Application No.',
      'Full name (Latin)',
      'Full name (Cyrillic)',
      'Citizenship',
      'Competitive score',
    ],
    sheet: 'Order',
  },
  ru: {
    short: (n: string) => `Приказ № ${n}`,
    order: (n: string, date: string) => `Приказ № ${n} от ${date}`,
    title: (program: string, quota: boolean) =>
      `О зачислении иностранных граждан на обучение по программе «${program}»${quota ? ' по направлению Минобрнауки России' : ''}`,
    campaign: 'Приёмная кампания',
    campaignValue: (name: string, year: string) => `${name}, ${year} учебный год`,
    program: 'Образовательная программа',
    funding: 'Основа обучения',
    studyForm: 'Форма обучения',
    enact: 'ПРИКАЗЫВАЮ: зачислить на обучение следующих иностранных граждан:',
    none: 'По настоящему приказу никто не зачислен.',
    total: 'Всего зачислено',
    totalValue: (n: number) => `Всего зачислено: ${n} чел.`,
    officer: 'Уполномоченное должностное лицо',
    page: (i: number, n: number) => `Стр. ${i} из ${n}`,
    columns: ['№ п/п', '№ заявления', 'ФИО (латиницей)', 'ФИО (кириллицей)', 'Гражданство', 'Конкурсный балл'],
    sheet: 'Приказ',
  },
} as const;

const LANGUAGE_TAG: Record<Locale, string> = { en: 'en-GB', ru: 'ru-RU' };
const DASH = '—';

/** The order's date as Moscow sees it ("15 July 2026", "15 июля 2026 г."). */
function formatDate(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`issuedAt is not a valid instant: ${iso}`);
  return new Intl.DateTimeFormat(LANGUAGE_TAG[locale], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Moscow',
  }).format(date);
}

const words = (table: Record<string, Record<Locale, string>>, key: string, locale: Locale) =>
  table[key]?.[locale] ?? key.replaceAll('_', ' ');

/** Everything both formats print, in the requested language. */
function describe(input: OrderDocumentInput) {
  const l = input.locale;
  const t = TEXT[l];
  const c = input.competition;
  const programName = l === 'ru' ? c.programRu : c.programEn;
  const program = c.specialtyCode ? `${c.specialtyCode} ${programName}` : programName;
  const students = [...input.students].sort((a, b) => a.position - b.position);
  return {
    t,
    university: input.university[l],
    orderLine: t.order(input.number, formatDate(input.issuedAt, l)),
    title: t.title(programName, input.quotaReferral),
    details: [
      [t.campaign, t.campaignValue(input.campaign[l], input.campaign.academicYear)],
      [t.program, program],
      [t.funding, words(FUNDING, c.funding, l)],
      [t.studyForm, words(STUDY_FORM, c.studyForm, l)],
    ] as const,
    students,
    citizenship: (s: Student) => s.citizenship[l],
  };
}

// --- PDF -------------------------------------------------------------------------------------------

export async function renderOrderPdf(input: OrderDocumentInput): Promise<Buffer> {
  const d = describe(input);
  const { t } = d;
  const cell = (text: string, extra: Record<string, unknown> = {}) => ({ text, ...extra });
  const table = {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: ['auto', 'auto', '*', '*', 75, 'auto'],
      body: [
        t.columns.map((c) => cell(c, { bold: true, fillColor: '#eeeeee' })),
        ...d.students.map((s) => [
          cell(String(s.position), { alignment: 'right' }),
          cell(s.applicationNumber),
          cell(s.fullNameLatin),
          cell(s.fullNameCyrillic ?? DASH),
          cell(d.citizenship(s)),
          cell(s.score?.length ? s.score.join(' / ') : DASH, { alignment: 'right', noWrap: true }),
        ]),
      ],
    },
    layout: thinGrid,
    fontSize: 8.5,
    margin: [0, 4, 0, 8],
  };
  const doc = {
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 48],
    language: LANGUAGE_TAG[input.locale],
    displayTitle: true,
    info: {
      title: `${d.orderLine} — ${d.title}`,
      subject: d.title,
      author: d.university,
      creator: 'MedAdmit',
      producer: 'MedAdmit (pdfmake)',
      keywords: input.number,
    },
    defaultStyle: { font: FONT, fontSize: 10, lineHeight: 1.15 },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: t.short(input.number), alignment: 'left' },
        { text: t.page(page, pages), alignment: 'right' },
      ],
      fontSize: 8,
      color: '#555555',
      margin: [40, 16, 40, 0],
    }),
    content: [
      { text: d.university, bold: true, fontSize: 12, alignment: 'center' },
      { text: d.orderLine, bold: true, fontSize: 12, alignment: 'center', margin: [0, 10, 0, 6] },
      { text: d.title, bold: true, alignment: 'center', margin: [0, 0, 0, 10] },
      ...d.details.map(([label, value]) => ({ text: [{ text: `${label}: `, bold: true }, value] })),
      { text: t.enact, margin: [0, 10, 0, 2] },
      d.students.length ? table : { text: t.none, italics: true, margin: [0, 6, 0, 8] },
      { text: t.totalValue(d.students.length), bold: true, margin: [0, 2, 0, 24] },
      {
        unbreakable: true,
        columns: [
          { text: t.officer, width: '*' },
          { text: '______________________', width: 'auto', margin: [12, 0, 12, 0] },
          { text: input.signedBy, width: '*', alignment: 'right' },
        ],
      },
    ],
  };
  return pdfmake().createPdf(doc).getBuffer();
}

// --- XLSX ------------------------------------------------------------------------------------------

export async function renderOrderXlsx(input: OrderDocumentInput): Promise<Buffer> {
  const d = describe(input);
  const { t } = d;
  const scoreWidth = Math.max(1, ...d.students.map((s) => s.score?.length ?? 0));
  const scoreHeaders =
    scoreWidth === 1 ? [t.columns[5]] : Array.from({ length: scoreWidth }, (_, i) => `${t.columns[5]} (${i + 1})`);
  const headers = [...t.columns.slice(0, 5), ...scoreHeaders];

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MedAdmit';
  workbook.title = `${d.orderLine} — ${d.title}`;
  workbook.subject = d.title;
  // Written to docProps/core.xml as dc:language; exceljs supports it but leaves it out of its typings.
  Object.assign(workbook, { language: LANGUAGE_TAG[input.locale] });
  const sheet = workbook.addWorksheet(t.sheet);

  const lines: [string, boolean][] = [
    [d.university, true],
    [d.orderLine, true],
    [d.title, true],
    ...d.details.map(([label, value]): [string, boolean] => [`${label}: ${value}`, false]),
    [t.enact, false],
  ];
  for (const [text, bold] of lines) {
    const row = sheet.addRow([text]);
    row.font = { bold };
    sheet.mergeCells(row.number, 1, row.number, headers.length);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    // Merged cells do not grow with wrapped text: give long lines room for a second line.
    if (text.length > 110) row.height = 30;
  }
  sheet.addRow([]);

  const headerRow = sheet.addRow(headers);
  headerRow.font = { bold: true };
  headerRow.alignment = { wrapText: true, vertical: 'middle' };
  headerRow.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEEEEE' } };
    c.border = { bottom: { style: 'thin' } };
  });
  for (const s of d.students) {
    const score = Array.from({ length: scoreWidth }, (_, i) => s.score?.[i] ?? null);
    sheet.addRow([s.position, s.applicationNumber, s.fullNameLatin, s.fullNameCyrillic, d.citizenship(s), ...score]);
  }
  if (d.students.length) {
    sheet.autoFilter = {
      from: { row: headerRow.number, column: 1 },
      to: { row: headerRow.number + d.students.length, column: headers.length },
    };
  } else {
    const none = sheet.addRow([t.none]);
    none.font = { italic: true };
    sheet.mergeCells(none.number, 1, none.number, headers.length);
  }
  sheet.addRow([]);
  sheet.addRow([t.total, d.students.length]).font = { bold: true };
  sheet.addRow([t.officer, input.signedBy]);

  // Widths from the table's own contents (the merged header lines above wrap instead).
  const longest = (i: number, values: (string | null)[]) =>
    Math.max(headers[i]?.length ?? 0, ...values.map((v) => v?.length ?? 0));
  const widths = [
    longest(
      0,
      d.students.map((s) => String(s.position)),
    ),
    longest(
      1,
      d.students.map((s) => s.applicationNumber),
    ),
    longest(
      2,
      d.students.map((s) => s.fullNameLatin),
    ),
    longest(
      3,
      d.students.map((s) => s.fullNameCyrillic),
    ),
    longest(
      4,
      d.students.map((s) => d.citizenship(s)),
    ),
    ...scoreHeaders.map(() => 14),
  ];
  widths.forEach((w, i) => {
    sheet.getColumn(i + 1).width = Math.min(50, Math.max(8, w + 2));
  });
  sheet.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow.number, topLeftCell: `A${headerRow.number + 1}` }];
  sheet.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 };
  sheet.pageSetup.printTitlesRow = `${headerRow.number}:${headerRow.number}`;

  return Buffer.from(await workbook.xlsx.writeBuffer());
}
