import { describe, expect, it } from 'vitest';
import { finalScore, needsReconciliation, type ReaderScore } from './readers.js';

/** A reader's S4-5 portfolio score: average grade plus one yes/no criterion. */
function reader(readerId: string, grade: number, achievements: number): ReaderScore {
  return {
    readerId,
    total: grade + achievements,
    items: [
      { criterionId: 'average_grade', points: grade },
      { criterionId: 'achievements', points: achievements },
    ],
  };
}

describe('needsReconciliation', () => {
  it('S4-4: totals 70 and 80 with threshold 5 need a senior reader', () => {
    expect(needsReconciliation([reader('a', 65, 5), reader('b', 75, 5)], 5)).toBe(true);
  });

  it('S4-4: totals 70 and 74 agree within 5', () => {
    expect(needsReconciliation([reader('a', 65, 5), reader('b', 70, 4)], 5)).toBe(false);
  });

  it('S4-4: exactly 5 apart still agrees (strictly greater triggers), even with decimals', () => {
    expect(needsReconciliation([reader('a', 70, 0), reader('b', 75, 0)], 5)).toBe(false);
    expect(needsReconciliation([reader('a', 70.1, 0), reader('b', 75.1, 0)], 5)).toBe(false);
    expect(needsReconciliation([reader('a', 70.1, 0), reader('b', 75.11, 0)], 5)).toBe(true);
  });

  it('compares the highest and the lowest of several readers; one reader never triggers', () => {
    expect(needsReconciliation([reader('a', 72, 0), reader('b', 70, 0), reader('c', 76, 0)], 5)).toBe(true);
    expect(needsReconciliation([reader('a', 70, 0)], 0)).toBe(false);
    expect(needsReconciliation([], 0)).toBe(false);
  });
});

describe('finalScore', () => {
  it('S4-4: is incomplete until the required readers have scored', () => {
    expect(finalScore([reader('a', 35, 5)], null, 2, 5)).toEqual({ status: 'incomplete', total: null, items: [] });
    // The same reader twice counts once, with the latest score.
    expect(finalScore([reader('a', 35, 5), reader('a', 40, 5)], null, 2, 5).status).toBe('incomplete');
  });

  it('S4-4: is the per-criterion mean, to 2 decimals, when the readers agree', () => {
    const scores = [reader('a', 35, 5), reader('b', 35, 0), reader('c', 40, 0)];
    expect(finalScore(scores, null, 3, 5)).toEqual({
      status: 'final',
      total: 38.33,
      items: [
        { criterionId: 'average_grade', points: 36.67 },
        { criterionId: 'achievements', points: 1.67 },
      ],
    });
  });

  it('counts a criterion a reader left out as 0 for that reader', () => {
    const partial: ReaderScore = { readerId: 'b', total: 40, items: [{ criterionId: 'average_grade', points: 40 }] };
    expect(finalScore([reader('a', 40, 5), partial], null, 2, 5).items).toEqual([
      { criterionId: 'average_grade', points: 40 },
      { criterionId: 'achievements', points: 2.5 },
    ]);
  });

  it('S4-4: waits for a senior reader when the readers disagree, whose reconciliation then wins', () => {
    const scores = [reader('a', 30, 0), reader('b', 40, 5)];
    expect(finalScore(scores, null, 2, 5)).toEqual({ status: 'needs_reconciliation', total: null, items: [] });
    const senior = reader('senior', 35, 5);
    expect(finalScore(scores, senior, 2, 5)).toEqual({ status: 'final', total: 40, items: senior.items });
  });

  it("a senior's reconciliation overrides even agreeing or missing readers", () => {
    const senior = reader('senior', 45, 0);
    expect(finalScore([reader('a', 40, 0), reader('b', 40, 0)], senior, 2, 5).total).toBe(45);
    expect(finalScore([], senior, 2, 5).status).toBe('final');
  });

  it('refuses a non-positive number of required readers', () => {
    expect(() => finalScore([], null, 0, 5)).toThrow(RangeError);
  });
});
