import { type TGrade, ZGrade } from './dossier.schema.js';

/**
 * National grade → Russian five-point scale, shown to the applicant with the rule that produced it.
 * No official table exists (REFERENCE "Grade conversion"), so the conversion is the documented
 * piecewise-linear one: the scale's minimum → 2, its pass mark → 3, its maximum → 5.
 */

export interface FivePointGrade {
  value: number;
  rule: 'piecewise_linear';
  /** The points the line goes through, in the order min, pass, max. */
  anchors: { from: number; to: number }[];
}

const MIN_TO = 2;
const PASS_TO = 3;
const MAX_TO = 5;

/**
 * Ratios, not differences, carry the position along the scale, so inverted scales (German 1.0 best,
 * 4.0 pass, 6.0 min) need no special case. Rounded to 2 decimals, as printed in the portfolio.
 */
export function toFivePoint(grade: TGrade): FivePointGrade {
  const parsed = ZGrade.safeParse(grade);
  if (!parsed.success) throw new RangeError(`not a grade on its scale: ${parsed.error.issues[0]?.message ?? ''}`);
  const { value, min, pass, max } = grade;
  const abovePass = (value - pass) / (max - pass);
  const raw = abovePass >= 0 ? PASS_TO + (MAX_TO - PASS_TO) * abovePass : MIN_TO + (value - min) / (pass - min);
  return {
    value: Math.round(raw * 100) / 100,
    rule: 'piecewise_linear',
    anchors: [
      { from: min, to: MIN_TO },
      { from: pass, to: PASS_TO },
      { from: max, to: MAX_TO },
    ],
  };
}
