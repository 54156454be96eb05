/**
 * The ranking's helper thread fails safely: a failed step is redone on this thread (or, for the sort,
 * which works in place, fails the ranking), and later rankings stay on this thread. Compared with
 * the one-thread ranking of the same instance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { oneColumnInstance } from '../../../test/helpers/allocation-instances.js';
import {
  failRankHelperStep,
  processingOrder,
  rankApplications,
  rankForAllocation,
  rankHelperWorking,
  restartRankHelper,
} from './instance.js';

/** 3,000 applicants × 4 choices over 40 competitions, integer scores, reversions (rows reordered). */
const inst = oneColumnInstance({
  applicants: 3000,
  competitions: 40,
  choices: 4,
  seed: 7,
  choice: (rnd) => Math.floor(rnd() * rnd() * 40),
  score: (rnd) => Math.floor(rnd() * 101),
  lottery: (a) => a + 1,
  capacity: (_, rnd) => 20 + Math.floor(rnd() * 80),
  revertsTo: (c) => (c % 3 === 0 && c + 1 < 40 ? c + 1 : -1),
});
const serial = rankApplications(inst, { rows: processingOrder(inst), parallelMin: Number.POSITIVE_INFINITY });
const same = (r: ReturnType<typeof rankApplications>) => {
  expect([...r.byComp]).toEqual([...serial.byComp]);
  expect([...r.table]).toEqual([...serial.table]);
  expect([...r.rows.order]).toEqual([...serial.rows.order]);
};

describe('the ranking helper thread', () => {
  afterAll(() => restartRankHelper());

  it('ranks like one thread when it works', () => {
    restartRankHelper();
    same(rankForAllocation(inst, { parallelMin: 0 }));
    expect(rankHelperWorking()).toBe(true);
  });

  for (const step of ['numbering', 'scatter'] as const) {
    it(`redoes a failed ${step} on this thread, and stays on it afterwards`, () => {
      restartRankHelper();
      failRankHelperStep(step);
      same(rankForAllocation(inst, { parallelMin: 0 }));
      expect(rankHelperWorking()).toBe(false);
      same(rankForAllocation(inst, { parallelMin: 0 }));
    });
  }

  it('redoes the scatter on this thread when the helper thread ends in the middle of it', () => {
    restartRankHelper();
    failRankHelperStep('scatter-exit');
    same(rankForAllocation(inst, { parallelMin: 0 }));
    expect(rankHelperWorking()).toBe(false);
  });

  it('fails the ranking when the helper fails its sort (done in place, it cannot be redone)', () => {
    restartRankHelper();
    failRankHelperStep('sort');
    expect(() => rankForAllocation(inst, { parallelMin: 0 })).toThrow(/failed to sort/);
    expect(rankHelperWorking()).toBe(false);
    same(rankForAllocation(inst, { parallelMin: 0 }));
  });
});
