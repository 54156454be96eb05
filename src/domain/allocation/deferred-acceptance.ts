/**
 * Applicant-proposing deferred acceptance (Gale–Shapley, McVitie–Wilson sequential form) over
 * competitions with capacities, plus seat reversion. Pure: no I/O.
 *
 * Each competition's tentative set is a bitset over the ranks precomputed once per application by
 * the ranking (`rankForAllocation`: its rows follow the processing order, see `Rows` and
 * `processingOrder` in instance.ts), plus the rank of its weakest member (see `Run`). The result is the
 * applicant-optimal stable matching for the single tie-breaking given by the lottery (ties on score
 * and lottery fall back to the applicant's canonical index, i.e. the sorted applicant id).
 */
import {
  applicationOfRow,
  type Compiled,
  compile,
  type Instance,
  type Ranking,
  rankForAllocation,
} from './instance.js';
import type { AllocationInput, AllocationOptions, AllocationResult, Cutoff } from './types.js';

export interface DeferredAcceptanceState {
  /** Application index held by each applicant, or -1. */
  assigned: Int32Array;
  /** Number of admitted applicants per competition. */
  size: Int32Array;
  /** Proposals received per competition (> size ⇔ it turned someone away). */
  received: Int32Array;
  /** Rank (within its competition) of each competition's weakest admitted applicant, or -1 when it admitted nobody. */
  weakest: Int32Array;
  proposals: number;
}

/** Snapshot of a run before the applicant at position `at` of the processing order. */
interface Checkpoint {
  at: number;
  bits: Int32Array;
  size: Int32Array;
  received: Int32Array;
  weakest: Int32Array;
  proposals: number;
}

/**
 * A resumable run of deferred acceptance. Applicants enter in a fixed processing order; each entry
 * starts a chain (the entrant proposes down their list; an evicted applicant continues down theirs)
 * that ends when a proposal is accepted without eviction or a list runs out. Deferred acceptance gives
 * the same outcome and the same proposals for any order of proposals, so `SLOTS` chains are followed
 * at once: a chain runs in its slot until an eviction, then waits for the next pass over the slots,
 * whose first step reads the evicted applications of all waiting chains together. Those reads are
 * cache misses (random places in arrays of tens of megabytes); issued back to back they overlap
 * instead of costing one full memory latency each. At each checkpoint position no new entry is
 * admitted until every chain has ended, so a checkpoint holds exactly the state after the entries
 * before it, whatever the interleaving.
 *
 * Applications are read as the ranking's rows (see `Rows`): entry `i` of the processing order owns
 * rows `entryRows[i] ..`, so entering applicants reads the proposal table sequentially.
 *
 * Each competition's tentative set is a bitset over its ranks (one bit per row in `byComp` order:
 * bit `compStart[c] + rank` is row `byComp[compStart[c] + rank]`), plus the rank of
 * its weakest member. A proposal ranked below the weakest member of a full competition is turned away
 * in O(1) without touching the bitset; otherwise its bit is set, and when the competition is full the
 * weakest member is evicted and the new weakest one is found by scanning the bitset downwards. Once a
 * competition is full it stays full and its weakest rank only decreases, so the scans of one
 * competition cover each of its ranks at most once over the run: O(1) amortized per proposal, and the
 * bitset (n bits) mostly stays in cache.
 *
 * An evicted row `e` identifies its applicant's next proposal: `e + 1` (rows are grouped by
 * applicant in priority order, and a held row is the last one its applicant proposed),
 * so the loop keeps no per-applicant state; the assignment is read off the bitset at the end.
 *
 * `firstFull[c]` records the lowest processing position of an entry whose chain brought a
 * proposal to `c` while `c` was full (a rejection or an eviction), `INF` if none; `checkpoints` keep
 * the state at evenly spaced positions so that a later run can resume (see `allocateInstance`).
 */
class Run {
  readonly bits: Int32Array;
  readonly size: Int32Array;
  readonly received: Int32Array;
  readonly weakest: Int32Array;
  readonly firstFull: Int32Array;
  proposals = 0;
  /** Proposals made by the last call of `run` (excluding those restored from a checkpoint). */
  made = 0;
  readonly checkpoints: Checkpoint[] = [];
  /**
   * Per slot (see `run`): the `byComp` position of the application evicted last, whose applicant
   * proposes next, or `IDLE`; that application; and the position of the chain's entry.
   */
  readonly evictedAt = new Int32Array(SLOTS);
  readonly evicted = new Int32Array(SLOTS);
  readonly slotEntry = new Int32Array(SLOTS);
  /** Sink of the cache-warming reads, so that they are not optimized away. */
  touched = 0;

  constructor(
    readonly inst: Instance,
    /** Its rows give the processing order (see `Rows`). */
    readonly ranking: Ranking,
    checkpointCount: number,
  ) {
    const C = inst.competitionCount;
    this.bits = new Int32Array((ranking.byComp.length >>> 5) + 1);
    this.size = new Int32Array(C);
    this.received = new Int32Array(C);
    this.weakest = new Int32Array(C).fill(-1);
    this.firstFull = new Int32Array(C).fill(INF);
    const A = ranking.rows.order.length;
    for (let k = 1; k < checkpointCount; k++) {
      const at = Math.floor((k * A) / checkpointCount);
      if (at > 0 && at < A && at !== this.checkpoints[this.checkpoints.length - 1]?.at)
        this.checkpoints.push({
          at,
          bits: new Int32Array(0),
          size: new Int32Array(0),
          received: new Int32Array(0),
          weakest: new Int32Array(0),
          proposals: -1,
        });
    }
  }

  /**
   * Runs with `capacity` from the latest checkpoint at or before position `from` (0: from scratch).
   * The caller guarantees that the run with these capacities is identical to the previous run up to
   * that checkpoint.
   */
  run(capacity: Int32Array, from: number): void {
    const { bits, size, received, weakest, firstFull, checkpoints } = this;
    const { table, compStart, byComp } = this.ranking;
    const { entryRows } = this.ranking.rows;
    let start = 0;
    let k = 0; // next checkpoint to save
    for (let j = checkpoints.length - 1; j >= 0; j--) {
      const cp = checkpoints[j] as Checkpoint;
      if (cp.at <= from && cp.proposals >= 0) {
        bits.set(cp.bits);
        size.set(cp.size);
        received.set(cp.received);
        weakest.set(cp.weakest);
        this.proposals = cp.proposals;
        start = cp.at;
        k = j + 1;
        break;
      }
    }
    if (start === 0) {
      bits.fill(0);
      size.fill(0);
      received.fill(0);
      weakest.fill(-1);
      this.proposals = 0;
    }
    for (let c = 0; c < firstFull.length; c++) if ((firstFull[c] as number) >= start) firstFull[c] = INF;
    for (let j = k; j < checkpoints.length; j++) (checkpoints[j] as Checkpoint).proposals = -1;
    let proposals = this.proposals;
    const restored = proposals;
    let nextSave = k < checkpoints.length ? (checkpoints[k] as Checkpoint).at : INF;
    const A = this.ranking.rows.order.length;
    const { evictedAt, evicted, slotEntry } = this;
    evictedAt.fill(IDLE);
    let active = 0; // slots holding a chain
    let next = start; // next entry to admit
    let touched = 0;

    for (;;) {
      // The cache misses of the chains waiting after an eviction, issued together so that they
      // overlap: the evicted application, then its row of the proposal table.
      for (let j = 0; j < SLOTS; j++) {
        const gw = evictedAt[j] as number;
        if (gw >= 0) evicted[j] = byComp[gw] as number;
      }
      for (let j = 0; j < SLOTS; j++)
        if ((evictedAt[j] as number) >= 0) touched ^= table[2 * (evicted[j] as number)] as number;

      for (let j = 0; j < SLOTS; j++) {
        let p = -1;
        let i = slotEntry[j] as number;
        if ((evictedAt[j] as number) >= 0) {
          const e = evicted[j] as number;
          evictedAt[j] = IDLE;
          // The evicted applicant proposes next, unless that was their last choice.
          if ((table[2 * e] as number) >= 0) p = e + 1;
          else active--;
        }
        for (;;) {
          if (p < 0) {
            // Free slot: admit the next entry (up to the next checkpoint).
            if (next >= nextSave || next >= A) break;
            p = entryRows[next] as number;
            i = next++;
            if (p === (entryRows[next] as number)) {
              p = -1;
              continue;
            }
            slotEntry[j] = i;
            active++;
          }
          // Follow the chain: propose down the list from p until accepted, turned away from the last
          // choice, or an eviction (the chain then waits in its slot until the next pass).
          let c = table[2 * p] as number;
          const last = c < 0;
          if (last) c = ~c;
          const g = table[2 * p + 1] as number;
          proposals++;
          received[c] = (received[c] as number) + 1;
          const sz = size[c] as number;
          const base = compStart[c] as number;
          const r = g - base;
          const w = weakest[c] as number;
          if (sz < (capacity[c] as number)) {
            bits[g >>> 5] = (bits[g >>> 5] as number) | (1 << (g & 31));
            if (r > w) weakest[c] = r;
            size[c] = sz + 1;
            p = -1;
            active--;
            continue;
          }
          if ((firstFull[c] as number) > i) firstFull[c] = i;
          if (r < w) {
            bits[g >>> 5] = (bits[g >>> 5] as number) | (1 << (g & 31));
            // Evict the weakest member, then find the next weakest (a set bit below it: g's is one).
            const gw = base + w;
            let wi = gw >>> 5;
            let m = (bits[wi] as number) & ~(1 << (gw & 31));
            bits[wi] = m;
            m &= (1 << (gw & 31)) - 1;
            while (m === 0) m = bits[--wi] as number;
            weakest[c] = (wi << 5) + 31 - Math.clz32(m) - base;
            evictedAt[j] = gw;
            break;
          }
          if (last) {
            p = -1;
            active--;
          } else p++;
        }
      }
      if (active > 0) continue;
      if (next >= A) break;
      // Every entry before the checkpoint has settled: save it.
      const cp = checkpoints[k++] as Checkpoint;
      if (cp.bits.length !== bits.length) {
        cp.bits = bits.slice();
        cp.size = size.slice();
        cp.received = received.slice();
        cp.weakest = weakest.slice();
      } else {
        cp.bits.set(bits);
        cp.size.set(size);
        cp.received.set(received);
        cp.weakest.set(weakest);
      }
      cp.proposals = proposals;
      nextSave = k < checkpoints.length ? (checkpoints[k] as Checkpoint).at : INF;
    }
    this.touched = touched;
    this.proposals = proposals;
    this.made = proposals - restored;
  }

  /** The current state, with the assignment read off the bitset (an applicant holds at most one bit). */
  state(): DeferredAcceptanceState {
    const { appStart, applicantCount: A } = this.inst;
    const { bits } = this;
    const { table } = this.ranking;
    const { order, entryRows } = this.ranking.rows;
    // Rows in order (the table read sequentially), each applicant's held choice noted at random
    // places (stores, which do not wait), then turned into application indices in index order.
    const held = new Int32Array(A).fill(-1);
    for (let i = 0; i < A; i++) {
      const s = entryRows[i] as number;
      const e = entryRows[i + 1] as number;
      for (let row = s; row < e; row++) {
        const g = table[2 * row + 1] as number;
        if ((bits[g >>> 5] as number) & (1 << (g & 31))) {
          held[order[i] as number] = row - s;
          break;
        }
      }
    }
    const assigned = held;
    for (let a = 0; a < A; a++) {
      const k = held[a] as number;
      if (k >= 0) assigned[a] = (appStart[a] as number) + k;
    }
    return {
      assigned,
      size: this.size.slice(),
      received: this.received.slice(),
      weakest: this.weakest.slice(),
      proposals: this.proposals,
    };
  }
}

const INF = 0x7fffffff;
/** Chains followed at once, and the empty slot. */
const SLOTS = 16;
const IDLE = -1;

/** One run of deferred acceptance for the given capacities, from scratch (see `Run`). */
export function deferredAcceptance(inst: Instance, ranking: Ranking, capacity: Int32Array): DeferredAcceptanceState {
  const run = new Run(inst, ranking, 0);
  run.run(capacity, 0);
  return run.state();
}

/** Competitions ordered so that each comes before the one it reverts to. Throws on a cycle. */
export function reversionOrder(revertsTo: Int32Array): Int32Array {
  const C = revertsTo.length;
  const indegree = new Int32Array(C);
  for (let c = 0; c < C; c++) {
    const t = revertsTo[c] as number;
    if (t >= 0) indegree[t] = (indegree[t] as number) + 1;
  }
  const order = new Int32Array(C);
  let head = 0;
  let tail = 0;
  for (let c = 0; c < C; c++) if (indegree[c] === 0) order[tail++] = c;
  while (head < tail) {
    const c = order[head++] as number;
    const t = revertsTo[c] as number;
    if (t >= 0) {
      indegree[t] = (indegree[t] as number) - 1;
      if (indegree[t] === 0) order[tail++] = t;
    }
  }
  if (tail < C) throw new Error('reversion cycle');
  return order;
}

export interface InstanceAllocation {
  state: DeferredAcceptanceState;
  ranking: Ranking;
  /** Final capacities after reversion. */
  capacity: Int32Array;
  /** Proposals summed over all rounds, each counted as a run from scratch would (the reported statistic). */
  proposals: number;
  /** Proposals actually made: re-runs resumed from a checkpoint skip the proposals before it. */
  proposalsMade: number;
  rounds: number;
}

/**
 * Deferred acceptance with reversion. After each run, the unfilled seats of every competition with a
 * `revertsTo` move there (its capacity drops to its admitted count), following chains in one sweep in
 * topological order; a re-run is needed only when seats reach a competition that turned someone away
 * (a competition that turned nobody away is unconstrained, so extra seats there change nothing and
 * are passed on down the chain at once).
 *
 * Termination: seats only ever move forward along the reversion graph, which is acyclic (validated),
 * so Φ = Σ over seats of the number of reversion steps left from its competition is a non-negative
 * integer that strictly drops in every round that moves a seat; the loop stops at the first round
 * that moves none. (Also, adding seats only makes every applicant weakly better off in
 * applicant-proposing DA, so competitions that gave seats away are never short of them later.)
 *
 * Re-runs resume instead of starting over. Every run enters the applicants in the same processing
 * order, interleaves their chains the same way, and so makes the same sequence of moves as long as
 * every decision is the same; a decision at
 * competition c depends only on c's state and capacity. Between two rounds, capacities change only
 * (1) down, at competitions that turned nobody away, to their admitted count: in the previous run
 * every proposal to such a c found it below its final size, hence below its new capacity, so it is
 * accepted in the new run too; and (2) up: a proposal to such a c is decided differently only when
 * c is full under its old capacity, i.e. only in a chain of an entry at or after `firstFull[c]`, the
 * first whose chain the previous run rejected or evicted at c. A checkpoint at position `at` holds the
 * state after the chains of exactly the entries before `at` (see `Run`), so the new run coincides with
 * the previous one up to every checkpoint at or before min(firstFull[c] over the competitions that
 * grew), and resumes from the latest of them; deferred acceptance gives the applicant-optimal stable matching whatever the order, so the
 * outcome, the sizes, `received` and the proposal count are exactly those of a run from scratch (the
 * property tests in resume.test.ts compare both on random instances with chains of reversions).
 */
export function allocateInstance(inst: Instance, ranking: Ranking = rankForAllocation(inst)): InstanceAllocation {
  const capacity = inst.capacity.slice();
  const topo = reversionOrder(inst.revertsTo);
  const C = inst.competitionCount;
  const hasReversion = inst.revertsTo.some((t) => t >= 0);
  const run = new Run(inst, ranking, hasReversion ? checkpointCount(ranking.byComp.length, C) : 0);
  let proposals = 0;
  let proposalsMade = 0;
  let rounds = 0;
  let from = 0;
  for (;;) {
    run.run(capacity, from);
    const { size, received, firstFull } = run;
    proposals += run.proposals;
    proposalsMade += run.made;
    rounds++;
    const before = capacity.slice();
    let rerun = false;
    for (let k = 0; k < topo.length; k++) {
      const c = topo[k] as number;
      const t = inst.revertsTo[c] as number;
      if (t < 0) continue;
      if ((received[c] as number) > (size[c] as number)) continue; // full and binding
      const free = (capacity[c] as number) - (size[c] as number);
      if (free <= 0) continue;
      capacity[c] = size[c] as number;
      capacity[t] = (capacity[t] as number) + free;
      if ((received[t] as number) > (size[t] as number)) rerun = true;
    }
    if (!rerun) return { state: run.state(), ranking, capacity, proposals, proposalsMade, rounds };
    // Resume point: the next run makes exactly the same moves as this one until a proposal reaches,
    // while it is full, a competition whose capacity grew (see above).
    from = INF;
    for (let c = 0; c < C; c++) {
      const was = before[c] as number;
      const now = capacity[c] as number;
      if (now > was) from = Math.min(from, firstFull[c] as number);
      else if (now < was && ((received[c] as number) > (size[c] as number) || now < (size[c] as number))) from = 0;
    }
  }
}

/** Checkpoints per run: up to 32, within about 64 MB of bitset copies. */
function checkpointCount(n: number, C: number): number {
  const bytes = (n >>> 3) + 12 * C + 64;
  return Math.max(1, Math.min(32, Math.floor((64 << 20) / bytes)));
}

/** The engine on object input (validate it first with `validate`). */
export function allocate(input: AllocationInput, options: AllocationOptions = {}): AllocationResult {
  return allocateRanked(input, options).result;
}

/**
 * `allocate`, plus the engine's ranking of its input: per competition id, the indices of its
 * applications in `input.applications`, best first (score tuple, lottery, applicant id), so that a
 * caller publishing ranked lists need not sort them again.
 */
export function allocateRanked(
  input: AllocationInput,
  options: AllocationOptions = {},
): { result: AllocationResult; ranked: Map<string, Int32Array> } {
  const t0 = performance.now();
  return allocateCompiled(compile(input, options), input.applications.length, t0);
}

/**
 * `allocateRanked` on compiled input (see `compile` and `compileColumns`), plus each applicant's
 * assigned application (instance order, -1 when unassigned). `applications` is the input's count,
 * for the statistics; `t0` when the timing started.
 */
export function allocateCompiled(
  compiled: Compiled,
  applications: number,
  t0 = performance.now(),
): { result: AllocationResult; ranked: Map<string, Int32Array>; assigned: Int32Array } {
  const inst = compiled.instance;
  const { state, ranking, capacity, proposals, rounds } = allocateInstance(inst);
  const appOf = applicationOfRow(inst, ranking);
  const { applicantIds, competitionIds } = compiled;
  const W = inst.scoreWidth;

  const assignments: AllocationResult['assignments'] = [];
  const unassigned: string[] = [];
  for (let a = 0; a < inst.applicantCount; a++) {
    const app = state.assigned[a] as number;
    const id = applicantIds[a] as string;
    if (app < 0) unassigned.push(id);
    else assignments.push({ applicant: id, competition: competitionIds[inst.appCompetition[app] as number] as string });
  }

  const cutoffs: Record<string, Cutoff | null> = {};
  const capacities: Record<string, number> = {};
  for (let c = 0; c < inst.competitionCount; c++) {
    const id = competitionIds[c] as string;
    capacities[id] = capacity[c] as number;
    const size = state.size[c] as number;
    if ((state.received[c] as number) > size && size > 0) {
      const row = ranking.byComp[(ranking.compStart[c] as number) + (state.weakest[c] as number)] as number;
      const app = appOf[row] as number;
      const width = compiled.competitionWidth[c] as number;
      cutoffs[id] = {
        score: Array.from(inst.scores.subarray(app * W, app * W + width)),
        lottery: inst.lottery[app] as number,
      };
    } else cutoffs[id] = null;
  }
  const drawn: Record<string, number> = {};
  for (let a = 0; a < inst.applicantCount; a++) {
    const d = compiled.drawn[a] as number;
    if (!Number.isNaN(d)) drawn[applicantIds[a] as string] = d;
  }
  const result: AllocationResult = {
    assignments,
    unassigned,
    cutoffs,
    capacities,
    drawn,
    stats: {
      applicants: inst.applicantCount,
      applications,
      proposals,
      ms: Math.round((performance.now() - t0) * 1000) / 1000,
    },
    rounds,
  };
  const ranked = new Map<string, Int32Array>();
  const { byComp, compStart } = ranking;
  const { inputIndex } = compiled;
  // byComp holds rows: through appOf to applications, then to input lines.
  for (let c = 0; c < inst.competitionCount; c++) {
    const s = compStart[c] as number;
    const e = compStart[c + 1] as number;
    const list = new Int32Array(e - s);
    for (let p = s; p < e; p++) list[p - s] = inputIndex[appOf[byComp[p] as number] as number] as number;
    ranked.set(competitionIds[c] as string, list);
  }
  return { result, ranked, assigned: state.assigned };
}
