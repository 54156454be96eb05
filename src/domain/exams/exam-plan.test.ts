import { describe, expect, it } from 'vitest';
import {
  canRetake,
  examOutcome,
  examsFor,
  KAZNMU_RESIDENCY_EXAMS,
  RUSSIAN_RESIDENCY_ACCREDITATION,
  type TExamSlot,
  ZExamPlan,
} from './exam-plan.js';

const slot = (plan: typeof KAZNMU_RESIDENCY_EXAMS, id: string): TExamSlot => {
  const found = plan.slots.find((s) => s.id === id);
  if (!found) throw new Error(`no slot ${id}`);
  return found;
};
const accreditation = slot(RUSSIAN_RESIDENCY_ACCREDITATION, 'accreditation');
const optionIds = (group: 'foreign' | 'local') =>
  examsFor(KAZNMU_RESIDENCY_EXAMS, group).map((e) => [e.slotId, e.kind, e.options.map((o) => o.id)]);

describe('examsFor', () => {
  it('S2-5: a local applicant chooses English, French or German, then sits the specialty', () => {
    expect(optionIds('local')).toEqual([
      ['language', 'language', ['en', 'fr', 'de']],
      ['specialty', 'specialty', ['specialty']],
    ]);
  });

  it('S2-5: a foreign citizen takes Kazakh or Russian, the language of instruction, instead', () => {
    expect(optionIds('foreign')).toEqual([
      ['language', 'language', ['kk', 'ru']],
      ['specialty', 'specialty', ['specialty']],
    ]);
    expect(examsFor(KAZNMU_RESIDENCY_EXAMS, 'foreign')[0]?.options[1]?.title).toEqual({
      en: 'Russian',
      ru: 'Русский язык',
    });
  });

  it('S0-5: Russian residency is one initial accreditation test, the same for everyone', () => {
    expect(examsFor(RUSSIAN_RESIDENCY_ACCREDITATION, 'foreign')).toEqual(
      examsFor(RUSSIAN_RESIDENCY_ACCREDITATION, 'local'),
    );
    expect(accreditation).toMatchObject({ kind: 'accreditation', maxScore: 100, passPercent: 70, retakes: 2 });
  });

  it("S2-5: the KazNMU pass mark is marked as an officer's setting, not the source's", () => {
    expect(KAZNMU_RESIDENCY_EXAMS.slots.map((s) => [s.maxScore, s.passPercent, s.retakes])).toEqual([
      [100, 50, 0],
      [100, 50, 0],
    ]);
    expect(KAZNMU_RESIDENCY_EXAMS.source).toMatch(/not stated by the source.*officer's setting/);
  });
});

describe('ZExamPlan', () => {
  it('refuses duplicate slot and option ids and a pass mark above 100 %', () => {
    const plan = structuredClone(KAZNMU_RESIDENCY_EXAMS);
    const [language, specialty] = plan.slots as [TExamSlot, TExamSlot];
    specialty.id = 'language';
    language.options.local.push({ id: 'en', title: { en: 'English', ru: 'Английский' } });
    language.passPercent = 101;
    const paths = ZExamPlan.safeParse(plan).error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['slots.0.options.local.3.id', 'slots.0.passPercent']));
    // The slot-id rule runs once the slots themselves are valid.
    language.options.local.pop();
    language.passPercent = 50;
    expect(ZExamPlan.safeParse(plan).error?.issues.map((i) => i.path.join('.'))).toEqual(['slots.1.id']);
  });
});

describe('examOutcome', () => {
  it('S0-5: passes the accreditation test at exactly 70 %', () => {
    expect(examOutcome({ status: 'sat', score: 70 }, accreditation)).toEqual({ outcome: 'passed', percent: 70 });
    expect(examOutcome({ status: 'sat', score: 69.99 }, accreditation)).toEqual({ outcome: 'failed', percent: 69.99 });
    expect(examOutcome({ status: 'sat', score: 100 }, accreditation).outcome).toBe('passed');
  });

  it('compares against the maximum when it is not 100, without rounding up to a pass', () => {
    const outOf60 = { ...accreditation, maxScore: 60 };
    expect(examOutcome({ status: 'sat', score: 42 }, outOf60)).toEqual({ outcome: 'passed', percent: 70 });
    const outOf3 = { ...accreditation, maxScore: 3, passPercent: 66.67 };
    expect(examOutcome({ status: 'sat', score: 2 }, outOf3)).toEqual({ outcome: 'failed', percent: 66.67 });
  });

  it('S2-5: an absent applicant has no percentage', () => {
    expect(examOutcome({ status: 'absent' }, slot(KAZNMU_RESIDENCY_EXAMS, 'language'))).toEqual({
      outcome: 'absent',
      percent: null,
    });
    expect(examOutcome({ status: 'sat', score: 0 }, slot(KAZNMU_RESIDENCY_EXAMS, 'language')).outcome).toBe('failed');
  });

  it('throws a RangeError for a score outside [0, maxScore]', () => {
    expect(() => examOutcome({ status: 'sat', score: -1 }, accreditation)).toThrow(RangeError);
    expect(() => examOutcome({ status: 'sat', score: 100.5 }, accreditation)).toThrow(RangeError);
    expect(() => examOutcome({ status: 'sat', score: Number.NaN }, accreditation)).toThrow(RangeError);
  });
});

describe('canRetake', () => {
  it('S0-5: two retakes after a failed accreditation test, then no more', () => {
    expect([0, 1, 2, 3, 4].map((attempts) => canRetake(attempts, accreditation))).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
  });

  it('S2-5: no retakes when the plan allows none', () => {
    expect(canRetake(1, slot(KAZNMU_RESIDENCY_EXAMS, 'specialty'))).toBe(false);
  });

  it('refuses a negative or fractional number of attempts', () => {
    expect(() => canRetake(-1, accreditation)).toThrow(RangeError);
    expect(() => canRetake(1.5, accreditation)).toThrow(RangeError);
  });
});
