import { describe, expect, it } from 'vitest';
import { drawLottery } from './lottery.js';
import { buildRankedLists, type ListApplication } from './ranked-lists.js';
import { addWorkingDays, enrollmentSettings, needsVisa } from './settings.js';

describe('lottery (single tie-breaking, drawn once)', () => {
  const ids = Array.from({ length: 500 }, (_, i) => `applicant-${i}`);
  it('is reproducible from the seed and independent of the input order', () => {
    const a = drawLottery('seed-1', ids, 1);
    const b = drawLottery('seed-1', [...ids].reverse(), 1);
    expect(b).toEqual(a);
    expect(new Set(a.map((d) => d.lottery)).size).toBe(500);
    expect(a.map((d) => d.lottery).sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  });
  it('gives another permutation for another seed, and unique readable codes', () => {
    const a = drawLottery('seed-1', ids, 1);
    const c = drawLottery('seed-2', ids, 1);
    expect(c.map((d) => d.applicantId)).not.toEqual(a.map((d) => d.applicantId));
    expect(new Set(a.map((d) => d.code)).size).toBe(500);
    for (const d of a) expect(d.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4,}$/);
  });
  it('continues numbering for a later batch and avoids codes already taken', () => {
    const first = drawLottery('s', ['a', 'b'], 1);
    const taken = new Set(first.map((d) => d.code));
    const clash = drawLottery('s', ['a'], 3, taken);
    expect(clash[0]?.lottery).toBe(3);
    expect(taken.has(clash[0]?.code as string)).toBe(false);
  });
});

describe('ranked lists', () => {
  const app = (
    applicantId: string,
    competitionId: string,
    priority: number,
    score: number[],
    lottery: number,
    eligible = true,
  ): ListApplication => ({
    applicantId,
    competitionId,
    priority,
    score,
    lottery,
    eligible,
    reason: eligible ? null : 'exam_failed',
  });
  it('orders by score tuple, then lottery, puts the ineligible last, and gives each state', () => {
    const lists = buildRankedLists(
      [
        app('A', 'X', 1, [240, 85], 7),
        app('B', 'X', 1, [245, 80], 9),
        app('C', 'X', 2, [240, 85], 3),
        app('D', 'X', 1, [250, 90], 1, false),
        app('C', 'Y', 1, [240, 85], 3),
        app('E', 'X', 2, [200, 10], 5),
      ],
      new Map([
        ['B', { competitionId: 'X', priority: 1, fixed: false }],
        ['C', { competitionId: 'Y', priority: 1, fixed: false }],
        ['E', { competitionId: 'Z', priority: 1, fixed: true }],
      ]),
    );
    const x = lists.get('X') ?? [];
    expect(x.map((e) => [e.position, e.applicantId, e.state])).toEqual([
      [1, 'B', 'admitted'],
      [2, 'C', 'admitted_higher'],
      [3, 'A', 'waiting'],
      [4, 'E', 'admitted_higher'],
      [5, 'D', 'not_admitted'],
    ]);
    expect(x[4]?.reason).toBe('exam_failed');
    expect(lists.get('Y')?.[0]?.state).toBe('admitted');
  });
  it('marks a confirmed seat and the higher choices a confirmed applicant gave up', () => {
    const lists = buildRankedLists(
      [app('A', 'X', 1, [1], 1), app('A', 'Y', 2, [1], 1)],
      new Map([['A', { competitionId: 'Y', priority: 2, fixed: true }]]),
    );
    expect(lists.get('Y')?.[0]?.state).toBe('confirmed');
    expect(lists.get('X')?.[0]).toMatchObject({ state: 'not_admitted', reason: 'confirmed_elsewhere' });
  });
});

describe('enrollment settings (S4-14)', () => {
  const s = enrollmentSettings(undefined);
  it('needs a visa for far-abroad countries and Turkmenistan, not for visa-free neighbours', () => {
    expect(needsVisa('TM', s)).toBe(true);
    expect(needsVisa('IN', s)).toBe(true);
    expect(needsVisa('eg', s)).toBe(true);
    expect(needsVisa('KZ', s)).toBe(false);
    expect(needsVisa('UZ', s)).toBe(false);
    expect(needsVisa(null, s)).toBe(true);
  });
  it('is data: an officer can change the list', () => {
    const custom = enrollmentSettings({ visaFreeCountries: ['TM'] });
    expect(needsVisa('TM', custom)).toBe(false);
    expect(() => enrollmentSettings({ visaFreeCountries: ['Turkmenistan'] })).toThrow();
  });
  it('counts working days, skipping weekends', () => {
    // Friday 2026-08-28 + 1 working day = Monday 2026-08-31; + 7 = Tuesday 2026-09-08.
    const friday = new Date('2026-08-28T10:00:00Z');
    expect(addWorkingDays(friday, 1).toISOString()).toBe('2026-08-31T10:00:00.000Z');
    expect(addWorkingDays(friday, 7).toISOString()).toBe('2026-09-08T10:00:00.000Z');
  });
});
