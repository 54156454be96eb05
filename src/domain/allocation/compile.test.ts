/** `compileColumns` (input already in engine order, as columns) against `compile` of the same input as objects. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateCompiled, allocateRanked } from './deferred-acceptance.js';
import { type Columns, compile, compileColumns } from './instance.js';
import type { AllocationInput } from './types.js';

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** Random input in engine order: sorted distinct applicant ids, each list by increasing priority. */
const orderedInput = fc
  .record({
    C: fc.integer({ min: 1, max: 8 }),
    lists: fc.array(fc.array(fc.nat(7), { minLength: 1, maxLength: 5 }), { maxLength: 40 }),
    width: fc.integer({ min: 1, max: 2 }),
    seed: fc.integer(),
  })
  .map(({ C, lists, width, seed }) => {
    let s = seed >>> 0 || 1;
    const rnd = () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return s / 4294967296;
    };
    const competitions: AllocationInput['competitions'] = Array.from({ length: C }, (_, c) => ({
      id: `c${String.fromCharCode(97 + ((c * 5) % 26))}${c}`,
      capacity: Math.floor(rnd() * 4),
      ...(c + 1 < C && rnd() < 0.3 ? { revertsTo: `c${String.fromCharCode(97 + (((c + 1) * 5) % 26))}${c + 1}` } : {}),
    }));
    const ids = lists.map((_, a) => `app-${String(a * 7919).padStart(6, '0')}`).sort(cmp);
    const applications: AllocationInput['applications'] = [];
    ids.forEach((applicant, a) => {
      const seen = new Set<number>();
      let priority = 0;
      for (const x of lists[a] as number[]) {
        const c = x % C;
        if (seen.has(c)) continue;
        seen.add(c);
        priority += 1 + Math.floor(rnd() * 2);
        applications.push({
          applicant,
          competition: (competitions[c] as { id: string }).id,
          priority,
          score: Array.from({ length: width }, () => Math.floor(rnd() * 4)),
          lottery: a + 1,
        });
      }
    });
    return { competitions, applications } as AllocationInput;
  });

const columnsOf = (input: AllocationInput): Columns => {
  const applicantIds: string[] = [];
  const starts = [0];
  input.applications.forEach((app, k) => {
    if (applicantIds[applicantIds.length - 1] !== app.applicant) {
      if (k > 0) starts.push(k);
      applicantIds.push(app.applicant);
    }
  });
  if (input.applications.length) starts.push(input.applications.length);
  return {
    competitions: input.competitions,
    applicantIds,
    appStart: Int32Array.from(starts),
    competition: input.applications.map((a) => a.competition),
    priority: input.applications.map((a) => a.priority),
    score: input.applications.map((a) => a.score),
    lottery: input.applications.map((a) => a.lottery as number),
  };
};

describe('compileColumns', () => {
  it('compiles input in engine order to the same instance as compile, and allocates the same', () => {
    fc.assert(
      fc.property(orderedInput, (input) => {
        const columns = compileColumns(columnsOf(input));
        expect(columns).not.toBeNull();
        expect(columns).toEqual(compile(input));
        const direct = allocateCompiled(columns as NonNullable<typeof columns>, input.applications.length);
        const viaObjects = allocateRanked(input);
        const { ms: _a, ...directStats } = direct.result.stats;
        const { ms: _b, ...objectStats } = viaObjects.result.stats;
        expect({ ...direct.result, stats: directStats }).toEqual({ ...viaObjects.result, stats: objectStats });
        expect(direct.ranked).toEqual(viaObjects.ranked);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses columns out of engine order (then the caller compiles objects)', () => {
    const base: Columns = {
      competitions: [{ id: 'c1', capacity: 1 }],
      applicantIds: ['a', 'b'],
      appStart: Int32Array.from([0, 1, 2]),
      competition: ['c1', 'c1'],
      priority: [1, 1],
      score: [[1], [2]],
      lottery: [1, 2],
    };
    expect(compileColumns(base)).not.toBeNull();
    expect(compileColumns({ ...base, applicantIds: ['b', 'a'] })).toBeNull();
    expect(compileColumns({ ...base, applicantIds: ['a', 'a'] })).toBeNull();
    expect(compileColumns({ ...base, appStart: Int32Array.from([0, 2, 2]) })).toBeNull();
    expect(
      compileColumns({ ...base, applicantIds: ['a'], appStart: Int32Array.from([0, 2]), priority: [2, 1] }),
    ).toBeNull();
    expect(compileColumns({ ...base, lottery: [1, Number.NaN] })).toBeNull();
  });
});
