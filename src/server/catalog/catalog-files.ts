import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import {
  type TCatalogFile,
  type TProgramInput,
  type TUniversityInput,
  ZProgramInput,
  ZUniversityInput,
} from '../../domain/catalog/catalog.schema.js';
import type { ImportLocations, ImportProblem } from './catalog.service.js';

/**
 * Catalog files: JSON ({universities, programs}), CSV (one table per file, recognized by its
 * header) and XLSX (sheets "universities" and "programs"). Tables have one column per field;
 * lists are separated by ";", yes/no facts are true/false (empty = not stated), and nested
 * facts (durations, intake windows, sources) are JSON in their cell.
 */
export const UNIVERSITY_COLUMNS = [
  'slug',
  'name_en',
  'name_ru',
  'name_kk',
  'short_name',
  'country',
  'city_en',
  'city_ru',
  'website',
  'wdoms_listed',
  'languages',
  'multidisciplinary_clinical_bases',
  'clinical_bases_en',
  'clinical_bases_ru',
  'partnerships_en',
  'partnerships_ru',
  'exchange_programs_en',
  'exchange_programs_ru',
  'description_en',
  'description_ru',
  'sources',
] as const;

export const PROGRAM_COLUMNS = [
  'slug',
  'university',
  'level',
  'title_en',
  'title_ru',
  'specialty_code',
  'durations',
  'languages',
  'language_preparation',
  'study_forms',
  'funding_kinds',
  'tuition_amount',
  'tuition_currency',
  'tuition_period',
  'clinical_practice',
  'exchange_programs',
  'state_secret',
  'entrance_exams_en',
  'entrance_exams_ru',
  'intake_windows',
  'notes_en',
  'notes_ru',
  'sources',
] as const;

type Cells = Record<string, string>;
type Text = { en: string; ru: string } | null;

const text = (en: string | undefined, ru: string | undefined): Text =>
  !en && !ru ? null : { en: en ?? '', ru: ru ?? '' };
const textCells = (value: Text, prefix: string): Cells => ({
  [`${prefix}_en`]: value?.en ?? '',
  [`${prefix}_ru`]: value?.ru ?? '',
});
const listCell = (values: readonly string[]) => values.join(';');
const boolCell = (value: boolean | null) => (value === null ? '' : String(value));

class CellError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function list(cells: Cells, column: string): string[] {
  return (cells[column] ?? '')
    .split(';')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function bool(cells: Cells, column: string): boolean | null | string {
  const raw = (cells[column] ?? '').trim().toLowerCase();
  if (raw === '') return null;
  if (['true', 'yes', '1'].includes(raw)) return true;
  if (['false', 'no', '0'].includes(raw)) return false;
  return raw; // left for the schema to refuse with the field's name
}

function json(cells: Cells, column: string, fallback: unknown): unknown {
  const raw = (cells[column] ?? '').trim();
  if (raw === '') return fallback;
  try {
    return JSON.parse(raw);
  } catch {
    throw new CellError(column, 'is not valid JSON');
  }
}

function optional(cells: Cells, column: string): string | null {
  const raw = (cells[column] ?? '').trim();
  return raw === '' ? null : raw;
}

function cellsToUniversity(c: Cells): unknown {
  return {
    slug: c.slug,
    name: { en: c.name_en, ru: c.name_ru, ...(c.name_kk ? { kk: c.name_kk } : {}) },
    shortName: optional(c, 'short_name'),
    country: c.country,
    city: { en: c.city_en, ru: c.city_ru },
    website: optional(c, 'website'),
    wdomsListed: bool(c, 'wdoms_listed'),
    languages: list(c, 'languages'),
    multidisciplinaryClinicalBases: bool(c, 'multidisciplinary_clinical_bases'),
    clinicalBases: text(c.clinical_bases_en, c.clinical_bases_ru),
    partnerships: text(c.partnerships_en, c.partnerships_ru),
    exchangePrograms: text(c.exchange_programs_en, c.exchange_programs_ru),
    description: text(c.description_en, c.description_ru),
    sources: json(c, 'sources', {}),
  };
}

function cellsToProgram(c: Cells): unknown {
  const amount = optional(c, 'tuition_amount');
  return {
    slug: c.slug,
    university: c.university,
    level: c.level,
    title: { en: c.title_en, ru: c.title_ru },
    specialtyCode: optional(c, 'specialty_code'),
    durations: json(c, 'durations', []),
    languages: list(c, 'languages'),
    languagePreparation: bool(c, 'language_preparation'),
    studyForms: list(c, 'study_forms'),
    fundingKinds: list(c, 'funding_kinds'),
    tuition:
      amount === null
        ? null
        : { amount: Number(amount), currency: optional(c, 'tuition_currency'), period: optional(c, 'tuition_period') },
    clinicalPractice: bool(c, 'clinical_practice'),
    exchangePrograms: bool(c, 'exchange_programs'),
    stateSecret: bool(c, 'state_secret') ?? false,
    entranceExams: text(c.entrance_exams_en, c.entrance_exams_ru),
    intakeWindows: json(c, 'intake_windows', []),
    notes: text(c.notes_en, c.notes_ru),
    sources: json(c, 'sources', {}),
  };
}

export function universityToCells(u: TUniversityInput): Cells {
  return {
    slug: u.slug,
    name_en: u.name.en,
    name_ru: u.name.ru,
    name_kk: u.name.kk ?? '',
    short_name: u.shortName ?? '',
    country: u.country,
    city_en: u.city.en,
    city_ru: u.city.ru,
    website: u.website ?? '',
    wdoms_listed: boolCell(u.wdomsListed),
    languages: listCell(u.languages),
    multidisciplinary_clinical_bases: boolCell(u.multidisciplinaryClinicalBases),
    ...textCells(u.clinicalBases, 'clinical_bases'),
    ...textCells(u.partnerships, 'partnerships'),
    ...textCells(u.exchangePrograms, 'exchange_programs'),
    ...textCells(u.description, 'description'),
    sources: JSON.stringify(u.sources),
  };
}

export function programToCells(p: TProgramInput): Cells {
  return {
    slug: p.slug,
    university: p.university,
    level: p.level,
    title_en: p.title.en,
    title_ru: p.title.ru,
    specialty_code: p.specialtyCode ?? '',
    durations: p.durations.length ? JSON.stringify(p.durations) : '',
    languages: listCell(p.languages),
    language_preparation: boolCell(p.languagePreparation),
    study_forms: listCell(p.studyForms),
    funding_kinds: listCell(p.fundingKinds),
    tuition_amount: p.tuition ? String(p.tuition.amount) : '',
    tuition_currency: p.tuition?.currency ?? '',
    tuition_period: p.tuition?.period ?? '',
    clinical_practice: boolCell(p.clinicalPractice),
    exchange_programs: boolCell(p.exchangePrograms),
    state_secret: String(p.stateSecret),
    ...textCells(p.entranceExams, 'entrance_exams'),
    intake_windows: p.intakeWindows.length ? JSON.stringify(p.intakeWindows) : '',
    ...textCells(p.notes, 'notes'),
    sources: JSON.stringify(p.sources),
  };
}

/** Catalog content read from files, with where every entry came from and every problem found. */
export interface ReadCatalog {
  file: TCatalogFile;
  where: ImportLocations;
  problems: ImportProblem[];
}

function fieldOf(issuePath: readonly PropertyKey[]): string {
  return issuePath.map(String).join('.') || '(row)';
}

function collect<T>(
  schema: z.ZodType<T>,
  raw: () => unknown,
  where: string,
  into: { items: T[]; where: string[]; problems: ImportProblem[] },
) {
  let value: unknown;
  try {
    value = raw();
  } catch (error) {
    if (error instanceof CellError) {
      into.problems.push({ where, field: error.field, message: error.message });
      return;
    }
    throw error;
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    into.items.push(parsed.data);
    into.where.push(where);
  } else {
    for (const issue of parsed.error.issues)
      into.problems.push({ where, field: fieldOf(issue.path), message: issue.message });
  }
}

function tableKind(columns: string[]): 'universities' | 'programs' | null {
  if (columns.includes('university') && columns.includes('title_en')) return 'programs';
  if (columns.includes('name_en') && columns.includes('country')) return 'universities';
  return null;
}

function unknownColumns(columns: string[], kind: 'universities' | 'programs'): string[] {
  const known: readonly string[] = kind === 'programs' ? PROGRAM_COLUMNS : UNIVERSITY_COLUMNS;
  return columns.filter((c) => !known.includes(c));
}

/** Reads and checks every file; nothing is written here. */
export async function readCatalogFiles(paths: string[]): Promise<ReadCatalog> {
  const universities = { items: [] as TUniversityInput[], where: [] as string[], problems: [] as ImportProblem[] };
  const programs = { items: [] as TProgramInput[], where: [] as string[], problems: universities.problems };
  const problems = universities.problems;

  const addTable = (name: string, rows: Cells[], columns: string[], rowOffset = 2, kindHint?: string) => {
    const kind = tableKind(columns) ?? (kindHint === 'programs' || kindHint === 'universities' ? kindHint : null);
    if (!kind) {
      problems.push({
        where: name,
        field: '(header)',
        message: 'not a universities or programs table: columns not recognized',
      });
      return;
    }
    const extra = unknownColumns(columns, kind);
    if (extra.length)
      problems.push({ where: name, field: '(header)', message: `unknown column(s): ${extra.join(', ')}` });
    rows.forEach((cells, i) => {
      const where = `${name} row ${i + rowOffset}`;
      if (kind === 'programs') collect(ZProgramInput, () => cellsToProgram(cells), where, programs);
      else collect(ZUniversityInput, () => cellsToUniversity(cells), where, universities);
    });
  };

  for (const file of paths) {
    const name = path.basename(file);
    let content: Buffer;
    try {
      content = await fs.readFile(file);
    } catch {
      problems.push({ where: name, field: '(file)', message: 'cannot be read' });
      continue;
    }
    const ext = path.extname(file).toLowerCase();
    if (ext === '.json') {
      let data: unknown;
      try {
        data = JSON.parse(content.toString('utf8'));
      } catch (error) {
        problems.push({ where: name, field: '(file)', message: `not valid JSON: ${(error as Error).message}` });
        continue;
      }
      const root = data as { universities?: unknown; programs?: unknown };
      if (typeof data !== 'object' || data === null || Array.isArray(data)) {
        problems.push({
          where: name,
          field: '(file)',
          message: 'expected an object with "universities" and "programs"',
        });
        continue;
      }
      for (const key of Object.keys(root)) {
        if (key !== 'universities' && key !== 'programs')
          problems.push({ where: name, field: key, message: 'unknown key' });
      }
      const entries = (v: unknown) => (Array.isArray(v) ? v : []);
      for (const [i, u] of entries(root.universities).entries()) {
        collect(ZUniversityInput, () => u, `${name} universities[${i}]`, universities);
      }
      for (const [i, p] of entries(root.programs).entries()) {
        collect(ZProgramInput, () => p, `${name} programs[${i}]`, programs);
      }
    } else if (ext === '.csv') {
      let records: Cells[];
      try {
        records = parseCsv(content, { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Cells[];
      } catch (error) {
        problems.push({ where: name, field: '(file)', message: `not valid CSV: ${(error as Error).message}` });
        continue;
      }
      const header = parseCsv(content, { to_line: 1, bom: true, trim: true })[0] as string[] | undefined;
      addTable(name, records, header ?? []);
    } else if (ext === '.xlsx') {
      const workbook = new ExcelJS.Workbook();
      try {
        await workbook.xlsx.load(content as unknown as ArrayBuffer);
      } catch (error) {
        problems.push({
          where: name,
          field: '(file)',
          message: `not a readable XLSX workbook: ${(error as Error).message}`,
        });
        continue;
      }
      for (const sheet of workbook.worksheets) {
        const header = ((sheet.getRow(1).values as unknown[]) ?? []).slice(1).map((v) => String(v ?? '').trim());
        const rows: Cells[] = [];
        sheet.eachRow((row, number) => {
          if (number === 1) return;
          const values = (row.values as unknown[]).slice(1);
          const cells: Cells = {};
          header.forEach((column, i) => {
            const v = values[i];
            cells[column] =
              v === null || v === undefined
                ? ''
                : typeof v === 'object' && 'text' in v
                  ? String(v.text)
                  : String(v).trim();
          });
          rows.push(cells);
        });
        addTable(`${name} [${sheet.name}]`, rows, header, 2, sheet.name);
      }
    } else {
      problems.push({ where: name, field: '(file)', message: 'use a .json, .csv or .xlsx file' });
    }
  }
  return {
    file: { universities: universities.items, programs: programs.items },
    where: { universities: universities.where, programs: programs.where },
    problems,
  };
}

export type ExportFormat = 'json' | 'csv' | 'xlsx';

/** Writes the catalog; CSV gives two files, `<out>.universities.csv` and `<out>.programs.csv`. */
export async function writeCatalogFiles(catalog: TCatalogFile, format: ExportFormat, out: string): Promise<string[]> {
  if (format === 'json') {
    await fs.writeFile(out, `${JSON.stringify(catalog, null, 2)}\n`);
    return [out];
  }
  const universityRows = catalog.universities.map(universityToCells);
  const programRows = catalog.programs.map(programToCells);
  if (format === 'csv') {
    const base = out.replace(/\.csv$/i, '');
    const files = [`${base}.universities.csv`, `${base}.programs.csv`];
    await fs.writeFile(
      files[0] as string,
      stringifyCsv(universityRows, { header: true, columns: [...UNIVERSITY_COLUMNS] }),
    );
    await fs.writeFile(files[1] as string, stringifyCsv(programRows, { header: true, columns: [...PROGRAM_COLUMNS] }));
    return files;
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MedAdmit';
  for (const [name, columns, rows] of [
    ['universities', UNIVERSITY_COLUMNS, universityRows],
    ['programs', PROGRAM_COLUMNS, programRows],
  ] as const) {
    const sheet = workbook.addWorksheet(name);
    sheet.columns = columns.map((c) => ({ header: c, key: c, width: Math.min(40, Math.max(12, c.length + 2)) }));
    sheet.getRow(1).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    for (const row of rows) sheet.addRow(row);
  }
  await workbook.xlsx.writeFile(out);
  return [out];
}
