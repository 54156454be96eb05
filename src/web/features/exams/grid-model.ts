/**
 * The results grid as data: what each cell holds, how typed or pasted text is read, and which rows a
 * save sends. Pure functions, so the component only wires events to them.
 */
import type { Message } from '../../ui/errors';
import { type ExamResult, type ExamSlot, outcomeOf, type ResultRowInput } from './exams-api';

/** What a cell shows: the score as typed, the "absent" toggle, and whether it records a new attempt. */
export interface Entry {
  text: string;
  absent: boolean;
  retake: boolean;
}

export const EMPTY: Entry = { text: '', absent: false, retake: false };

/** One cell's change, for Undo. */
export interface Change {
  key: string;
  before: Entry;
  after: Entry;
}

export const keyOf = (applicationNumber: string, slotId: string) => `${applicationNumber}\u0000${slotId}`;

export function splitKey(key: string): [string, string] {
  const at = key.indexOf('\u0000');
  return [key.slice(0, at), key.slice(at + 1)];
}

export function entryOf(result: ExamResult | null | undefined): Entry {
  if (!result) return EMPTY;
  if (result.status === 'absent') return { text: '', absent: true, retake: false };
  return { text: result.score === null ? '' : String(result.score), absent: false, retake: false };
}

export function sameEntry(a: Entry, b: Entry): boolean {
  const text = (e: Entry) => e.text.trim().replace(',', '.');
  return a.absent === b.absent && a.retake === b.retake && (a.absent || text(a) === text(b));
}

/** Words a spreadsheet may hold for an absence (English and Russian: «н/я», «неявка»). */
const ABSENT_WORDS = new Set([
  'a',
  'abs',
  'absent',
  'н',
  'н/я',
  'н/я.',
  'нея',
  'неявка',
  'отсутствовал',
  'отсутствовала',
]);

/** A typed or pasted value as a cell entry: an absence word ticks "absent", anything else is the score text. */
export function entryFromText(text: string, current: Entry): Entry {
  const value = text.trim();
  if (ABSENT_WORDS.has(value.toLocaleLowerCase())) return { ...current, text: '', absent: true };
  return { ...current, text: value, absent: false };
}

export type Parsed =
  | { kind: 'empty' }
  | { kind: 'absent' }
  | { kind: 'score'; score: number }
  | { kind: 'invalid'; message: Message };

export function parseEntry(entry: Entry, slot: ExamSlot): Parsed {
  if (entry.absent) return { kind: 'absent' };
  const text = entry.text.trim().replace(',', '.');
  if (text === '') return { kind: 'empty' };
  const score = Number(text);
  if (!Number.isFinite(score)) return { kind: 'invalid', message: { key: 'exams.grid.notANumber' } };
  if (score < 0 || score > slot.maxScore) {
    return { kind: 'invalid', message: { key: 'exams.grid.outOfRange', values: { max: slot.maxScore } } };
  }
  return { kind: 'score', score };
}

/** The outcome to show: the server's for a saved result, computed for a value not saved yet. */
export function shownOutcome(entry: Entry, saved: ExamResult | null | undefined, slot: ExamSlot) {
  const parsed = parseEntry(entry, slot);
  if (parsed.kind === 'absent') return 'absent';
  if (parsed.kind === 'score') return outcomeOf(slot, 'sat', parsed.score);
  return parsed.kind === 'empty' && saved && sameEntry(entry, entryOf(saved)) ? saved.outcome : null;
}

/** Whether another attempt may be recorded after the saved one: failed or absent, retakes left. */
export function canRetake(saved: ExamResult | null | undefined, slot: ExamSlot): boolean {
  return Boolean(saved && saved.outcome !== 'passed' && saved.attempt <= slot.retakes);
}

export type RowPlan = { row: ResultRowInput } | { error: Message } | null;

/** The row a save sends for a changed cell; an error when it cannot be sent; null when nothing to send. */
export function rowOf(key: string, entry: Entry, saved: ExamResult | null | undefined, slot: ExamSlot): RowPlan {
  if (sameEntry(entry, entryOf(saved))) return null;
  const [applicationNumber, slotId] = splitKey(key);
  const parsed = parseEntry(entry, slot);
  if (parsed.kind === 'invalid') return { error: parsed.message };
  if (parsed.kind === 'empty') return saved ? { error: { key: 'exams.grid.cannotClear' } } : null;
  const attempt = entry.retake && saved ? { attempt: saved.attempt + 1 } : {};
  if (parsed.kind === 'absent') return { row: { applicationNumber, slotId, status: 'absent', ...attempt } };
  return { row: { applicationNumber, slotId, status: 'sat', score: parsed.score, ...attempt } };
}

/** The result the server now holds after a row was saved. */
export function savedFrom(row: ResultRowInput, previous: ExamResult | null | undefined, slot: ExamSlot): ExamResult {
  const score = row.status === 'sat' ? (row.score ?? 0) : null;
  return {
    attempt: row.attempt ?? previous?.attempt ?? 1,
    status: row.status,
    score,
    outcome: outcomeOf(slot, row.status, score ?? 0),
  };
}

/** Cells copied from a spreadsheet: rows by line, cells by tab; the trailing line break is not a row. */
export function parseClipboard(text: string): string[][] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines.map((line) => line.split('\t'));
}

/** The index of the row a server error names: "rows.3", "rows.3.score". */
export function rowIndexOf(field: string): number | null {
  const match = /(?:^|\.)rows\.(\d+)/.exec(field);
  return match ? Number(match[1]) : null;
}
