import { describe, expect, it } from 'vitest';
import { RUDN_2021_BACHELOR_SPECIALIST as BACHELOR, RUDN_2021_MASTER as MASTER } from './presets.js';
import { scoreRubric, validateInputs } from './score-rubric.js';

const gradeItem = (rubric: typeof BACHELOR, value: number) =>
  scoreRubric(rubric, { average_grade: value }).items.find((i) => i.criterionId === 'average_grade');

describe('scoreRubric: average grade bands', () => {
  const edges: [number, number][] = [
    [3.49, 0],
    [3.5, 30],
    [3.99, 30],
    [4.0, 35],
    [4.49, 35],
    [4.5, 40],
    [4.99, 40],
    [5.0, 45],
  ];

  for (const [name, rubric, rule] of [
    ['bachelor/specialist', BACHELOR, 'S4-5'],
    ['master', MASTER, 'S4-6'],
  ] as const) {
    it.each(edges)(`${rule}: ${name} grade %s scores %s`, (value, points) => {
      expect(gradeItem(rubric, value)?.points).toBe(points);
      expect(scoreRubric(rubric, { average_grade: value }).total).toBe(points);
    });
  }

  it('S4-5: a grade below 3.5 is below the lowest band and shown as such, with 0 points', () => {
    expect(gradeItem(BACHELOR, 3.49)).toEqual({
      criterionId: 'average_grade',
      points: 0,
      input: 3.49,
      band: null,
      belowLowestBand: true,
      option: null,
    });
    expect(gradeItem(BACHELOR, 2)?.belowLowestBand).toBe(true);
  });

  it('S4-5: names the band a grade fell in; 5.0 is the closed top of the scale', () => {
    expect(gradeItem(BACHELOR, 4.49)?.band).toEqual({ from: 4, to: 4.5 });
    expect(gradeItem(BACHELOR, 5)?.band).toEqual({ from: 5, to: null });
    expect(gradeItem(BACHELOR, 5)?.belowLowestBand).toBe(false);
  });
});

describe('scoreRubric: olympiad status, only one counts', () => {
  it('S4-5: winner 40, prize-winner 35, none 0', () => {
    expect(scoreRubric(BACHELOR, { olympiad: 'winner' }).total).toBe(40);
    expect(scoreRubric(BACHELOR, { olympiad: 'prize_winner' }).total).toBe(35);
    expect(scoreRubric(BACHELOR, { olympiad: null }).total).toBe(0);
    const item = scoreRubric(BACHELOR, { olympiad: 'winner' }).items.find((i) => i.criterionId === 'olympiad');
    expect(item?.option).toBe('winner');
  });

  it('S4-6: master winner 15, prize-winner 10', () => {
    expect(scoreRubric(MASTER, { olympiad: 'winner' }).total).toBe(15);
    expect(scoreRubric(MASTER, { olympiad: 'prize_winner' }).total).toBe(10);
  });

  it('S4-5: both statuses at once are refused with several_statuses', () => {
    expect(validateInputs(BACHELOR, { olympiad: ['winner', 'prize_winner'] })).toEqual([
      { field: 'olympiad', code: 'several_statuses', message: expect.any(String) },
    ]);
  });
});

describe('scoreRubric: totals', () => {
  it('S4-5: every criterion at its best gives the maximum, 100', () => {
    const score = scoreRubric(BACHELOR, {
      average_grade: 5,
      achievements: true,
      language_certificate: true,
      olympiad: 'winner',
      recommendations: true,
    });
    expect(score).toMatchObject({ total: 100, maximum: 100 });
    expect(score.items.map((i) => i.points)).toEqual([45, 5, 5, 40, 5]);
  });

  it('S4-6: every master criterion at its best gives the maximum, 100', () => {
    const score = scoreRubric(MASTER, {
      average_grade: 5,
      achievements: true,
      language_certificate: true,
      olympiad: 'winner',
      motivation_letter: true,
      volunteering: true,
      world_ranking: true,
      recommendations: true,
    });
    expect(score).toMatchObject({ total: 100, maximum: 100 });
    expect(score.items.map((i) => i.points)).toEqual([45, 5, 5, 15, 10, 5, 10, 5]);
  });

  it('S4-6: missing inputs and "no" answers score 0', () => {
    const score = scoreRubric(MASTER, { average_grade: 4.2, motivation_letter: false });
    expect(score.total).toBe(35);
    expect(score.items).toHaveLength(8);
    expect(score.items.find((i) => i.criterionId === 'volunteering')).toMatchObject({ points: 0, input: null });
  });

  it('refuses to score inputs that validateInputs rejects', () => {
    expect(() => scoreRubric(BACHELOR, { average_grade: 6 })).toThrow(RangeError);
    expect(() => scoreRubric(BACHELOR, { olympiad: 'champion' })).toThrow(/olympiad/);
  });
});

describe('validateInputs', () => {
  it('names each bad field with its code', () => {
    expect(
      validateInputs(MASTER, {
        average_grade: 5.5,
        achievements: 'yes',
        olympiad: 'champion',
        volunteering: 1,
        interview: 10,
      }).map(({ field, code }) => ({ field, code })),
    ).toEqual([
      { field: 'interview', code: 'unknown_criterion' },
      { field: 'average_grade', code: 'out_of_range' },
      { field: 'achievements', code: 'wrong_type' },
      { field: 'olympiad', code: 'unknown_option' },
      { field: 'volunteering', code: 'wrong_type' },
    ]);
  });

  it('accepts the bounds of the scale, nulls and missing values', () => {
    expect(validateInputs(BACHELOR, { average_grade: 2 })).toEqual([]);
    expect(validateInputs(BACHELOR, { average_grade: 5, olympiad: null })).toEqual([]);
    expect(validateInputs(BACHELOR, {})).toEqual([]);
    expect(validateInputs(BACHELOR, { average_grade: 1.99 })[0]?.code).toBe('out_of_range');
    expect(validateInputs(BACHELOR, { average_grade: Number.NaN })[0]?.code).toBe('wrong_type');
    expect(validateInputs(BACHELOR, { olympiad: ['winner'] })[0]?.code).toBe('wrong_type');
  });
});
