import { round2, type TCriterion, type TRubric } from './rubric.schema.js';

/** banded: the value; yes_no: a boolean; exclusive: the chosen option id. null = not given (0 points). */
export type ScoreInput = number | boolean | string | null;

export interface ScoreItem {
  criterionId: string;
  points: number;
  input: ScoreInput;
  /** The band the value fell in (banded criteria only). */
  band: { from: number; to: number | null } | null;
  /** A value under the first band: the source states nothing there, so 0 points, shown as such (S4-5). */
  belowLowestBand: boolean;
  option: string | null;
}

export interface RubricScore {
  total: number;
  maximum: number;
  items: ScoreItem[];
}

export type InputErrorCode =
  | 'out_of_range'
  | 'wrong_type'
  | 'unknown_option'
  | 'several_statuses'
  | 'unknown_criterion';

export interface InputError {
  /** The criterion id, as the API reports it in `errors[].field`. */
  field: string;
  code: InputErrorCode;
  message: string;
}

function checkInput(c: TCriterion, value: unknown): Omit<InputError, 'field'> | null {
  if (value === null || value === undefined) return null;
  switch (c.kind) {
    case 'banded':
      if (typeof value !== 'number' || Number.isNaN(value)) {
        return { code: 'wrong_type', message: 'expected a number' };
      }
      if (value < c.min || value > c.max) {
        return { code: 'out_of_range', message: `expected a value between ${c.min} and ${c.max}` };
      }
      return null;
    case 'yes_no':
      return typeof value === 'boolean' ? null : { code: 'wrong_type', message: 'expected yes or no' };
    case 'exclusive': {
      // Several statuses at once is its own mistake: the rules count only one (S4-5).
      if (Array.isArray(value) && value.length > 1) {
        return { code: 'several_statuses', message: 'only one status counts: choose one option' };
      }
      if (typeof value !== 'string') return { code: 'wrong_type', message: 'expected one option id' };
      if (!c.options.some((o) => o.id === value)) {
        return { code: 'unknown_option', message: `"${value}" is not an option of this criterion` };
      }
      return null;
    }
  }
}

/**
 * Every problem with a reviewer's inputs, field by field. Takes `unknown` values because the inputs
 * arrive as JSON, where a list of two olympiad statuses is possible.
 */
export function validateInputs(rubric: TRubric, inputs: Readonly<Record<string, unknown>>): InputError[] {
  const errors: InputError[] = [];
  const known = new Set(rubric.criteria.map((c) => c.id));
  for (const key of Object.keys(inputs)) {
    if (!known.has(key))
      errors.push({ field: key, code: 'unknown_criterion', message: 'not a criterion of this rubric' });
  }
  for (const c of rubric.criteria) {
    const problem = checkInput(c, inputs[c.id]);
    if (problem) errors.push({ field: c.id, ...problem });
  }
  return errors;
}

function scoreCriterion(c: TCriterion, input: ScoreInput): ScoreItem {
  const item: ScoreItem = { criterionId: c.id, points: 0, input, band: null, belowLowestBand: false, option: null };
  if (input === null) return item;
  switch (c.kind) {
    case 'banded': {
      const value = input as number;
      const band = c.bands.find((b) => value >= b.from && (b.to === null ? value <= c.max : value < b.to));
      if (band) return { ...item, points: band.points, band: { from: band.from, to: band.to } };
      // A value above a closed last band is outside every band too, but it is not "below" anything.
      return { ...item, belowLowestBand: c.bands[0] !== undefined && value < c.bands[0].from };
    }
    case 'yes_no':
      return { ...item, points: input === true ? c.points : 0 };
    case 'exclusive': {
      const option = c.options.find((o) => o.id === input);
      return option ? { ...item, points: option.points, option: option.id } : item;
    }
  }
}

/**
 * The rubric's score for one set of inputs, item by item in the rubric's order. Missing inputs score
 * 0; the total never exceeds the rubric's maximum. Inputs that `validateInputs` rejects throw a
 * RangeError: callers validate first and report the fields, so a bad value is never scored silently.
 */
export function scoreRubric(rubric: TRubric, inputs: Readonly<Record<string, ScoreInput>>): RubricScore {
  const errors = validateInputs(rubric, inputs);
  if (errors[0]) throw new RangeError(`${errors[0].field}: ${errors[0].message} (${errors[0].code})`);
  const items = rubric.criteria.map((c) => scoreCriterion(c, inputs[c.id] ?? null));
  const sum = round2(items.reduce((total, i) => total + i.points, 0));
  return { total: Math.min(sum, rubric.maximum), maximum: rubric.maximum, items };
}
