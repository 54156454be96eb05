import { isPassing, type Scale } from './scales.js';

/**
 * The final grade of a course: the grade of its `final` assessment when one is recorded; otherwise
 * the weighted mean of the graded current and exam assessments, rounded half up to the scale (a
 * proposal the teacher confirms by recording the final). Pass/fail courses pass when every graded
 * item passed.
 */

export interface AssessmentInfo {
  id: string;
  kind: 'current' | 'exam' | 'final';
  weight: number;
}

export interface FinalGrade {
  /** The weighted mean before rounding (null when nothing is graded). */
  average: number | null;
  /** The grade on the scale: recorded final, or the rounded mean. */
  value: number | null;
  source: 'final' | 'computed' | 'none';
  passed: boolean | null;
  /** Every assessment of the course has a grade. */
  complete: boolean;
  graded: number;
  total: number;
}

function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5 + 1e-9);
}

export function finalGrade(
  scale: Scale,
  assessments: readonly AssessmentInfo[],
  grades: ReadonlyMap<string, number>,
): FinalGrade {
  const total = assessments.length;
  const graded = assessments.filter((a) => grades.has(a.id)).length;
  const complete = total > 0 && graded === total;
  const final = assessments.find((a) => a.kind === 'final' && grades.has(a.id));
  const items = assessments.filter((a) => a.kind !== 'final' && grades.has(a.id));
  let weightSum = 0;
  let sum = 0;
  for (const item of items) {
    const weight = item.weight > 0 ? item.weight : 0;
    weightSum += weight;
    sum += weight * (grades.get(item.id) ?? 0);
  }
  const average = weightSum > 0 ? Math.round((sum / weightSum) * 100) / 100 : null;
  if (final) {
    const value = grades.get(final.id) ?? null;
    return {
      average,
      value,
      source: 'final',
      passed: value === null ? null : isPassing(scale, value),
      complete,
      graded,
      total,
    };
  }
  if (average === null) return { average, value: null, source: 'none', passed: null, complete, graded, total };
  if (scale.id === 'pass_fail') {
    const passed = items.every((item) => isPassing(scale, grades.get(item.id) ?? 0));
    return { average, value: passed ? 1 : 0, source: 'computed', passed, complete, graded, total };
  }
  const value = Math.min(scale.max, Math.max(scale.min, roundHalfUp(average)));
  return { average, value, source: 'computed', passed: isPassing(scale, value), complete, graded, total };
}
