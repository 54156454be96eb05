/**
 * Applicant-proposing deferred acceptance (Gale–Shapley, McVitie–Wilson sequential form) over
 * competitions with capacities, plus seat reversion. Pure: no I/O.
 *
 * Each competition's tentative set is a binary heap of ranks (precomputed once per application by
 * `rankApplications`) whose root is the weakest admitted applicant, so a proposal costs O(1) when a
 * seat is free and O(log capacity) when it evicts. The result is the applicant-optimal stable matching
 * for the single tie-breaking given by the lottery (ties on score and lottery fall back to the
 * applicant's canonical index, i.e. the sorted applicant id).
 */
import { compile, type Instance, type Ranking, rankApplications } from './instance.js';
import type { AllocationInput, AllocationOptions, AllocationResult, Cutoff } from './types.js';

export interface DeferredAcceptanceState {
  /** Application index held by each applicant, or -1. */
  assigned: Int32Array;
  /** Number of admitted applicants per competition. */
  size: Int32Array;
  /** Proposals received per competition (> size ⇔ it turned someone away). */
  received: Int32Array;
  /** Heap storage: competition c's heap of ranks lives at `compStart[c] .. compStart[c] + size[c] - 1`, root = weakest. */
  heap: Int32Array;
  proposals: number;
}

/** One run of deferred acceptance for the given capacities. */
export function deferredAcceptance(inst: Instance, ranking: Ranking, capacity: Int32Array): DeferredAcceptanceState {
  const A = inst.applicantCount;
  const C = inst.competitionCount;
  const { appStart, appCompetition } = inst;
  const { rank, compStart } = ranking;
  const heap = new Int32Array(appCompetition.length);
  // Applicant of each heap slot, moved together with the rank (saves two random reads per eviction).
  const heapWho = new Int32Array(appCompetition.length);
  const size = new Int32Array(C);
  const received = new Int32Array(C);
  const next = appStart.slice(0, A);
  const assigned = new Int32Array(A).fill(-1);
  let proposals = 0;

  for (let s = 0; s < A; s++) {
    let a = s;
    // Follow the chain: a proposes down its list; if it evicts b, b continues from where it stood.
    while (a >= 0) {
      const end = appStart[a + 1] as number;
      let p = next[a] as number;
      let evicted = -1;
      while (p < end) {
        const app = p++;
        const c = appCompetition[app] as number;
        proposals++;
        received[c] = (received[c] as number) + 1;
        const cap = capacity[c] as number;
        const sz = size[c] as number;
        const base = compStart[c] as number;
        const r = rank[app] as number;
        if (sz < cap) {
          // Sift up (max-heap on rank).
          let i = sz;
          while (i > 0) {
            const parent = (i - 1) >> 1;
            const pr = heap[base + parent] as number;
            if (pr >= r) break;
            heap[base + i] = pr;
            heapWho[base + i] = heapWho[base + parent] as number;
            i = parent;
          }
          heap[base + i] = r;
          heapWho[base + i] = a;
          size[c] = sz + 1;
          assigned[a] = app;
          break;
        }
        if (cap === 0) continue;
        const worst = heap[base] as number;
        if (r < worst) {
          // Replace the root and sift down.
          evicted = heapWho[base] as number;
          let i = 0;
          for (;;) {
            let child = 2 * i + 1;
            if (child >= sz) break;
            let cr = heap[base + child] as number;
            if (child + 1 < sz) {
              const rr = heap[base + child + 1] as number;
              if (rr > cr) {
                child++;
                cr = rr;
              }
            }
            if (cr <= r) break;
            heap[base + i] = cr;
            heapWho[base + i] = heapWho[base + child] as number;
            i = child;
          }
          heap[base + i] = r;
          heapWho[base + i] = a;
          assigned[a] = app;
          assigned[evicted] = -1;
          break;
        }
      }
      next[a] = p;
      a = evicted;
    }
  }
  return { assigned, size, received, heap, proposals };
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
  /** Proposals summed over all rounds. */
  proposals: number;
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
 */
export function allocateInstance(inst: Instance, ranking: Ranking = rankApplications(inst)): InstanceAllocation {
  const capacity = inst.capacity.slice();
  const topo = reversionOrder(inst.revertsTo);
  let proposals = 0;
  let rounds = 0;
  for (;;) {
    const state = deferredAcceptance(inst, ranking, capacity);
    proposals += state.proposals;
    rounds++;
    let rerun = false;
    for (let k = 0; k < topo.length; k++) {
      const c = topo[k] as number;
      const t = inst.revertsTo[c] as number;
      if (t < 0) continue;
      if ((state.received[c] as number) > (state.size[c] as number)) continue; // full and binding
      const free = (capacity[c] as number) - (state.size[c] as number);
      if (free <= 0) continue;
      capacity[c] = state.size[c] as number;
      capacity[t] = (capacity[t] as number) + free;
      if ((state.received[t] as number) > (state.size[t] as number)) rerun = true;
    }
    if (!rerun) return { state, ranking, capacity, proposals, rounds };
  }
}

/** The engine on object input (validate it first with `validate`). */
export function allocate(input: AllocationInput, options: AllocationOptions = {}): AllocationResult {
  const t0 = performance.now();
  const compiled = compile(input, options);
  const inst = compiled.instance;
  const { state, ranking, capacity, proposals, rounds } = allocateInstance(inst);
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
  // Score width of each competition (tuples were padded to the instance width).
  const widthOf = new Map<string, number>();
  for (const app of input.applications) widthOf.set(app.competition, app.score.length);

  const cutoffs: Record<string, Cutoff | null> = {};
  const capacities: Record<string, number> = {};
  for (let c = 0; c < inst.competitionCount; c++) {
    const id = competitionIds[c] as string;
    capacities[id] = capacity[c] as number;
    const size = state.size[c] as number;
    if ((state.received[c] as number) > size && size > 0) {
      const base = ranking.compStart[c] as number;
      const app = ranking.byComp[base + (state.heap[base] as number)] as number;
      const width = widthOf.get(id) ?? W;
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
  return {
    assignments,
    unassigned,
    cutoffs,
    capacities,
    drawn,
    stats: {
      applicants: inst.applicantCount,
      applications: input.applications.length,
      proposals,
      ms: Math.round((performance.now() - t0) * 1000) / 1000,
    },
    rounds,
  };
}
