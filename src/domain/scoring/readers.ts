import { round2 } from './rubric.schema.js';

/**
 * Several readers score each file independently; when their totals drift too far apart a senior
 * reader reconciles them. Pure arithmetic over the readers' scores: who may read is a policy matter.
 */

export interface ReaderScore {
  readerId: string;
  total: number;
  items: { criterionId: string; points: number }[];
}

export interface FinalScore {
  status: 'incomplete' | 'needs_reconciliation' | 'final';
  total: number | null;
  items: { criterionId: string; points: number }[];
}

/** Readers' totals further apart than the threshold (strictly): exactly at the threshold still agrees. */
export function needsReconciliation(scores: readonly ReaderScore[], threshold: number): boolean {
  if (scores.length < 2) return false;
  const totals = scores.map((s) => s.total);
  // Totals carry 2 decimals; rounding the spread keeps 75.1 − 70.1 from counting as 5.000000000000001.
  return round2(Math.max(...totals) - Math.min(...totals)) > threshold;
}

/** A reader who scored twice counts once, with the latest score. */
function latestPerReader(scores: readonly ReaderScore[]): ReaderScore[] {
  const byReader = new Map<string, ReaderScore>();
  for (const s of scores) {
    byReader.delete(s.readerId);
    byReader.set(s.readerId, s);
  }
  return [...byReader.values()];
}

/** Mean per criterion over all readers; a criterion a reader left out counts 0 for that reader. */
function meanItems(scores: readonly ReaderScore[]): { criterionId: string; points: number }[] {
  const sums = new Map<string, number>();
  for (const s of scores) {
    for (const item of s.items) sums.set(item.criterionId, (sums.get(item.criterionId) ?? 0) + item.points);
  }
  return [...sums].map(([criterionId, sum]) => ({ criterionId, points: round2(sum / scores.length) }));
}

/**
 * The file's score. A senior's reconciliation, when there is one, is final as it stands. Otherwise
 * the score is final only when `readersRequired` distinct readers have scored and agree within
 * `threshold`: then it is the readers' mean, per criterion and for the total (2 decimals). The total
 * is the mean of the readers' totals, so a reader's capped total is respected.
 */
export function finalScore(
  scores: readonly ReaderScore[],
  reconciliation: ReaderScore | null,
  readersRequired: number,
  threshold: number,
): FinalScore {
  if (!Number.isInteger(readersRequired) || readersRequired < 1) {
    throw new RangeError('readersRequired must be a positive whole number');
  }
  if (reconciliation !== null) {
    return { status: 'final', total: reconciliation.total, items: reconciliation.items.map((i) => ({ ...i })) };
  }
  const readers = latestPerReader(scores);
  if (readers.length < readersRequired) return { status: 'incomplete', total: null, items: [] };
  if (needsReconciliation(readers, threshold)) return { status: 'needs_reconciliation', total: null, items: [] };
  const total = round2(readers.reduce((sum, s) => sum + s.total, 0) / readers.length);
  return { status: 'final', total, items: meanItems(readers) };
}
