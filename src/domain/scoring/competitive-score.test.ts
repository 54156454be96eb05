import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareTuples,
  competitiveScore,
  type ScoreParts,
  type TScoreConfig,
  ZScoreConfig,
} from './competitive-score.js';

const config = (over: Partial<TScoreConfig>): TScoreConfig =>
  ZScoreConfig.parse({ mode: 'rubric', weights: { rubric: 1, exams: 0 }, tieBreaks: [], source: 'test', ...over });

const rubric = (total: number, olympiad = 0): ScoreParts['rubric'] => ({
  total,
  items: [
    { criterionId: 'average_grade', points: total - olympiad },
    { criterionId: 'olympiad', points: olympiad },
  ],
});

const exams = (language: number, specialty: number, outcome: 'passed' | 'failed' = 'passed'): ScoreParts['exams'] => [
  { slotId: 'language', score: language, outcome: 'passed' },
  { slotId: 'specialty', score: specialty, outcome },
];

describe('competitiveScore', () => {
  it('S4-4: ranks RUDN contract places by the portfolio total, then by tie-breaks', () => {
    const rudn = config({ tieBreaks: [{ source: 'criterion', criterionId: 'olympiad' }], source: 'S4-4, S4-5' });
    const result = competitiveScore(rudn, { rubric: rubric(75, 35), exams: null });
    expect(result).toEqual({
      eligible: true,
      reason: null,
      tuple: [75, 35],
      explanation: [
        { code: 'main_rubric', params: { rubric: 75 } },
        { code: 'tie_break_criterion', params: { criterionId: 'olympiad', value: 35 } },
      ],
    });
  });

  it('S2-5: ranks KazNMU residency by the sum of the exams, the specialty breaking ties', () => {
    const kaznmu = config({ mode: 'exams', tieBreaks: [{ source: 'exam', slotId: 'specialty' }], source: 'S2-5' });
    const result = competitiveScore(kaznmu, { rubric: null, exams: exams(80, 90) });
    expect(result.eligible).toBe(true);
    expect(result.tuple).toEqual([170, 90]);
    expect(result.explanation[0]).toEqual({ code: 'main_exams', params: { exams: 170, count: 2 } });
  });

  it('weighs the rubric and the exams, to 2 decimals', () => {
    const weighted = config({ mode: 'weighted', weights: { rubric: 0.4, exams: 0.3 } });
    const result = competitiveScore(weighted, { rubric: rubric(73), exams: exams(81, 90) });
    // 0.4 × 73 + 0.3 × 171 = 29.2 + 51.3
    expect(result.tuple).toEqual([80.5]);
    expect(result.explanation).toEqual([
      { code: 'main_weighted', params: { rubric: 73, rubricWeight: 0.4, exams: 171, examsWeight: 0.3, main: 80.5 } },
    ]);
    expect(
      competitiveScore(config({ mode: 'weighted', weights: { rubric: 1 / 3, exams: 0 } }), {
        rubric: rubric(50),
        exams: [],
      }).tuple,
    ).toEqual([16.67]);
  });

  it('S2-5: a failed or absent exam makes the applicant ineligible, with the reason', () => {
    const kaznmu = config({ mode: 'exams' });
    const failed = competitiveScore(kaznmu, { rubric: null, exams: exams(80, 30, 'failed') });
    expect(failed).toMatchObject({ eligible: false, reason: 'exam_failed', tuple: [110] });
    expect(failed.explanation[0]).toEqual({ code: 'exam_failed', params: { slotId: 'specialty', score: 30 } });

    const absent = competitiveScore(kaznmu, {
      rubric: null,
      exams: [
        { slotId: 'language', score: 0, outcome: 'absent' },
        { slotId: 'specialty', score: 90, outcome: 'passed' },
      ],
    });
    expect(absent).toMatchObject({ eligible: false, reason: 'exam_absent', tuple: [90] });
  });

  it('a failed exam counts even when the rubric alone ranks', () => {
    const result = competitiveScore(config({}), { rubric: rubric(90), exams: exams(80, 10, 'failed') });
    expect(result).toMatchObject({ eligible: false, reason: 'exam_failed', tuple: [90] });
  });

  it('is ineligible when the part the mode needs is missing', () => {
    expect(competitiveScore(config({}), { rubric: null, exams: null }).reason).toBe('rubric_missing');
    expect(competitiveScore(config({ mode: 'exams' }), { rubric: null, exams: null }).reason).toBe('exams_missing');
    const weighted = config({ mode: 'weighted', weights: { rubric: 0.5, exams: 0.5 } });
    expect(competitiveScore(weighted, { rubric: rubric(60), exams: null }).reason).toBe('exams_missing');
  });

  it('uses −1 for a tie-break the applicant has no value for', () => {
    const c = config({
      tieBreaks: [
        { source: 'exam', slotId: 'language' },
        { source: 'criterion', criterionId: 'interview' },
      ],
    });
    expect(competitiveScore(c, { rubric: rubric(60), exams: null }).tuple).toEqual([60, -1, -1]);
    const absent = { rubric: rubric(60), exams: [{ slotId: 'language', score: 0, outcome: 'absent' as const }] };
    expect(competitiveScore(c, absent).tuple).toEqual([60, -1, -1]);
  });
});

describe('competitiveScore without explanations (an allocation run)', () => {
  it('gives the same eligibility, reason and tuple as with them, for any mode, parts and tie-breaks', () => {
    const outcome = fc.constantFrom('passed' as const, 'failed' as const, 'absent' as const);
    fc.assert(
      fc.property(
        fc.constantFrom('rubric' as const, 'exams' as const, 'weighted' as const),
        fc.record({ rubric: fc.integer({ min: 0, max: 10 }), exams: fc.integer({ min: 1, max: 10 }) }),
        fc.array(
          fc.oneof(
            fc.constantFrom('language', 'specialty', 'other').map((slotId) => ({ source: 'exam' as const, slotId })),
            fc
              .constantFrom('average_grade', 'olympiad', 'none')
              .map((criterionId) => ({ source: 'criterion' as const, criterionId })),
          ),
          { maxLength: 3 },
        ),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 40 }))),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), outcome, outcome)),
        (mode, weights, tieBreaks, portfolio, results) => {
          const c = config({ mode, weights, tieBreaks });
          const parts: ScoreParts = {
            rubric: portfolio ? rubric(portfolio[0] + portfolio[1], portfolio[1]) : null,
            exams: results
              ? [
                  { slotId: 'language', score: results[0], outcome: results[2] },
                  { slotId: 'specialty', score: results[1], outcome: results[3] },
                ]
              : null,
          };
          const full = competitiveScore(c, parts);
          expect(competitiveScore(c, parts, { explain: false })).toEqual({ ...full, explanation: [] });
          expect(full.explanation.length).toBeGreaterThan(tieBreaks.length);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('ZScoreConfig', () => {
  it('refuses a weighted mode whose weights are all 0, and negative weights', () => {
    const weights = (rubric: number, exams: number) =>
      ZScoreConfig.safeParse({ mode: 'weighted', weights: { rubric, exams }, tieBreaks: [], source: 'x' });
    expect(weights(0, 0).error?.issues[0]?.path).toEqual(['weights']);
    expect(weights(-1, 1).success).toBe(false);
    expect(weights(0, 1).success).toBe(true);
  });
});

describe('compareTuples', () => {
  it('sorts higher main scores first, then by each tie-break in order', () => {
    const tuples = [
      [80, 30, 5],
      [85, 0, 0],
      [80, 35, 0],
      [80, 30, 10],
    ];
    expect([...tuples].sort(compareTuples)).toEqual([
      [85, 0, 0],
      [80, 35, 0],
      [80, 30, 10],
      [80, 30, 5],
    ]);
  });

  it('is 0 for equal tuples and treats a missing element as −1', () => {
    expect(compareTuples([70, 5], [70, 5])).toBe(0);
    expect(compareTuples([70, 5], [70, 4])).toBe(-1);
    expect(compareTuples([70, 4], [70, 5])).toBe(1);
    expect(compareTuples([70], [70, -1])).toBe(0);
    expect(compareTuples([70], [70, 0])).toBe(1);
  });
});
