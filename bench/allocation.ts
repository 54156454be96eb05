/**
 * Allocation engine (deferred acceptance): 1,000,000 applicants × 5 priorities over 5,000
 * competitions, integer scores 0–100 (many ties), one lottery number per applicant; seeded, in memory.
 * Five runs; the median time of the whole engine (ranking once + deferred acceptance + reversion), of
 * the ranking alone and of deferred acceptance + reversion (re-runs resume from a checkpoint of the
 * previous run), proposals per second and peak RSS. Proposals are counted as the engine reports
 * them (every round as a run from scratch would make them) and as actually made (resumed re-runs
 * skip the proposals before their checkpoint); the rate uses the latter.
 * `BENCH_FULL=1` adds 2,300,000 × 24 (skipped by default).
 */
import { allocateInstance } from '../src/domain/allocation/deferred-acceptance.js';
import { type Instance, mulberry32, rankForAllocation } from '../src/domain/allocation/instance.js';
import type { Row } from './run.js';

const RUNS = 5;

function generate(applicants: number, priorities: number, competitions: number, seed: number): Instance {
  const rnd = mulberry32(seed);
  const n = applicants * priorities;
  const capacity = new Int32Array(competitions);
  // About 0.8 seats per applicant, uneven across competitions.
  const mean = (0.8 * applicants) / competitions;
  for (let c = 0; c < competitions; c++) capacity[c] = Math.max(1, Math.round(mean * (0.3 + 1.4 * rnd())));
  // A quarter of the competitions revert to the next one (chains, acyclic).
  const revertsTo = new Int32Array(competitions).fill(-1);
  for (let c = 0; c + 1 < competitions; c++) if (rnd() < 0.25) revertsTo[c] = c + 1;
  const appStart = new Int32Array(applicants + 1);
  const appCompetition = new Int32Array(n);
  const scores = new Float64Array(n);
  const lottery = new Float64Array(n);
  // Lottery: a seeded permutation of 1..applicants.
  const perm = new Int32Array(applicants);
  for (let i = 0; i < applicants; i++) perm[i] = i + 1;
  for (let i = applicants - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = perm[i] as number;
    perm[i] = perm[j] as number;
    perm[j] = t;
  }
  for (let a = 0; a < applicants; a++) {
    const s = a * priorities;
    appStart[a + 1] = s + priorities;
    const base = Math.floor(rnd() * 101);
    for (let k = 0; k < priorities; k++) {
      // Distinct competitions, skewed towards popular ones (squared uniform).
      let c: number;
      let dup: boolean;
      do {
        const u = rnd();
        c = Math.floor(u * u * competitions);
        dup = false;
        for (let q = s; q < s + k; q++) if (appCompetition[q] === c) dup = true;
      } while (dup);
      appCompetition[s + k] = c;
      scores[s + k] = Math.min(100, Math.max(0, base + Math.floor(rnd() * 11) - 5));
      lottery[s + k] = perm[a] as number;
    }
  }
  return {
    applicantCount: applicants,
    competitionCount: competitions,
    capacity,
    revertsTo,
    appStart,
    appCompetition,
    scoreWidth: 1,
    scores,
    lottery,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const fmtInt = (x: number) => Math.round(x).toLocaleString('en-US');
const mb = (bytes: number) => `${fmtInt(bytes / 1024 / 1024)} MB`;

function measure(label: string, applicants: number, priorities: number, competitions: number): Row[] {
  const inst = generate(applicants, priorities, competitions, 42);
  let peak = process.memoryUsage().rss;
  const total: number[] = [];
  const ranking: number[] = [];
  const da: number[] = [];
  let proposals = 0;
  let made = 0;
  let rounds = 0;
  let assigned = 0;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    const ranked = rankForAllocation(inst);
    const t1 = performance.now();
    peak = Math.max(peak, process.memoryUsage().rss);
    const result = allocateInstance(inst, ranked);
    const t2 = performance.now();
    peak = Math.max(peak, process.memoryUsage().rss);
    ranking.push(t1 - t0);
    da.push(t2 - t1);
    total.push(t2 - t0);
    proposals = result.proposals;
    made = result.proposalsMade;
    rounds = result.rounds;
    assigned = result.state.assigned.reduce((s, x) => s + (x >= 0 ? 1 : 0), 0);
  }
  const maxRss = process.resourceUsage().maxRSS * 1024;
  const m = median(total);
  return [
    {
      database: 'memory',
      measure: `${label}: engine median of ${RUNS} (rank + DA + reversion)`,
      value: `${fmtInt(m)} ms`,
    },
    { database: 'memory', measure: `${label}: ranking median (once per run)`, value: `${fmtInt(median(ranking))} ms` },
    {
      database: 'memory',
      measure: `${label}: deferred acceptance + reversion median`,
      value: `${fmtInt(median(da))} ms`,
    },
    { database: 'memory', measure: `${label}: runs (ms)`, value: total.map((t) => fmtInt(t)).join(', ') },
    {
      database: 'memory',
      measure: `${label}: proposals reported (rounds) / made, made per second`,
      value: `${fmtInt(proposals)} (${rounds}) / ${fmtInt(made)}, ${fmtInt(made / (median(da) / 1000))}/s`,
    },
    { database: 'memory', measure: `${label}: assigned applicants`, value: fmtInt(assigned) },
    { database: 'memory', measure: `${label}: peak RSS (sampled / process max)`, value: `${mb(peak)} / ${mb(maxRss)}` },
  ];
}

export async function benchAllocation(): Promise<Row[]> {
  const rows = measure('1,000,000 × 5, 5,000 competitions', 1_000_000, 5, 5_000);
  if (process.env.BENCH_FULL === '1') rows.push(...measure('2,300,000 × 24, 5,000 competitions', 2_300_000, 24, 5_000));
  else rows.push({ database: 'memory', measure: '2,300,000 × 24', value: 'skipped (set BENCH_FULL=1)' });
  return rows;
}
