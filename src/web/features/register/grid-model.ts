/**
 * The register grid as data: what a cell holds, how keys and pasted text become values, which cells a
 * save sends and where the server's field errors belong. Pure functions; the components only wire events.
 */
import type { Message } from '../../ui/errors';
import type { AttendanceStatus, ScaleId, Sheet } from './register-api';

export type GridMode = 'attendance' | 'grades';

/** Attendance: `value` is a status or ''; grades: the typed number ('' = no grade). */
export interface Cell {
  value: string;
  reason: string | null;
}

export const EMPTY_CELL: Cell = { value: '', reason: null };

export interface Change {
  studentId: string;
  colId: string;
  before: Cell;
  after: Cell;
}

export function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  const x = a ?? EMPTY_CELL;
  const y = b ?? EMPTY_CELL;
  return x.value === y.value && (x.value !== 'excused' || (x.reason ?? '') === (y.reason ?? ''));
}

/** The letters a teacher types, Latin and Russian (Н = неявка, О = опоздание, У = уважительная причина). */
const LETTERS: Record<string, AttendanceStatus> = {
  p: 'present',
  п: 'present',
  a: 'absent',
  н: 'absent',
  l: 'late',
  о: 'late',
  e: 'excused',
  у: 'excused',
};

export function statusOfKey(key: string): AttendanceStatus | null {
  return key.length === 1 ? (LETTERS[key.toLocaleLowerCase()] ?? null) : null;
}

/** The letter a cell shows, in the reader's language. */
export function letterOf(status: string, locale: 'en' | 'ru'): string {
  const en: Record<string, string> = { present: 'P', absent: 'A', late: 'L', excused: 'E' };
  const ru: Record<string, string> = { present: 'П', absent: 'Н', late: 'О', excused: 'У' };
  return (locale === 'ru' ? ru : en)[status] ?? '';
}

/** Words a spreadsheet may hold for each status (the letters, English and Russian words, «н/б»). */
const WORDS: Record<string, AttendanceStatus> = {
  ...LETTERS,
  present: 'present',
  '+': 'present',
  '1': 'present',
  присутствовал: 'present',
  присутствовала: 'present',
  absent: 'absent',
  '-': 'absent',
  '0': 'absent',
  нб: 'absent',
  'н/б': 'absent',
  'н/я': 'absent',
  отсутствовал: 'absent',
  отсутствовала: 'absent',
  late: 'late',
  опоздал: 'late',
  опоздала: 'late',
  excused: 'excused',
  ув: 'excused',
  уваж: 'excused',
};

export type Parsed = { cell: Cell } | { error: Message } | null;

/** A pasted attendance value: "P", "н", "E: flu" / "У: болезнь" (an excused mark needs its reason). Empty → null. */
export function parseAttendance(text: string): Parsed {
  const value = text.trim();
  if (value === '') return null;
  const match = /^([^\s:]+)\s*(?::\s*|\s+)?(.*)$/su.exec(value);
  const word = (match?.[1] ?? value).toLocaleLowerCase();
  const rest = (match?.[2] ?? '').trim();
  const status = WORDS[word];
  if (!status) return { error: { key: 'register.grid.errors.unknown_status', values: { value } } };
  if (status === 'excused') {
    if (rest === '') return { error: { key: 'register.grid.errors.required_for_excused' } };
    return { cell: { value: status, reason: rest.slice(0, 500) } };
  }
  if (rest !== '') return { error: { key: 'register.grid.errors.unknown_status', values: { value } } };
  return { cell: { value: status, reason: null } };
}

export interface ScaleInfo {
  scale: ScaleId;
  min: number;
  max: number;
}

const PASS_WORDS = new Set(['pass', 'passed', 'зачёт', 'зачет', 'зач', 'з']);
const FAIL_WORDS = new Set(['fail', 'failed', 'незачёт', 'незачет', 'не зачтено', 'нз']);

/** A typed or pasted grade, checked against the scale (whole numbers only, like the server). */
export function checkGradeText(text: string, scale: ScaleInfo): { value: number | null } | { error: Message } {
  const raw = text.trim().toLocaleLowerCase();
  if (raw === '') return { value: null };
  if (scale.scale === 'pass_fail') {
    if (PASS_WORDS.has(raw)) return { value: 1 };
    if (FAIL_WORDS.has(raw)) return { value: 0 };
  }
  const value = Number(raw.replace(',', '.'));
  if (!Number.isFinite(value)) return { error: { key: 'register.grid.errors.not_a_number' } };
  if (!Number.isInteger(value)) return { error: { key: 'register.grid.errors.not_a_whole_number' } };
  if (value < scale.min || value > scale.max) {
    return { error: { key: 'register.grid.errors.out_of_range', values: { min: scale.min, max: scale.max } } };
  }
  return { value };
}

/** Pasted grade text as a cell (normalised to the number), or the reason it cannot be one. */
export function parseGrade(text: string, scale: ScaleInfo): Parsed {
  if (text.trim() === '') return null;
  const checked = checkGradeText(text, scale);
  if ('error' in checked) return checked;
  return { cell: { value: checked.value === null ? '' : String(checked.value), reason: null } };
}

/** Cells copied from a spreadsheet: rows by line, cells by tab; the trailing line break is not a row. */
export function parseTsv(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines.map((line) => line.split('\t'));
}

/** The index of the item a server field error names: "body.marks.3.status", "marks[3].reason", "grades.0.value". */
export function itemIndexOf(field: string): number | null {
  const match = /(?:^|\.)(?:marks|grades)(?:\[(\d+)\]|\.(\d+))/.exec(field);
  const digits = match?.[1] ?? match?.[2];
  return digits === undefined ? null : Number(digits);
}

/** Initial cells of one mode from the sheet: studentId → colId → cell. */
export function cellsFromSheet(sheet: Sheet, mode: GridMode): Map<string, Record<string, Cell>> {
  const rows = new Map<string, Record<string, Cell>>(sheet.students.map((s) => [s.id, {}]));
  if (mode === 'attendance') {
    for (const mark of sheet.attendance) {
      const row = rows.get(mark.studentId);
      if (row) row[mark.sessionId] = { value: mark.status, reason: mark.reason };
    }
  } else {
    for (const grade of sheet.grades) {
      const row = rows.get(grade.studentId);
      if (row) row[grade.assessmentId] = { value: String(grade.value), reason: null };
    }
  }
  return rows;
}

/** "85 %" style rate, or an en dash when nothing is counted yet. */
export function formatRate(rate: number | null, locale: 'en' | 'ru'): string {
  if (rate === null) return '–';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(rate);
}
