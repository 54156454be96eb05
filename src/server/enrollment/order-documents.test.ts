import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readPdf } from '../../../test/helpers/pdf-reader.js';
import { type OrderDocumentInput, renderOrderPdf, renderOrderXlsx } from './order-documents.js';

// A name with letters WinAnsi has no code for: a standard PDF font would print nothing legible.
const CYRILLIC_NAME = 'Щербакова Юлия Эдуардовна';

function student(i: number, extra: Partial<OrderDocumentInput['students'][number]> = {}) {
  return {
    position: i,
    applicationNumber: `APP-2026-${String(i).padStart(5, '0')}`,
    fullNameLatin: `Nguyen Van An ${i}`,
    fullNameCyrillic: `Нгуен Ван Ань ${i}`,
    citizenship: { en: 'Viet Nam', ru: 'Вьетнам' },
    score: [250 - i, 80],
    ...extra,
  };
}

function order(extra: Partial<OrderDocumentInput> = {}): OrderDocumentInput {
  return {
    locale: 'ru',
    number: 'ORD-2026-RUDN-0003',
    issuedAt: '2026-07-31T21:30:00Z', // 1 August in Moscow
    university: { en: "Peoples' Friendship University of Russia", ru: 'Российский университет дружбы народов' },
    campaign: { en: 'Admission 2026', ru: 'Приём 2026', academicYear: '2026/2027' },
    competition: {
      programEn: 'General Medicine',
      programRu: 'Лечебное дело',
      specialtyCode: '31.05.01',
      funding: 'contract',
      studyForm: 'full_time',
    },
    quotaReferral: false,
    signedBy: 'Иванова А. П.',
    students: [
      student(1, { fullNameLatin: 'Shcherbakova Yuliya', fullNameCyrillic: CYRILLIC_NAME, score: [245.5, 80] }),
      student(2, { fullNameCyrillic: null, score: null }),
      student(3),
    ],
    ...extra,
  };
}

/** Compare text regardless of how the layout split it into runs. */
const squash = (s: string) => s.replace(/\s+/g, '');

describe('renderOrderPdf', () => {
  it('embeds a Cyrillic font and draws the Cyrillic name with real glyphs', async () => {
    const pdf = await renderOrderPdf(order());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { raw, pages, glyphIds, info } = readPdf(pdf);
    expect(raw).toMatch(/\/FontFile2 \d+ 0 R/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Roboto-Regular/);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect(pages).toHaveLength(1);
    // Glyph 0 is .notdef: a character the font lacks would be drawn as a box.
    expect(glyphIds.length).toBeGreaterThan(100);
    expect(glyphIds).not.toContain(0);
    const text = squash(pages[0] ?? '');
    expect(text).toContain(squash(CYRILLIC_NAME));
    expect(text).toContain(squash('Приказ № ORD-2026-RUDN-0003 от 1 августа 2026 г.'));
    expect(text).toContain(squash('О зачислении иностранных граждан'));
    expect(text).toContain(squash('по договорам об оказании платных образовательных услуг'));
    expect(text).toContain(squash('Форма обучения: очная'));
    expect(text).toContain(squash('245.5 / 80'));
    expect(text).toContain(squash('Всего зачислено: 3 чел.'));
    expect(text).toContain(squash('Иванова А. П.'));
    expect(text).toContain(squash('Стр. 1 из 1'));
    expect(text).not.toContain('Минобрнауки');
    expect(raw).toContain('/Lang (ru-RU)');
    expect(info('Title')).toBe(
      'Приказ № ORD-2026-RUDN-0003 от 1 августа 2026 г. — О зачислении иностранных граждан на обучение по программе «Лечебное дело»',
    );
    expect(info('Author')).toBe('Российский университет дружбы народов');
  });

  it('(control) the checks above would catch a character the font cannot draw', async () => {
    // Roboto has no CJK: such a name is drawn with .notdef and read back as U+0000, not as itself.
    const students = [student(1, { fullNameCyrillic: '王小明' })];
    const { pages, glyphIds } = readPdf(await renderOrderPdf(order({ students })));
    expect(glyphIds).toContain(0);
    expect(squash(pages.join(''))).not.toContain('王小明');
  });

  it('ru and en headings differ; the quota order says it is on the ministry referral', async () => {
    const ru = squash(readPdf(await renderOrderPdf(order({ quotaReferral: true }))).pages.join(''));
    const enPdf = await renderOrderPdf(
      order({ locale: 'en', quotaReferral: true, competition: { ...order().competition, funding: 'quota' } }),
    );
    const en = readPdf(enPdf);
    const enText = squash(en.pages.join(''));
    expect(ru).toContain(squash('по направлению Минобрнауки России'));
    expect(enText).toContain(squash('Order No. ORD-2026-RUDN-0003 of 1 August 2026'));
    expect(enText).toContain(
      squash('On enrollment of foreign citizens to General Medicine on referral of the Ministry (S4-2)'),
    );
    expect(enText).toContain(squash('Funding: government quota'));
    expect(enText).toContain(squash('Study form: full-time'));
    expect(enText).toContain(squash('Page 1 of 1'));
    expect(enText).not.toContain(squash('Приказ №'));
    expect(ru).not.toContain(squash('Order No.'));
    expect(en.raw).toContain('/Lang (en-GB)');
    expect(en.info('Title')).toMatch(/^Order No\. ORD-2026-RUDN-0003 of 1 August 2026 — On enrollment/);
    // The Cyrillic column is there in English too.
    expect(enText).toContain(squash(CYRILLIC_NAME));
  });

  it('says so when nobody is enrolled', async () => {
    const { pages } = readPdf(await renderOrderPdf(order({ locale: 'en', students: [] })));
    const text = squash(pages.join(''));
    expect(text).toContain(squash('No applicants are enrolled by this order.'));
    expect(text).toContain(squash('Total enrolled: 0'));
    expect(text).not.toContain(squash('Application No.'));
  });

  it('spreads 500 students over numbered pages, repeating the table header', async () => {
    const students = Array.from({ length: 500 }, (_, i) => student(i + 1));
    const { pages } = readPdf(await renderOrderPdf(order({ students })));
    expect(pages.length).toBeGreaterThan(1);
    const n = pages.length;
    pages.forEach((page, i) => {
      expect(squash(page)).toContain(squash(`Стр. ${i + 1} из ${n}`));
      expect(squash(page)).toContain(squash('ФИО (кириллицей)'));
    });
    const last = squash(pages[n - 1] ?? '');
    expect(last).toContain(squash('Нгуен Ван Ань 500'));
    expect(last).toContain(squash('Всего зачислено: 500 чел.'));
  });

  it('rejects an issuedAt that is not an instant', async () => {
    await expect(renderOrderPdf(order({ issuedAt: 'yesterday' }))).rejects.toThrow(/issuedAt/);
  });
});

describe('renderOrderXlsx', () => {
  async function read(buffer: Buffer) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      rows[n] = (row.values as unknown[]).slice(1);
    });
    return { workbook, sheet, rows };
  }

  it('round-trips the header lines and a typed table with a frozen header row', async () => {
    const { workbook, sheet, rows } = await read(await renderOrderXlsx(order()));
    expect(workbook.worksheets).toHaveLength(1);
    expect(workbook.title).toMatch(/^Приказ № ORD-2026-RUDN-0003 от 1 августа 2026 г\. — О зачислении/);
    expect((workbook as unknown as { language?: string }).language).toBe('ru-RU');
    expect(rows[1]?.[0]).toBe('Российский университет дружбы народов');
    expect(rows[2]?.[0]).toBe('Приказ № ORD-2026-RUDN-0003 от 1 августа 2026 г.');
    expect(String(rows[3]?.[0])).toMatch(/^О зачислении иностранных граждан/);
    const headerAt = rows.findIndex((r) => r?.[0] === '№ п/п');
    expect(headerAt).toBeGreaterThan(3);
    expect(rows[headerAt]).toEqual([
      '№ п/п',
      '№ заявления',
      'ФИО (латиницей)',
      'ФИО (кириллицей)',
      'Гражданство',
      'Конкурсный балл (1)',
      'Конкурсный балл (2)',
    ]);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerAt });
    expect(sheet.getColumn(3).width).toBeGreaterThan(10);

    const first = rows[headerAt + 1] ?? [];
    expect(first).toEqual([1, 'APP-2026-00001', 'Shcherbakova Yuliya', CYRILLIC_NAME, 'Вьетнам', 245.5, 80]);
    expect(typeof first[0]).toBe('number');
    expect(typeof first[5]).toBe('number');
    // No Cyrillic name and no score: empty cells, not placeholder text.
    expect(rows[headerAt + 2]?.slice(0, 5)).toEqual([2, 'APP-2026-00002', 'Nguyen Van An 2', undefined, 'Вьетнам']);
    expect(rows[headerAt + 2]?.[5]).toBeUndefined();

    const total = rows.find((r) => r?.[0] === 'Всего зачислено');
    expect(total?.[1]).toBe(3);
    expect(rows.find((r) => r?.[0] === 'Уполномоченное должностное лицо')?.[1]).toBe('Иванова А. П.');
  });

  it('writes English headings and a single score column when scores have one component', async () => {
    const students = [student(1, { score: [230] }), student(2, { score: [220] })];
    const { rows } = await read(await renderOrderXlsx(order({ locale: 'en', quotaReferral: true, students })));
    expect(rows[2]?.[0]).toBe('Order No. ORD-2026-RUDN-0003 of 1 August 2026');
    expect(rows[3]?.[0]).toBe(
      'On enrollment of foreign citizens to General Medicine on referral of the Ministry (S4-2)',
    );
    const headerAt = rows.findIndex((r) => r?.[0] === 'No.');
    expect(rows[headerAt]?.slice(5)).toEqual(['Competitive score']);
    expect(rows[headerAt + 2]?.[5]).toBe(220);
    expect(rows.find((r) => r?.[0] === 'Total enrolled')?.[1]).toBe(2);
  });

  it('says so when nobody is enrolled', async () => {
    const { rows } = await read(await renderOrderXlsx(order({ locale: 'en', students: [] })));
    expect(rows.some((r) => r?.[0] === 'No applicants are enrolled by this order.')).toBe(true);
    expect(rows.find((r) => r?.[0] === 'Total enrolled')?.[1]).toBe(0);
  });
});
