import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateRanked } from '../allocation/deferred-acceptance.js';
import type { AllocationInput } from '../allocation/types.js';
import { type ListApplication, rankedOrder, rankedOrderFrom } from './ranked-lists.js';

// The ranked lists of a run reuse the engine's ranking (rankedOrderFrom); they must be in exactly the
// order a full sort gives (rankedOrder, which buildRankedLists uses), whatever mix of ineligible
// applicants and applicants holding a confirmed seat (both outside the engine) the run has.
describe('ranked lists from the engine ranking', () => {
  const instance = fc.record({
    competitions: fc.integer({ min: 1, max: 6 }),
    applicants: fc.array(
      fc.record({
        choices: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }),
        score: fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 })),
        lottery: fc.integer({ min: 1, max: 6 }),
        // 'fixed': holds a confirmed seat, so outside the engine while eligible.
        kind: fc.constantFrom('engine', 'engine', 'engine', 'ineligible', 'fixed'),
      }),
      { maxLength: 40 },
    ),
    seats: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 6, maxLength: 6 }),
  });

  it('equals the fully sorted lists', () => {
    fc.assert(
      fc.property(instance, ({ competitions, applicants, seats }) => {
        const comp = (k: number) => `C${k % competitions}`;
        const list: ListApplication[] = [];
        const listIndexOf: number[] = [];
        const input: AllocationInput = {
          competitions: Array.from({ length: competitions }, (_, c) => ({ id: `C${c}`, capacity: seats[c] ?? 0 })),
          applications: [],
        };
        applicants.forEach((a, i) => {
          const id = `A${String(i).padStart(3, '0')}`;
          const choices = [...new Set(a.choices.map(comp))];
          choices.forEach((competitionId, k) => {
            const eligible = a.kind !== 'ineligible';
            list.push({
              applicantId: id,
              competitionId,
              priority: k + 1,
              score: eligible ? [...a.score] : [],
              lottery: a.lottery,
              eligible,
              reason: eligible ? null : 'exam_failed',
            });
            if (a.kind === 'engine') {
              listIndexOf.push(list.length - 1);
              input.applications.push({
                applicant: id,
                competition: competitionId,
                priority: k + 1,
                score: [...a.score],
                lottery: a.lottery,
              });
            }
          });
        });
        const { ranked } = allocateRanked(input);
        const order = new Map([...ranked].map(([c, idx]) => [c, Array.from(idx, (k) => listIndexOf[k] as number)]));
        const expected = rankedOrder(list);
        const actual = rankedOrderFrom(list, order);
        expect(new Set(actual.keys())).toEqual(new Set(expected.keys()));
        for (const [competitionId, indices] of expected) expect(actual.get(competitionId)).toEqual(indices);
      }),
      { numRuns: 300 },
    );
  });
});
