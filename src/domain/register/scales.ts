/**
 * Grading scales of the performance register (S1-6). A course is graded on one scale; grades are
 * stored as numbers (pass/fail as 1 / 0). Pass marks are the usual ones and can be changed per
 * university in the register settings.
 */

export const SCALES = ['five_point', 'pass_fail', 'hundred_point'] as const;
export type ScaleId = (typeof SCALES)[number];

export interface Scale {
  id: ScaleId;
  min: number;
  max: number;
  /** The lowest passing value. */
  passMark: number;
}

/** Default scales: 2 (unsatisfactory) … 5 (excellent); 0 … 100; 0 = fail, 1 = pass. */
export const DEFAULT_PASS_MARKS: Readonly<Record<ScaleId, number>> = {
  five_point: 3,
  pass_fail: 1,
  hundred_point: 60,
};

const RANGES: Readonly<Record<ScaleId, { min: number; max: number }>> = {
  five_point: { min: 2, max: 5 },
  pass_fail: { min: 0, max: 1 },
  hundred_point: { min: 0, max: 100 },
};

export function isScale(value: string): value is ScaleId {
  return (SCALES as readonly string[]).includes(value);
}

export function scaleOf(id: ScaleId, passMarks: Partial<Record<ScaleId, number>> = {}): Scale {
  const range = RANGES[id];
  return { id, ...range, passMark: passMarks[id] ?? DEFAULT_PASS_MARKS[id] };
}

export type GradeCheck =
  | { ok: true }
  | { ok: false; reason: 'not_a_whole_number' | 'out_of_range'; min: number; max: number };

/** A grade must be a whole number within the scale (pass/fail: 0 or 1). */
export function checkGrade(scale: Scale, value: number): GradeCheck {
  if (!Number.isFinite(value) || !Number.isInteger(value))
    return { ok: false, reason: 'not_a_whole_number', min: scale.min, max: scale.max };
  if (value < scale.min || value > scale.max)
    return { ok: false, reason: 'out_of_range', min: scale.min, max: scale.max };
  return { ok: true };
}

export function isPassing(scale: Scale, value: number): boolean {
  return value >= scale.passMark;
}

/** The values a scale can take, lowest first (for distributions); 100-point grades fall into 10-point bands. */
export function distributionBuckets(scale: Scale): { label: string; from: number; to: number }[] {
  if (scale.id === 'hundred_point') {
    const buckets = [];
    for (let from = 0; from < 100; from += 10) {
      const to = from === 90 ? 100 : from + 9;
      buckets.push({ label: `${from}–${to}`, from, to });
    }
    return buckets;
  }
  const values = [];
  for (let v = scale.min; v <= scale.max; v += 1) values.push({ label: String(v), from: v, to: v });
  return values;
}

/** How many grades fall into each bucket of the scale. */
export function gradeDistribution(scale: Scale, values: readonly number[]): { label: string; count: number }[] {
  const buckets = distributionBuckets(scale);
  const counts = buckets.map((b) => ({ label: b.label, count: 0 }));
  for (const value of values) {
    const index = buckets.findIndex((b) => value >= b.from && value <= b.to);
    const bucket = index >= 0 ? counts[index] : undefined;
    if (bucket) bucket.count += 1;
  }
  return counts;
}
