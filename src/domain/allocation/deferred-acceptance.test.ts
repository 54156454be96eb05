import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAllocation } from './check.js';
import { allocate } from './deferred-acceptance.js';
import { explain } from './explain.js';
import type { AllocationInput, AllocationResult, ApplicationInput } from './types.js';
import { validate } from './validate.js';

// ---------- generators ----------

interface GenOptions {
  maxApplicants: number;
  maxCompetitions: number;
  maxCapacity: number;
  reversion: boolean;
}

function instanceArb(o: GenOptions): fc.Arbitrary<AllocationInput> {
  return fc
    .record({
      caps: fc.array(fc.integer({ min: 0, max: o.maxCapacity }), { minLength: 1, maxLength: o.maxCompetitions }),
      reverts: fc.array(fc.integer({ min: -1, max: o.maxCompetitions }), { maxLength: o.maxCompetitions }),
      widths: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: o.maxCompetitions, maxLength: o.maxCompetitions }),
      applicants: fc.array(
        fc.record({
          prefs: fc.array(fc.nat(), { maxLength: o.maxCompetitions }),
          scores: fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 2, maxLength: 2 }), {
            minLength: o.maxCompetitions,
            maxLength: o.maxCompetitions,
          }),
          lottery: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        }),
        { minLength: 1, maxLength: o.maxApplicants },
      ),
    })
    .map(({ caps, reverts, widths, applicants }) => {
      const C = caps.length;
      const competitions = caps.map((capacity, i) => {
        const t = reverts[i] ?? -1;
        // Only forward reversion (i → t > i) keeps it acyclic.
        return o.reversion && t > i && t < C
          ? { id: `C${i}`, capacity, revertsTo: `C${t}` }
          : { id: `C${i}`, capacity };
      });
      const applications: ApplicationInput[] = [];
      applicants.forEach((a, k) => {
        const seen = new Set<number>();
        let priority = 0;
        for (const p of a.prefs) {
          const c = p % C;
          if (seen.has(c)) continue;
          seen.add(c);
          const score = (a.scores[c] ?? [0, 0]).slice(0, widths[c] ?? 1);
          const app: ApplicationInput = { applicant: `A${k}`, competition: `C${c}`, priority: ++priority, score };
          if (a.lottery !== undefined) app.lottery = a.lottery;
          applications.push(app);
        }
      });
      return { competitions, applications };
    });
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const outcome = (r: AllocationResult) => ({
  assignments: r.assignments,
  unassigned: r.unassigned,
  cutoffs: r.cutoffs,
  capacities: r.capacities,
  drawn: r.drawn,
});

// ---------- brute force (independent of the engine and the checker) ----------

/** Full-tie order used by the engine: score desc, lottery asc, applicant id asc. Negative: x better. */
function better(x: ApplicationInput, lx: number, y: ApplicationInput, ly: number): number {
  for (let i = 0; i < x.score.length; i++) {
    if (x.score[i] !== y.score[i]) return (x.score[i] as number) > (y.score[i] as number) ? -1 : 1;
  }
  if (lx !== ly) return lx < ly ? -1 : 1;
  return x.applicant < y.applicant ? -1 : 1;
}

/** All stable matchings by enumeration; returns the applicant-optimal one (competition per applicant or null). */
function bruteForceOptimal(input: AllocationInput, drawn: Record<string, number>): Map<string, string | null> {
  const applicants = [...new Set(input.applications.map((a) => a.applicant))].sort();
  const lists = applicants.map((a) =>
    input.applications.filter((x) => x.applicant === a).sort((x, y) => x.priority - y.priority),
  );
  const lot = (app: ApplicationInput) => drawn[app.applicant] ?? app.lottery ?? 0;
  const cap = new Map(input.competitions.map((c) => [c.id, c.capacity]));
  const stable: number[][] = []; // index into list, or list.length for unassigned
  const choice = applicants.map(() => 0);
  const rec = (k: number) => {
    if (k === applicants.length) {
      const members = new Map<string, ApplicationInput[]>();
      choice.forEach((ch, i) => {
        const app = lists[i]?.[ch];
        if (app) members.set(app.competition, [...(members.get(app.competition) ?? []), app]);
      });
      for (const [c, ms] of members) if (ms.length > (cap.get(c) ?? 0)) return;
      for (let i = 0; i < applicants.length; i++) {
        const list = lists[i] as ApplicationInput[];
        for (let j = 0; j < (choice[i] as number); j++) {
          const want = list[j] as ApplicationInput;
          const ms = members.get(want.competition) ?? [];
          if (ms.length < (cap.get(want.competition) ?? 0)) return;
          if (ms.some((m) => better(want, lot(want), m, lot(m)) < 0)) return;
        }
      }
      stable.push([...choice]);
      return;
    }
    for (let ch = 0; ch <= (lists[k]?.length ?? 0); ch++) {
      choice[k] = ch;
      rec(k + 1);
    }
  };
  rec(0);
  expect(stable.length).toBeGreaterThan(0);
  const best = applicants.map((_, i) => Math.min(...stable.map((s) => s[i] as number)));
  // The applicant-optimal stable matching exists: some stable matching gives everyone their best.
  expect(stable.some((s) => s.every((ch, i) => ch === best[i]))).toBe(true);
  return new Map(applicants.map((a, i) => [a, lists[i]?.[best[i] as number]?.competition ?? null]));
}

// ---------- properties ----------

describe('deferred acceptance: properties', () => {
  it('respects capacities and is stable on random instances (checker), with reversion', () => {
    fc.assert(
      fc.property(
        instanceArb({ maxApplicants: 40, maxCompetitions: 6, maxCapacity: 6, reversion: true }),
        fc.integer(),
        (input, seed) => {
          const r = allocate(input, { seed });
          expect(checkAllocation(input, r)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equals the brute-force applicant-optimal stable matching on tiny instances', () => {
    fc.assert(
      fc.property(instanceArb({ maxApplicants: 4, maxCompetitions: 3, maxCapacity: 2, reversion: false }), (input) => {
        const r = allocate(input);
        expect(checkAllocation(input, r)).toEqual([]);
        const got = new Map<string, string | null>(r.unassigned.map((a) => [a, null]));
        for (const a of r.assignments) got.set(a.applicant, a.competition);
        expect(got).toEqual(bruteForceOptimal(input, r.drawn));
      }),
      { numRuns: 400 },
    );
  });

  it('does not depend on the order of the input lines', () => {
    fc.assert(
      fc.property(
        instanceArb({ maxApplicants: 30, maxCompetitions: 5, maxCapacity: 5, reversion: true }),
        fc.integer(),
        (input, seed) => {
          const shuffledInput = {
            competitions: shuffled(input.competitions, seed),
            applications: shuffled(input.applications, seed + 1),
          };
          expect(outcome(allocate(shuffledInput))).toEqual(outcome(allocate(input)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a withdrawal never makes a remaining applicant worse off', () => {
    fc.assert(
      fc.property(
        instanceArb({ maxApplicants: 25, maxCompetitions: 5, maxCapacity: 4, reversion: false }),
        fc.nat(),
        (raw, pick) => {
          // Fix the lotteries first, so that the withdrawal does not redraw anyone's number.
          const drawn = allocate(raw).drawn;
          const input = {
            competitions: raw.competitions,
            applications: raw.applications.map((a) => ({ ...a, lottery: drawn[a.applicant] ?? a.lottery })),
          };
          const before = allocate(input);
          const applicants = [...new Set(input.applications.map((a) => a.applicant))];
          const gone = applicants[pick % applicants.length] as string;
          const after = allocate({ ...input, applications: input.applications.filter((a) => a.applicant !== gone) });
          const rankOf = (r: AllocationResult, a: string) => {
            const c = r.assignments.find((x) => x.applicant === a)?.competition;
            return input.applications.find((x) => x.applicant === a && x.competition === c)?.priority ?? Infinity;
          };
          for (const a of applicants) if (a !== gone) expect(rankOf(after, a)).toBeLessThanOrEqual(rankOf(before, a));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('cutoffs are the weakest admitted exactly when someone was turned away', () => {
    fc.assert(
      fc.property(instanceArb({ maxApplicants: 20, maxCompetitions: 4, maxCapacity: 4, reversion: true }), (input) => {
        const r = allocate(input);
        const assigned = new Map(r.assignments.map((a) => [a.applicant, a.competition]));
        const prio = (a: string, c: string | undefined) =>
          input.applications.find((x) => x.applicant === a && x.competition === c)?.priority ?? Infinity;
        for (const c of input.competitions) {
          const turnedAway = input.applications.some(
            (x) => x.competition === c.id && x.priority < prio(x.applicant, assigned.get(x.applicant)),
          );
          const admitted = input.applications.filter(
            (x) => x.competition === c.id && assigned.get(x.applicant) === c.id,
          );
          if (!turnedAway || admitted.length === 0) expect(r.cutoffs[c.id]).toBeNull();
          else {
            const lot = (x: ApplicationInput) => r.drawn[x.applicant] ?? x.lottery ?? 0;
            const weakest = admitted.reduce((w, x) => (better(x, lot(x), w, lot(w)) > 0 ? x : w));
            expect(r.cutoffs[c.id]).toEqual({ score: weakest.score, lottery: lot(weakest) });
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

// ---------- golden tests ----------

const app = (applicant: string, competition: string, priority: number, score: number[], lottery?: number) =>
  lottery === undefined
    ? { applicant, competition, priority, score }
    : { applicant, competition, priority, score, lottery };

describe('reversion', () => {
  it('moves the unfilled seats of an under-filled quota competition to the contract one', () => {
    const input: AllocationInput = {
      competitions: [
        { id: 'QUOTA', capacity: 5, revertsTo: 'CONTRACT' },
        { id: 'CONTRACT', capacity: 2 },
      ],
      applications: [
        app('Q1', 'QUOTA', 1, [90], 1),
        app('Q2', 'QUOTA', 1, [80], 2),
        app('K1', 'CONTRACT', 1, [70], 3),
        app('K2', 'CONTRACT', 1, [60], 4),
        app('K3', 'CONTRACT', 1, [50], 5),
        app('K4', 'CONTRACT', 1, [40], 6),
        app('K5', 'CONTRACT', 1, [30], 7),
        app('K6', 'CONTRACT', 1, [20], 8),
      ],
    };
    const r = allocate(input);
    expect(r.capacities).toEqual({ CONTRACT: 5, QUOTA: 2 });
    expect(r.assignments.map((a) => a.applicant)).toEqual(['K1', 'K2', 'K3', 'K4', 'K5', 'Q1', 'Q2']);
    expect(r.unassigned).toEqual(['K6']);
    expect(r.cutoffs).toEqual({ CONTRACT: { score: [30], lottery: 7 }, QUOTA: null });
    expect(checkAllocation(input, r)).toEqual([]);
  });

  it('follows chains, passing seats on through a competition that turned nobody away', () => {
    const input: AllocationInput = {
      competitions: [
        { id: 'A', capacity: 3, revertsTo: 'B' },
        { id: 'B', capacity: 1, revertsTo: 'C' },
        { id: 'C', capacity: 1 },
      ],
      applications: [
        app('X', 'A', 1, [1], 1),
        app('Y', 'C', 1, [5], 2),
        app('Z', 'C', 1, [4], 3),
        app('W', 'C', 1, [3], 4),
      ],
    };
    const r = allocate(input);
    expect(r.capacities).toEqual({ A: 1, B: 0, C: 4 });
    expect(r.unassigned).toEqual([]);
    expect(r.cutoffs).toEqual({ A: null, B: null, C: null });
  });

  it('re-runs until no seat moves (seats reaching a full competition free others)', () => {
    // Round 1: Q (2 seats) gets only P; K (1 seat) admits S and turns away T (who prefers K to Q).
    // Q's spare seat moves to K; T now gets K, leaving Q with P only... and so on until stable.
    const input: AllocationInput = {
      competitions: [
        { id: 'Q', capacity: 2, revertsTo: 'K' },
        { id: 'K', capacity: 1 },
      ],
      applications: [
        app('P', 'Q', 1, [9], 1),
        app('S', 'K', 1, [9], 2),
        app('T', 'K', 1, [5], 3),
        app('T', 'Q', 2, [5], 3),
      ],
    };
    const r = allocate(input);
    // Round 1: T is at Q (second choice), Q is full → no seat moves: K keeps 1.
    expect(r.capacities).toEqual({ K: 1, Q: 2 });
    expect(r.assignments).toEqual([
      { applicant: 'P', competition: 'Q' },
      { applicant: 'S', competition: 'K' },
      { applicant: 'T', competition: 'Q' },
    ]);
    const input2: AllocationInput = {
      competitions: [
        { id: 'Q', capacity: 3, revertsTo: 'K' },
        { id: 'K', capacity: 1 },
      ],
      applications: input.applications,
    };
    const r2 = allocate(input2);
    // Q has 3 seats, 2 filled (P, T) → 1 seat moves to K → T moves up to K → Q has 1 filled → 1 more moves.
    expect(r2.capacities).toEqual({ K: 3, Q: 1 });
    expect(r2.assignments).toEqual([
      { applicant: 'P', competition: 'Q' },
      { applicant: 'S', competition: 'K' },
      { applicant: 'T', competition: 'K' },
    ]);
    expect(r2.rounds).toBe(2);
    expect(r2.cutoffs).toEqual({ K: null, Q: null });
    expect(checkAllocation(input2, r2)).toEqual([]);
  });
});

describe('ties', () => {
  const tied = (lotteries: [number | undefined, number | undefined]): AllocationInput => ({
    competitions: [{ id: 'C', capacity: 1 }],
    applications: [app('A1', 'C', 1, [245, 80], lotteries[0]), app('A2', 'C', 1, [245, 80], lotteries[1])],
  });

  it('a lower lottery wins a full tie', () => {
    const r = allocate(tied([17, 3]));
    expect(r.assignments).toEqual([{ applicant: 'A2', competition: 'C' }]);
    expect(r.cutoffs).toEqual({ C: { score: [245, 80], lottery: 3 } });
    expect(r.drawn).toEqual({});
    const r2 = allocate(tied([2, 3]));
    expect(r2.assignments).toEqual([{ applicant: 'A1', competition: 'C' }]);
  });

  it('the score decides before the lottery (lexicographic, higher first)', () => {
    const r = allocate({
      competitions: [{ id: 'C', capacity: 1 }],
      applications: [app('A1', 'C', 1, [245, 81], 99), app('A2', 'C', 1, [245, 80], 1)],
    });
    expect(r.assignments).toEqual([{ applicant: 'A1', competition: 'C' }]);
  });

  it('draws missing lotteries with a seeded PRNG, one per applicant, and reports them', () => {
    const input: AllocationInput = {
      competitions: [
        { id: 'C', capacity: 1 },
        { id: 'D', capacity: 1 },
      ],
      applications: [
        app('A1', 'C', 1, [1]),
        app('A1', 'D', 2, [1]),
        app('A2', 'C', 1, [1]),
        app('A2', 'D', 2, [1]),
        app('A3', 'C', 1, [1], 10),
      ],
    };
    const r = allocate(input, { seed: 7 });
    expect(Object.keys(r.drawn).sort()).toEqual(['A1', 'A2']);
    expect(Object.values(r.drawn).sort()).toEqual([1, 2]);
    expect(allocate(input, { seed: 7 })).toMatchObject({ drawn: r.drawn, assignments: r.assignments });
    const winner = r.drawn.A1 === 1 ? 'A1' : 'A2';
    const loser = winner === 'A1' ? 'A2' : 'A1';
    expect(r.assignments).toEqual(
      [
        { applicant: winner, competition: 'C' },
        { applicant: loser, competition: 'D' },
      ].sort((x, y) => (x.applicant < y.applicant ? -1 : 1)),
    );
    expect(r.unassigned).toEqual(['A3']);
    // Some seed gives the other outcome.
    const outcomes = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => allocate(input, { seed }).drawn.A1));
    expect(outcomes).toEqual(new Set([1, 2]));
  });
});

describe('explain', () => {
  it('says why, per priority', () => {
    const input: AllocationInput = {
      competitions: [
        { id: 'C1', capacity: 1 },
        { id: 'C2', capacity: 1 },
        { id: 'C3', capacity: 1 },
      ],
      applications: [
        app('A', 'C1', 1, [245, 80], 1),
        app('B', 'C1', 1, [240, 85], 2),
        app('B', 'C2', 2, [240, 85], 2),
        app('B', 'C3', 3, [240, 85], 2),
        app('D', 'C2', 1, [240, 85], 1),
      ],
    };
    const r = allocate(input);
    expect(checkAllocation(input, r)).toEqual([]);
    const e = explain(input, r);
    expect(e.get('A')?.map((x) => x.message)).toEqual(['admitted here']);
    expect(e.get('B')).toEqual([
      {
        priority: 1,
        competition: 'C1',
        status: 'not-admitted',
        message: 'not admitted: cutoff 245 / 80, yours 240 / 85',
      },
      {
        priority: 2,
        competition: 'C2',
        status: 'not-admitted',
        message: 'not admitted: cutoff 240 / 85, yours 240 / 85 (lottery 1, yours 2)',
      },
      { priority: 3, competition: 'C3', status: 'admitted', message: 'admitted here' },
    ]);
    const e2 = explain(input, { ...r, assignments: [{ applicant: 'B', competition: 'C2' }] });
    expect(e2.get('B')?.[2]).toEqual({
      priority: 3,
      competition: 'C3',
      status: 'admitted-higher',
      message: 'admitted at a higher priority (C2)',
    });
  });
});

describe('checker', () => {
  const input: AllocationInput = {
    competitions: [{ id: 'C', capacity: 1 }],
    applications: [app('A1', 'C', 1, [2], 1), app('A2', 'C', 1, [1], 2)],
  };
  const base = { capacities: { C: 1 }, drawn: {} };
  it('finds capacity, non-application and stability violations', () => {
    expect(
      checkAllocation(input, {
        ...base,
        assignments: [
          { applicant: 'A1', competition: 'C' },
          { applicant: 'A2', competition: 'C' },
        ],
        unassigned: [],
      }),
    ).toEqual(['C: 2 admitted over capacity 1']);
    expect(
      checkAllocation(input, { ...base, assignments: [{ applicant: 'A2', competition: 'C' }], unassigned: ['A1'] }),
    ).toEqual(['blocking pair (A1, C): C admitted A2, ranked lower']);
    expect(checkAllocation(input, { ...base, assignments: [], unassigned: ['A1', 'A2'] })).toEqual([
      'blocking pair (A1, C): C has a free seat',
      'blocking pair (A2, C): C has a free seat',
    ]);
    expect(
      checkAllocation(input, { ...base, assignments: [{ applicant: 'A1', competition: 'X' }], unassigned: ['A2'] }),
    ).toContain('A1 assigned to X without applying');
  });

  it('validated input allocates cleanly', () => {
    const v = validate(input);
    expect(v.ok).toBe(true);
    if (v.ok) expect(checkAllocation(v.input, allocate(v.input))).toEqual([]);
  });
});
