/**
 * The ranking's helper thread fails safely: a failed step is redone on this thread (or, for the sort,
 * which works in place, fails the ranking), and later rankings stay on this thread. Compared with
 * the one-thread ranking of the same instance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  failRankHelperStep,
  type Instance,
  mulberry32,
  processingOrder,
  rankApplications,
  rankForAllocation,
  rankHelperWorking,
  restartRankHelper,
} from './instance.js';

/** 3,000 applicants × 4 choices over 40 competitions, integer scores, reversions (rows reordered). */
function instance(): Instance {
  const rnd = mulberry32(7);
  const A = 3000;
  const C = 40;
  const appStart = new Int32Array(A + 1);
  const comps: number[] = [];
  const scores: number[] = [];
  const lottery: number[] = [];
  for (let a = 0; a < A; a++) {
    const seen = new Set<number>();
    while (seen.size < 4) seen.add(Math.floor(rnd() * rnd() * C));
    for (const c of seen) {
      comps.push(c);
      scores.push(Math.floor(rnd() * 101));
      lottery.push(a + 1);
    }
    appStart[a + 1] = comps.length;
  }
  return {
    applicantCount: A,
    competitionCount: C,
    capacity: Int32Array.from({ length: C }, () => 20 + Math.floor(rnd() * 80)),
    revertsTo: Int32Array.from({ length: C }, (_, c) => (c % 3 === 0 && c + 1 < C ? c + 1 : -1)),
    appStart,
    appCompetition: Int32Array.from(comps),
    scoreWidth: 1,
    scores: Float64Array.from(scores),
    lottery: Float64Array.from(lottery),
  };
}

const inst = instance();
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
