/**
 * The agency's funnel over a period: how many applicants reached each stage within it, and the
 * conversion from each stage to the next (next ÷ this, over the same period; null when nobody
 * reached this stage). Counts are per period, not per cohort, so a rate may exceed 1 when people
 * reached the next stage in the period after reaching this one before it.
 */
import { STAGES, type Stage, type StageState } from './stages.js';

export interface FunnelRow {
  counts: Record<Stage, number>;
  /** Conversion from each stage to the next one in pipeline order (the last stage has none). */
  conversions: { from: Stage; to: Stage; rate: number | null }[];
  /** Applicants considered for this row (whatever they reached). */
  applicants: number;
}

export function emptyCounts(): Record<Stage, number> {
  return Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>;
}

/** Counts applicants whose stage was reached within [from, to] (inclusive, instants). */
export function funnelRow(applicants: Record<Stage, StageState>[], from: Date, to: Date): FunnelRow {
  const counts = emptyCounts();
  for (const stages of applicants) {
    for (const stage of STAGES) {
      const at = stages[stage].reachedAt;
      if (!at) continue;
      const t = Date.parse(at);
      if (t >= from.getTime() && t <= to.getTime()) counts[stage] += 1;
    }
  }
  return { counts, conversions: conversions(counts), applicants: applicants.length };
}

export function conversions(counts: Record<Stage, number>): FunnelRow['conversions'] {
  return STAGES.slice(0, -1).map((stage, i) => {
    const to = STAGES[i + 1] as Stage;
    const base = counts[stage];
    return { from: stage, to, rate: base === 0 ? null : Math.round((counts[to] / base) * 10_000) / 10_000 };
  });
}
