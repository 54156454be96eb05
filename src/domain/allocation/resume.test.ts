/**
 * The re-runs after reversion resume from a checkpoint of the previous run instead of starting over.
 * These properties compare the engine with a from-scratch reference (the plain reversion loop over
 * independent from-scratch runs) on many random instances with chains of reversions, down to the
 * proposal count and the number of rounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateInstance, deferredAcceptance, reversionOrder } from './deferred-acceptance.js';
import { type Instance, rankApplications } from './instance.js';

function fromScratch(inst: Instance) {
  const ranking = rankApplications(inst);
  const capacity = inst.capacity.slice();
  const topo = reversionOrder(inst.revertsTo);
  let proposals = 0;
  let rounds = 0;
  for (;;) {
    const state = deferredAcceptance(inst, ranking, capacity);
    proposals += state.proposals;
    rounds++;
    let rerun = false;
    for (const c of topo) {
      const t = inst.revertsTo[c] as number;
      if (t < 0) continue;
      if ((state.received[c] as number) > (state.size[c] as number)) continue;
      const free = (capacity[c] as number) - (state.size[c] as number);
      if (free <= 0) continue;
      capacity[c] = state.size[c] as number;
      capacity[t] = (capacity[t] as number) + free;
      if ((state.received[t] as number) > (state.size[t] as number)) rerun = true;
    }
    if (!rerun) return { state, capacity, proposals, rounds };
  }
}

/** Random instances: few competitions, tight capacities, long forward reversion chains, many ties. */
const instanceArb = fc
  .record({
    C: fc.integer({ min: 2, max: 8 }),
    A: fc.integer({ min: 10, max: 120 }),
    seed: fc.integer(),
    maxCap: fc.integer({ min: 1, max: 12 }),
    chainProb: fc.double({ min: 0.3, max: 1, noNaN: true }),
    maxScore: fc.integer({ min: 0, max: 3 }),
    width: fc.integer({ min: 1, max: 2 }),
    lotteryPerApplication: fc.boolean(),
  })
  .map(({ C, A, seed, maxCap, chainProb, maxScore, width, lotteryPerApplication }): Instance => {
    let s = seed >>> 0 || 1;
    const rnd = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    const capacity = new Int32Array(C);
    for (let c = 0; c < C; c++) capacity[c] = Math.floor(rnd() * (maxCap + 1));
    const revertsTo = new Int32Array(C).fill(-1);
    for (let c = 0; c + 1 < C; c++) if (rnd() < chainProb) revertsTo[c] = c + 1 + Math.floor(rnd() * (C - c - 1));
    const appStart = new Int32Array(A + 1);
    const comps: number[] = [];
    const scores: number[] = [];
    const lottery: number[] = [];
    for (let a = 0; a < A; a++) {
      const len = Math.floor(rnd() * (C + 1));
      const own = Math.floor(rnd() * 4);
      const seen = new Set<number>();
      for (let k = 0; k < len; k++) {
        // Skewed towards the last competitions, which the others revert to.
        let c: number;
        do {
          const u = rnd();
          c = C - 1 - Math.floor(u * u * C);
        } while (seen.has(c));
        seen.add(c);
        comps.push(c);
        for (let w = 0; w < width; w++) scores.push(Math.floor(rnd() * (maxScore + 1)));
        lottery.push(lotteryPerApplication ? Math.floor(rnd() * 4) : own);
      }
      appStart[a + 1] = comps.length;
    }
    return {
      applicantCount: A,
      competitionCount: C,
      capacity,
      revertsTo,
      appStart,
      appCompetition: Int32Array.from(comps),
      scoreWidth: width,
      scores: Float64Array.from(scores),
      lottery: Float64Array.from(lottery),
    };
  });

describe('reversion re-runs resume from checkpoints', () => {
  it('give exactly the from-scratch result: assignment, capacities, sizes, proposals, rounds', () => {
    let resumed = 0;
    fc.assert(
      fc.property(instanceArb, (inst) => {
        const got = allocateInstance(inst);
        const want = fromScratch(inst);
        expect(Array.from(got.state.assigned)).toEqual(Array.from(want.state.assigned));
        expect(Array.from(got.capacity)).toEqual(Array.from(want.capacity));
        expect(Array.from(got.state.size)).toEqual(Array.from(want.state.size));
        expect(Array.from(got.state.received)).toEqual(Array.from(want.state.received));
        expect(Array.from(got.state.weakest)).toEqual(Array.from(want.state.weakest));
        expect(got.proposals).toBe(want.proposals);
        expect(got.rounds).toBe(want.rounds);
        if (got.rounds > 2) resumed++;
      }),
      { numRuns: 3000 },
    );
    // The generator does reach chains of reversions (more than one re-run).
    expect(resumed).toBeGreaterThan(30);
  });
});
