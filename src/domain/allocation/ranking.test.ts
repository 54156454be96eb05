/** `rankApplications` against a direct comparator sort, on random instances of every shape. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oneColumnInstance } from '../../../test/helpers/allocation-instances.js';
import {
  applicationOfRow,
  type Instance,
  processingOrder,
  type Ranking,
  type Rows,
  rankApplications,
  rankForAllocation,
  rankHelperHalvesDone,
} from './instance.js';

/** A random numbering of the rows: the applicants in a seeded random order. */
const shuffledRows = (inst: Instance, seed: number): Rows => {
  const A = inst.applicantCount;
  const order = Int32Array.from({ length: A }, (_, a) => a);
  let s = seed >>> 0 || 1;
  for (let i = A - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const entryRows = new Int32Array(A + 1);
  const rowStart = new Int32Array(A);
  order.forEach((a, i) => {
    rowStart[a] = entryRows[i] as number;
    entryRows[i + 1] = (entryRows[i] as number) + (inst.appStart[a + 1] as number) - (inst.appStart[a] as number);
  });
  return { order, entryRows, rowStart };
};

const instanceOf = (C: fc.Arbitrary<number>) =>
  fc
    .record({
      C,
      A: fc.integer({ min: 0, max: 80 }),
      seed: fc.integer(),
      width: fc.integer({ min: 0, max: 2 }),
      scoreRange: fc.constantFrom(1, 3, 101, 5000, 1e6),
      fractional: fc.boolean(),
      lotteryPerApplication: fc.boolean(),
    })
    .map(({ C, A, seed, width, scoreRange, fractional, lotteryPerApplication }): Instance => {
      let s = seed >>> 0 || 1;
      const rnd = () => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return s / 4294967296;
      };
      const appStart = new Int32Array(A + 1);
      const comps: number[] = [];
      const scores: number[] = [];
      const lottery: number[] = [];
      for (let a = 0; a < A; a++) {
        const own = Math.floor(rnd() * 5);
        const len = Math.floor(rnd() * (C + 1));
        const seen = new Set<number>();
        for (let k = 0; k < len; k++) {
          const c = Math.floor(rnd() * C);
          if (seen.has(c)) continue;
          seen.add(c);
          comps.push(c);
          for (let w = 0; w < width; w++) {
            const v = Math.floor(rnd() * scoreRange);
            scores.push(fractional ? v / 4 : v);
          }
          lottery.push(lotteryPerApplication ? Math.floor(rnd() * 5) : own);
        }
        appStart[a + 1] = comps.length;
      }
      return {
        applicantCount: A,
        competitionCount: C,
        capacity: new Int32Array(C),
        revertsTo: new Int32Array(C).fill(-1),
        appStart,
        appCompetition: Int32Array.from(comps),
        scoreWidth: width,
        scores: Float64Array.from(scores),
        lottery: Float64Array.from(lottery),
      };
    });

const instanceArb = instanceOf(fc.integer({ min: 1, max: 6 }));
/** More than 64 competitions: the ranking scatters by groups of competitions. */
const manyCompetitionsArb = instanceOf(fc.integer({ min: 65, max: 90 }));

/** Checks a ranking of `inst` (by default `rankApplications(inst)`) against the comparator sort. */
const ranksLikeTheComparator = (inst: Instance, rank: (inst: Instance) => Ranking = (i) => rankApplications(i)) => {
  const n = inst.appCompetition.length;
  const W = inst.scoreWidth;
  const applicant = new Int32Array(n);
  for (let a = 0; a < inst.applicantCount; a++)
    for (let p = inst.appStart[a] as number; p < (inst.appStart[a + 1] as number); p++) applicant[p] = a;
  const cmp = (x: number, y: number) => {
    for (let j = 0; j < W; j++) {
      const d = (inst.scores[y * W + j] as number) - (inst.scores[x * W + j] as number);
      if (d !== 0) return d;
    }
    const l = (inst.lottery[x] as number) - (inst.lottery[y] as number);
    if (l !== 0) return l;
    return (applicant[x] as number) - (applicant[y] as number) || x - y;
  };
  const r = rank(inst);
  const app = applicationOfRow(inst, r);
  // The rows' numbering: each applicant's applications together, in priority order.
  const { order, entryRows, rowStart } = r.rows;
  expect([...order].sort((x, y) => x - y)).toEqual([...Array(inst.applicantCount).keys()]);
  order.forEach((a, i) => {
    expect(entryRows[i]).toBe(rowStart[a]);
    expect((entryRows[i + 1] as number) - (entryRows[i] as number)).toBe(
      (inst.appStart[a + 1] as number) - (inst.appStart[a] as number),
    );
  });
  const byComp: number[][] = Array.from({ length: inst.competitionCount }, () => []);
  for (let p = 0; p < n; p++) byComp[inst.appCompetition[p] as number]?.push(p);
  for (let c = 0; c < inst.competitionCount; c++) {
    const want = (byComp[c] as number[]).sort(cmp);
    const rows = Array.from(r.byComp.subarray(r.compStart[c], r.compStart[c + 1]));
    expect(rows.map((row) => app[row])).toEqual(want);
    rows.forEach((row, i) => {
      const p = app[row] as number;
      const last = p === (inst.appStart[(applicant[p] as number) + 1] as number) - 1;
      expect(row).toBe(
        (rowStart[applicant[p] as number] as number) + p - (inst.appStart[applicant[p] as number] as number),
      );
      expect(r.table[2 * row]).toBe(last ? ~c : c);
      expect(r.table[2 * row + 1]).toBe((r.compStart[c] as number) + i);
    });
  }
};

// Property tests of a few thousand rankings: generous timeouts for a loaded CI machine.
describe('rankApplications', { timeout: 60_000 }, () => {
  it('orders each competition by score (higher first), lottery (lower first), applicant index', () => {
    fc.assert(
      fc.property(instanceArb, (inst) => ranksLikeTheComparator(inst)),
      { numRuns: 1500 },
    );
  });

  it('does the same over more than 64 competitions', () => {
    fc.assert(
      fc.property(manyCompetitionsArb, (inst) => ranksLikeTheComparator(inst)),
      { numRuns: 150 },
    );
  });

  it('does the same over more than 16,384 competitions (a competition index within its group takes 16 bits)', () => {
    for (const seed of [1, 2, 3]) {
      const C = 20_000;
      const inst = oneColumnInstance({
        applicants: 400,
        competitions: C,
        choices: 5,
        seed,
        // Choices spread over the whole range, and a few crowded ones (same group, different low bits).
        choice: (rnd) => (rnd() < 0.5 ? Math.floor(rnd() * C) : 16_384 + 256 * Math.floor(rnd() * 8)),
        score: (rnd) => Math.floor(rnd() * 5),
        lottery: (a) => 400 - a,
        capacity: () => 1,
        revertsTo: () => -1,
      });
      ranksLikeTheComparator(inst);
      ranksLikeTheComparator(inst, (i) => rankApplications(i, { parallelMin: 0 }));
    }
  });

  it('does the same in any numbering of the rows', () => {
    fc.assert(
      fc.property(instanceArb, fc.integer(), (inst, seed) =>
        ranksLikeTheComparator(inst, (i) => rankApplications(i, { rows: shuffledRows(i, seed) })),
      ),
      { numRuns: 500 },
    );
  });

  it('does the same on two threads (the helper thread numbers the rows, scatters and sorts its halves)', () => {
    const parallel = (plain: Instance, seed: number) => {
      // Capacities and reversions, so that the processing order is not the index order.
      let s = seed >>> 0 || 1;
      const rnd = () => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return s / 4294967296;
      };
      const C = plain.competitionCount;
      const inst: Instance = {
        ...plain,
        capacity: Int32Array.from({ length: C }, () => Math.floor(rnd() * 6)),
        revertsTo: Int32Array.from({ length: C }, (_, c) => (c + 1 < C && rnd() < 0.5 ? c + 1 : -1)),
      };
      ranksLikeTheComparator(inst, (i) => rankApplications(i, { parallelMin: 0 }));
      ranksLikeTheComparator(inst, (i) => {
        const r = rankForAllocation(i, { parallelMin: 0 });
        // The helper's numbering is the processing order's.
        const serial = processingOrder(i);
        expect([...r.rows.order]).toEqual([...serial.order]);
        expect([...r.rows.entryRows]).toEqual([...serial.entryRows]);
        if (serial.order.some((a, i) => a !== i)) reordered++;
        return r;
      });
    };
    let reordered = 0;
    const before = rankHelperHalvesDone();
    fc.assert(fc.property(instanceArb, fc.integer(), parallel), { numRuns: 200 });
    fc.assert(fc.property(manyCompetitionsArb, fc.integer(), parallel), { numRuns: 60 });
    // Not a silent fallback to one thread: the helper did its halves (scatter and sort) of the runs
    // that take this path (one score column with a narrow range, one lottery number per applicant).
    expect(rankHelperHalvesDone() - before).toBeGreaterThan(200);
    // And the processing order was not the index order in many of them.
    expect(reordered).toBeGreaterThan(50);
  });
});
