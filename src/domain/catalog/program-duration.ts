import type { TDurationRule } from './catalog.schema.js';

export interface Duration {
  /** Null when the source states only an upper bound. */
  minMonths: number | null;
  maxMonths: number;
  source: string;
}

function applies(rule: TDurationRule, intakeYear: number): boolean {
  return (
    (rule.fromIntakeYear === null || intakeYear >= rule.fromIntakeYear) &&
    (rule.toIntakeYear === null || intakeYear <= rule.toIntakeYear)
  );
}

/**
 * Duration of a program for students who start in `intakeYear` (RULES S0-2: plastic surgery is
 * 5 years from the 2023 intake). The program's own rules win; otherwise the official specialty's.
 * The most specific rule applies (one with a start year beats an open-ended one). Null = not stated.
 */
export function durationFor(
  programRules: readonly TDurationRule[],
  specialtyRules: readonly TDurationRule[],
  intakeYear: number,
): Duration | null {
  for (const rules of [programRules, specialtyRules]) {
    const matching = rules.filter((r) => applies(r, intakeYear));
    if (matching.length === 0) continue;
    const best = [...matching].sort(
      (a, b) => (b.fromIntakeYear ?? -Infinity) - (a.fromIntakeYear ?? -Infinity),
    )[0] as TDurationRule;
    return { minMonths: best.minMonths, maxMonths: best.maxMonths, source: best.source };
  }
  return null;
}

/**
 * The intake a person looking on `date` would join: academic years start in September and the
 * latest enrollment the sources name closes on 1 October (S4-11), so from October on it is next year's.
 */
export function upcomingIntakeYear(date: Date): number {
  return date.getUTCMonth() >= 9 ? date.getUTCFullYear() + 1 : date.getUTCFullYear();
}
