/**
 * The rubric arithmetic the reviewer sees live, the same as the server's (src/domain/scoring/score-rubric.ts):
 * half-open bands, 0 below the lowest band, one option of an exclusive group, the total capped at the maximum.
 */
import type { Locale } from '../../api';
import type { Band, Criterion, ReviewFile, Rubric, ScoreInput } from './reviews-api';

/** What the form holds per criterion: the number as typed, the checkbox, or the chosen option ('none'). */
export type Draft = Record<string, string | boolean | null>;

export const NONE = 'none';

export interface CriterionScore {
  points: number;
  band: Band | null;
  /** A value under the first band: 0 points (the source states nothing there). */
  below: boolean;
  /** A value above a closed last band. */
  above: boolean;
  /** The typed value is not a number or lies outside [min, max]. */
  invalid: boolean;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The most a criterion can give. */
export function bestPoints(c: Criterion): number {
  if (c.kind === 'banded') return Math.max(...c.bands.map((b) => b.points));
  if (c.kind === 'yes_no') return c.points;
  return Math.max(...c.options.map((o) => o.points));
}

export function scoreCriterion(c: Criterion, input: ScoreInput): CriterionScore {
  const none: CriterionScore = { points: 0, band: null, below: false, above: false, invalid: false };
  if (input === null) return none;
  if (c.kind === 'banded') {
    if (typeof input !== 'number' || Number.isNaN(input) || input < c.min || input > c.max) {
      return { ...none, invalid: true };
    }
    const band = c.bands.find((b) => input >= b.from && (b.to === null ? input <= c.max : input < b.to));
    if (band) return { ...none, points: band.points, band };
    const first = c.bands[0];
    return first && input < first.from ? { ...none, below: true } : { ...none, above: true };
  }
  if (c.kind === 'yes_no') return { ...none, points: input === true ? c.points : 0 };
  const option = c.options.find((o) => o.id === input);
  return { ...none, points: option?.points ?? 0 };
}

/** The form's value of one criterion as the API takes it. */
export function inputOf(c: Criterion, draft: Draft): ScoreInput {
  const value = draft[c.id] ?? null;
  if (c.kind === 'banded') {
    const text = typeof value === 'string' ? value.trim().replace(',', '.') : '';
    return text === '' ? null : Number(text);
  }
  if (c.kind === 'yes_no') return typeof value === 'boolean' ? value : null;
  return typeof value === 'string' && value !== NONE ? value : null;
}

export function inputsOf(rubric: Rubric, draft: Draft): Record<string, ScoreInput> {
  return Object.fromEntries(rubric.criteria.map((c) => [c.id, inputOf(c, draft)]));
}

export function totalOf(rubric: Rubric, draft: Draft): number {
  const sum = round2(rubric.criteria.reduce((total, c) => total + scoreCriterion(c, inputOf(c, draft)).points, 0));
  return Math.min(sum, rubric.maximum);
}

/**
 * Whether the value corrects the automatic pre-score, and so needs a reason: compared as the server
 * compares them (a criterion the pre-score says nothing about is never a correction).
 */
export function isCorrection(prescore: Record<string, ScoreInput>, id: string, input: ScoreInput): boolean {
  if (prescore[id] === undefined) return false;
  return JSON.stringify(input ?? null) !== JSON.stringify(prescore[id] ?? null);
}

function draftValue(c: Criterion, input: ScoreInput | undefined): string | boolean | null {
  if (c.kind === 'banded') return typeof input === 'number' ? String(input) : '';
  if (c.kind === 'yes_no') return typeof input === 'boolean' ? input : null;
  return typeof input === 'string' ? input : NONE;
}

/** The form's first values: what this reviewer submitted before, else the automatic pre-score. */
export function initialDraft(file: ReviewFile): Draft {
  const source = file.status === 'submitted' && file.inputs ? file.inputs : file.prescore.inputs;
  return Object.fromEntries(file.rubric.criteria.map((c) => [c.id, draftValue(c, source[c.id])]));
}

/** A reader's inputs (from their scored items) as form values, for the senior to start from. */
export function draftFromItems(rubric: Rubric, items: { criterionId: string; input?: ScoreInput }[]): Draft {
  return Object.fromEntries(
    rubric.criteria.map((c) => [c.id, draftValue(c, items.find((i) => i.criterionId === c.id)?.input ?? null)]),
  );
}

/** "4.49", "4,49": points and grades as the reader writes numbers. */
export function formatNumber(value: number, locale: Locale, minimumFractionDigits = 0): string {
  return new Intl.NumberFormat(locale, { minimumFractionDigits, maximumFractionDigits: 2 }).format(value);
}
