/**
 * Reads a student import file: CSV (UTF-8, header row, comma or semicolon) or XLSX (first sheet,
 * header row) with the columns email, name_latin, name_cyrillic, number, group_code.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { invalidEntries } from './register-access.js';
import type { ImportRow } from './students.service.js';

export const IMPORT_COLUMNS = ['email', 'name_latin', 'name_cyrillic', 'number', 'group_code'] as const;
const REQUIRED = ['email', 'name_latin', 'number'] as const;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const v = value as { text?: unknown; result?: unknown; richText?: { text: string }[]; hyperlink?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (typeof v.text === 'string') return v.text;
    if (v.result !== undefined) return String(v.result);
    if (value instanceof Date) return value.toISOString().slice(0, 10);
  }
  return String(value);
}

async function records(buffer: Buffer, name: string): Promise<Record<string, string>[]> {
  if (name.toLowerCase().endsWith('.xlsx')) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) return [];
    const header = ((sheet.getRow(1).values as unknown[]) ?? []).slice(1).map((v) => cellText(v).trim().toLowerCase());
    const out: Record<string, string>[] = [];
    for (let n = 2; n <= sheet.rowCount; n++) {
      const values = (sheet.getRow(n).values as unknown[]).slice(1);
      const record = Object.fromEntries(header.map((h, i) => [h, cellText(values[i]).trim()]));
      out.push(record);
    }
    // Trailing empty rows of a spreadsheet are not students.
    while (out.length && Object.values(out.at(-1) ?? {}).every((v) => v === '')) out.pop();
    return out;
  }
  const text = buffer.toString('utf8');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = firstLine.split(';').length > firstLine.split(',').length ? ';' : ',';
  return parseCsv(text, {
    columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
    skip_empty_lines: true,
    bom: true,
    trim: true,
    delimiter,
    relax_column_count: true,
  }) as Record<string, string>[];
}

/** The rows of the file, or 422 when it cannot be read or lacks a required column. */
export async function readStudentFile(buffer: Buffer, name: string): Promise<ImportRow[]> {
  let rows: Record<string, string>[];
  try {
    rows = await records(buffer, name);
  } catch {
    throw invalidEntries([
      {
        field: 'file',
        code: 'unreadable',
        message: `${name} cannot be read as ${/\.xlsx$/i.test(name) ? 'XLSX' : 'CSV'}.`,
      },
    ]);
  }
  const present = new Set(Object.keys(rows[0] ?? {}));
  const missing = rows.length ? REQUIRED.filter((c) => !present.has(c)) : [];
  if (missing.length)
    throw invalidEntries(
      missing.map((c) => ({
        field: `row 1 column ${c}`,
        code: 'missing_column',
        message: `The column ${c} is missing.`,
      })),
    );
  return rows.map((r) => ({
    email: r.email ?? '',
    name_latin: r.name_latin ?? '',
    name_cyrillic: r.name_cyrillic ?? '',
    number: r.number ?? '',
    group_code: r.group_code ?? '',
  }));
}
