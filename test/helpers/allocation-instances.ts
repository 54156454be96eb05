/** Seeded engine instances with one score column, for the ranking's tests. */
import { type Instance, mulberry32 } from '../../src/domain/allocation/instance.js';

export interface OneColumnSpec {
  applicants: number;
  competitions: number;
  /** Distinct choices per applicant, in priority order. */
  choices: number;
  seed: number;
  /** One draw of a competition index. */
  choice: (rnd: () => number) => number;
  score: (rnd: () => number) => number;
  /** The applicant's lottery number (one per applicant). */
  lottery: (applicant: number) => number;
  capacity: (competition: number, rnd: () => number) => number;
  revertsTo: (competition: number, rnd: () => number) => number;
}

export function oneColumnInstance(spec: OneColumnSpec): Instance {
  const rnd = mulberry32(spec.seed);
  const A = spec.applicants;
  const C = spec.competitions;
  const appStart = new Int32Array(A + 1);
  const comps: number[] = [];
  const scores: number[] = [];
  const lottery: number[] = [];
  for (let a = 0; a < A; a++) {
    const seen = new Set<number>();
    while (seen.size < spec.choices) seen.add(spec.choice(rnd));
    for (const c of seen) {
      comps.push(c);
      scores.push(spec.score(rnd));
      lottery.push(spec.lottery(a));
    }
    appStart[a + 1] = comps.length;
  }
  return {
    applicantCount: A,
    competitionCount: C,
    capacity: Int32Array.from({ length: C }, (_, c) => spec.capacity(c, rnd)),
    revertsTo: Int32Array.from({ length: C }, (_, c) => spec.revertsTo(c, rnd)),
    appStart,
    appCompetition: Int32Array.from(comps),
    scoreWidth: 1,
    scores: Float64Array.from(scores),
    lottery: Float64Array.from(lottery),
  };
}
