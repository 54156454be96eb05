/**
 * Columnar form of an allocation instance, and the one-time ranking of every application within its
 * competition. Everything here is typed arrays over interned integers so that the deferred-acceptance
 * loop only compares integers.
 */
import { Worker } from 'node:worker_threads';
import type { AllocationInput, AllocationOptions } from './types.js';

export interface Instance {
  applicantCount: number;
  competitionCount: number;
  /** Initial capacity per competition. */
  capacity: Int32Array;
  /** Competition index the unfilled seats revert to, or -1. Must be acyclic. */
  revertsTo: Int32Array;
  /**
   * Applications grouped by applicant (CSR): applicant `a` owns applications
   * `appStart[a] .. appStart[a + 1] - 1`, in priority order (first choice first).
   * Applicant indices are also the final tie-break (lower index wins), so they must follow a canonical
   * order (`compile` interns applicants in sorted-id order).
   */
  appStart: Int32Array;
  appCompetition: Int32Array;
  /** Width of the score tuples; shorter tuples are padded with 0 (harmless: widths agree within a competition). */
  scoreWidth: number;
  /** `appCount * scoreWidth` values, row-major. */
  scores: Float64Array;
  /** Lottery per application (lower wins). */
  lottery: Float64Array;
}

/**
 * A numbering of the applications ("rows") that keeps each applicant's applications together in
 * priority order but may put the applicants in another order: the applicant at position `i` of
 * `order` owns rows `entryRows[i] .. entryRows[i + 1] - 1`, and applicant `a`'s first row is
 * `rowStart[a]`. Deferred acceptance enters applicants in `order` and reads the rows sequentially
 * (see `processingOrder`); the identity numbering is the applications' own.
 */
export interface Rows {
  order: Int32Array;
  entryRows: Int32Array;
  rowStart: Int32Array;
}

/**
 * The processing order of deferred acceptance (see `allocateInstance` in deferred-acceptance.ts), as
 * a numbering of the rows so that the runs read the proposal table sequentially. Any order gives the
 * same outcome; this one lets re-runs resume late: a re-run resumes before the first entry whose
 * chain met, while it was full, a competition that has since received seats. So first come the
 * applicants who list no competition that can receive seats (no `revertsTo` points to it), then the
 * others, by how likely the likeliest receiver they list is to receive seats, least likely first. A
 * receiver's likelihood is estimated from its sources: a source with many seats per application
 * listing it is likely to be left with free seats. Ties keep the index order.
 */
export function processingOrder(inst: Instance): Rows {
  const A = inst.applicantCount;
  const rows = { order: new Int32Array(A), entryRows: new Int32Array(A + 1), rowStart: new Int32Array(A) };
  numberRows(inst.appStart, inst.appCompetition, inst.revertsTo, inst.capacity, rows);
  return rows;
}

/**
 * Fills `out` with the processing order's rows (see `processingOrder`). Self-contained (no outside
 * names but `Math`): the helper thread runs its source text.
 */
function numberRows(
  appStart: Int32Array,
  appCompetition: Int32Array,
  revertsTo: Int32Array,
  capacity: Int32Array,
  out: Rows,
): void {
  const { order, entryRows, rowStart } = out;
  const A = order.length;
  const C = revertsTo.length;
  const demand = new Int32Array(C);
  for (let p = 0; p < appCompetition.length; p++) {
    const c = appCompetition[p] as number;
    demand[c] = (demand[c] as number) + 1;
  }
  // Per receiver: the largest seats-per-application ratio of its sources, as a logarithmic bucket
  // (1 .. buckets - 1; 0: not a receiver).
  const buckets = 1024;
  const likelihood = new Int32Array(C);
  for (let c = 0; c < C; c++) {
    const t = revertsTo[c] as number;
    if (t < 0) continue;
    const ratio = (capacity[c] as number) / Math.max(1, demand[c] as number) + 1e-9;
    const k = Math.max(1, Math.min(buckets - 1, Math.floor(Math.log2(ratio) * 32) + buckets / 2));
    if (k > (likelihood[t] as number)) likelihood[t] = k;
  }
  // Counting sort by the bucket of the likeliest receiver listed, which numbers the applicants'
  // positions and their rows at once.
  const key = new Int32Array(A);
  const start = new Int32Array(buckets + 1);
  const startRow = new Int32Array(buckets + 1);
  for (let a = 0; a < A; a++) {
    const e = appStart[a + 1] as number;
    let k = 0;
    for (let p = appStart[a] as number; p < e; p++) {
      const x = likelihood[appCompetition[p] as number] as number;
      if (x > k) k = x;
    }
    key[a] = k;
    start[k + 1] = (start[k + 1] as number) + 1;
    startRow[k + 1] = (startRow[k + 1] as number) + e - (appStart[a] as number);
  }
  for (let k = 0; k < buckets; k++) {
    start[k + 1] = (start[k + 1] as number) + (start[k] as number);
    startRow[k + 1] = (startRow[k + 1] as number) + (startRow[k] as number);
  }
  for (let a = 0; a < A; a++) {
    const k = key[a] as number;
    const i = start[k] as number;
    const row = startRow[k] as number;
    order[i] = a;
    entryRows[i] = row;
    rowStart[a] = row;
    start[k] = i + 1;
    startRow[k] = row + (appStart[a + 1] as number) - (appStart[a] as number);
  }
  entryRows[A] = appStart[A] as number;
}

/**
 * The ranking deferred acceptance works best with: rows in processing order. On two threads the
 * helper numbers the rows while this thread does the lottery pass and the score keys.
 */
export function rankForAllocation(inst: Instance, options: { parallelMin?: number } = {}): Ranking {
  const parallelMin = options.parallelMin ?? PARALLEL_MIN;
  const helper = inst.appCompetition.length >= parallelMin ? RankHelper.get() : null;
  if (!helper) return rankApplications(inst, { rows: processingOrder(inst), parallelMin });
  const A = inst.applicantCount;
  const shared = {
    appStart: copyScratch(inst.appStart, 'appStart'),
    appCompetition: copyScratch(inst.appCompetition, 'appCompetition'),
  };
  const rows: Rows = { order: sharedInt32(A), entryRows: sharedInt32(A + 1), rowStart: sharedInt32(A) };
  const numbering = helper.numberRows(shared.appStart, shared.appCompetition, inst.revertsTo, inst.capacity, rows);
  return rankApplications(inst, {
    parallelMin,
    rows: () => (numbering.done() ? rows : processingOrder(inst)),
    shared,
  });
}

/** The applications' own numbering: applicants in index order, row = application index. */
export function identityRows(inst: Instance): Rows {
  const order = new Int32Array(inst.applicantCount);
  for (let a = 0; a < order.length; a++) order[a] = a;
  return { order, entryRows: inst.appStart, rowStart: inst.appStart.subarray(0, inst.applicantCount) };
}

export interface Ranking {
  /** Rows (see `rows`) grouped by competition (CSR by `compStart`), best first. */
  byComp: Int32Array;
  compStart: Int32Array;
  /**
   * The proposal table of deferred acceptance: per row, two words: its competition `c`
   * (bitwise-negated, `~c`, for the last application of its applicant's list) and its position in
   * `byComp` (`compStart[c]` + its rank within the competition, 0 the best). Interleaved so that a
   * proposal reads one cache line.
   */
  table: Int32Array;
  /** The numbering of the rows. */
  rows: Rows;
}

/** Per row of the ranking, its application index in the instance. */
export function applicationOfRow(inst: Instance, ranking: Ranking): Int32Array {
  const { order, entryRows } = ranking.rows;
  const { appStart } = inst;
  const app = new Int32Array(ranking.byComp.length);
  for (let i = 0; i < order.length; i++) {
    const a = order[i] as number;
    const first = appStart[a] as number;
    const e = entryRows[i + 1] as number;
    for (let row = entryRows[i] as number; row < e; row++) app[row] = first + row - (entryRows[i] as number);
  }
  return app;
}

/** The ranking in rows from a ranking in application indices (`byComp`) and each application's rank. */
function inRows(inst: Instance, rows: Rows, byComp: Int32Array, compStart: Int32Array, rank: Int32Array): Ranking {
  const { appStart, appCompetition } = inst;
  const n = appCompetition.length;
  const table = new Int32Array(2 * n);
  const rowOf = new Int32Array(n);
  for (let a = 0; a < inst.applicantCount; a++) {
    const s = appStart[a] as number;
    const e = appStart[a + 1] as number;
    const r0 = rows.rowStart[a] as number;
    for (let app = s; app < e; app++) {
      const row = r0 + app - s;
      const c = appCompetition[app] as number;
      rowOf[app] = row;
      table[2 * row] = app === e - 1 ? ~c : c;
      table[2 * row + 1] = (compStart[c] as number) + (rank[app] as number);
    }
  }
  const byRow = new Int32Array(n);
  for (let g = 0; g < n; g++) byRow[g] = rowOf[byComp[g] as number] as number;
  return { byComp: byRow, compStart, table, rows };
}

/** Compiled object input: the instance plus the id tables and drawn lotteries. */
export interface Compiled {
  instance: Instance;
  applicantIds: string[];
  competitionIds: string[];
  /** Drawn lottery per applicant index, NaN when the applicant carried lotteries. */
  drawn: Float64Array;
  /** Index in `input.applications` of each application of the instance (instance order). */
  inputIndex: Int32Array;
  /** Score width of each competition's applications (the instance width when it has none). */
  competitionWidth: Int32Array;
}

export const DEFAULT_SEED = 20260101;

/** Applications from which the ranking uses a second thread (below, starting it costs more than it saves). */
export const PARALLEL_MIN = 500_000;

/** mulberry32: small, fast, good enough for a lottery permutation. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cmpStr = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

/** The competitions interned in sorted-id order, with their capacities and reversions. */
function compileCompetitions(competitions: AllocationInput['competitions']) {
  const competitionIds = competitions.map((c) => c.id).sort(cmpStr);
  const compIndex = new Map<string, number>();
  for (const [i, id] of competitionIds.entries()) compIndex.set(id, i);
  const C = competitionIds.length;
  const capacity = new Int32Array(C);
  const revertsTo = new Int32Array(C).fill(-1);
  for (const c of competitions) {
    const i = compIndex.get(c.id) as number;
    capacity[i] = c.capacity;
    if (c.revertsTo !== undefined) {
      const t = compIndex.get(c.revertsTo);
      if (t === undefined) throw new Error(`competition ${c.id}: revertsTo unknown competition ${c.revertsTo}`);
      revertsTo[i] = t;
    }
  }
  return { competitionIds, compIndex, capacity, revertsTo };
}

/** Engine input given as columns, one entry per application (see `compileColumns`). */
export interface Columns {
  competitions: AllocationInput['competitions'];
  /** The applicants, each with at least one application. */
  applicantIds: readonly string[];
  /** Applicant `a`'s applications are `appStart[a] .. appStart[a + 1] - 1`. */
  appStart: Int32Array;
  competition: readonly string[];
  priority: ArrayLike<number>;
  score: readonly (readonly number[])[];
  lottery: ArrayLike<number>;
}

/**
 * `compile` for input already in the engine's order: applicants by increasing id (as `compile`
 * interns them), each one's applications by increasing priority, every application with a lottery
 * number. No object per application and no map lookup per applicant. The instance's applications
 * are the columns' entries in the same order (`inputIndex` is the identity), so the object input
 * listing them in that order compiles to the same instance. Null when the columns are not in that
 * order (then build the object input and use `compile`).
 */
export function compileColumns(columns: Columns): Compiled | null {
  const { applicantIds, appStart, competition, priority, score, lottery } = columns;
  const A = applicantIds.length;
  const n = competition.length;
  if (appStart.length !== A + 1 || appStart[0] !== 0 || appStart[A] !== n) return null;
  for (let a = 0; a < A; a++) {
    if (a > 0 && cmpStr(applicantIds[a - 1] as string, applicantIds[a] as string) >= 0) return null;
    const s = appStart[a] as number;
    const e = appStart[a + 1] as number;
    if (e <= s) return null;
    for (let p = s + 1; p < e; p++) if (!((priority[p - 1] as number) < (priority[p] as number))) return null;
  }
  for (let p = 0; p < n; p++) if (!Number.isFinite(lottery[p] as number)) return null;
  const { competitionIds, compIndex, capacity, revertsTo } = compileCompetitions(columns.competitions);
  const C = competitionIds.length;
  let scoreWidth = 0;
  for (let p = 0; p < n; p++) scoreWidth = Math.max(scoreWidth, (score[p] as readonly number[]).length);
  const appCompetition = new Int32Array(n);
  const scores = new Float64Array(n * scoreWidth);
  const competitionWidth = new Int32Array(C).fill(scoreWidth);
  for (let p = 0; p < n; p++) {
    const c = compIndex.get(competition[p] as string);
    if (c === undefined) throw new Error(`application ${p}: unknown competition ${competition[p]}`);
    appCompetition[p] = c;
    const tuple = score[p] as readonly number[];
    competitionWidth[c] = tuple.length;
    for (let j = 0; j < tuple.length; j++) scores[p * scoreWidth + j] = tuple[j] as number;
  }
  const inputIndex = new Int32Array(n);
  for (let p = 0; p < n; p++) inputIndex[p] = p;
  return {
    instance: {
      applicantCount: A,
      competitionCount: C,
      capacity,
      revertsTo,
      appStart,
      appCompetition,
      scoreWidth,
      scores,
      lottery: Float64Array.from(lottery),
    },
    applicantIds: [...applicantIds],
    competitionIds,
    competitionWidth,
    drawn: new Float64Array(A).fill(Number.NaN),
    inputIndex,
  };
}

/**
 * Turns validated object input into an `Instance`. Independent of the order of the input lines:
 * applicants and competitions are interned in sorted-id order, and the applicants without a lottery,
 * taken in sorted-id order, receive a seeded random permutation of 1..k (one number per applicant,
 * for all their applications).
 */
export function compile(input: AllocationInput, options: AllocationOptions = {}): Compiled {
  const { competitionIds, compIndex, capacity, revertsTo } = compileCompetitions(input.competitions);
  const C = competitionIds.length;

  // Applicants interned in order of first appearance (one lookup per application), then renumbered
  // in sorted-id order.
  const n = input.applications.length;
  const seen = new Map<string, number>();
  const firstIds: string[] = [];
  const appApplicant = new Int32Array(n);
  const priority = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const app = input.applications[k] as AllocationInput['applications'][number];
    let a = seen.get(app.applicant);
    if (a === undefined) {
      a = firstIds.length;
      seen.set(app.applicant, a);
      firstIds.push(app.applicant);
    }
    appApplicant[k] = a;
    priority[k] = app.priority;
  }
  const A = firstIds.length;
  const byId = Array.from({ length: A }, (_, i) => i).sort((x, y) =>
    cmpStr(firstIds[x] as string, firstIds[y] as string),
  );
  const applicantIds = byId.map((i) => firstIds[i] as string);
  const renumber = new Int32Array(A);
  byId.forEach((i, a) => {
    renumber[i] = a;
  });

  // Order applications by (applicant index, priority).
  const order = new Int32Array(n);
  const appStart = new Int32Array(A + 1);
  for (let k = 0; k < n; k++) {
    const a = renumber[appApplicant[k] as number] as number;
    appApplicant[k] = a;
    appStart[a + 1] = (appStart[a + 1] as number) + 1;
  }
  for (let a = 0; a < A; a++) appStart[a + 1] = (appStart[a + 1] as number) + (appStart[a] as number);
  const fill = appStart.slice(0, A);
  for (let k = 0; k < n; k++) {
    const a = appApplicant[k] as number;
    const pos = fill[a] as number;
    order[pos] = k;
    fill[a] = pos + 1;
  }
  // Each applicant's list by priority: insertion sort (lists are short; priorities are distinct).
  for (let a = 0; a < A; a++) {
    const s = appStart[a] as number;
    const e = appStart[a + 1] as number;
    for (let i = s + 1; i < e; i++) {
      const k = order[i] as number;
      const pk = priority[k] as number;
      let j = i - 1;
      while (j >= s && (priority[order[j] as number] as number) > pk) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = k;
    }
  }

  let scoreWidth = 0;
  for (const app of input.applications) scoreWidth = Math.max(scoreWidth, app.score.length);
  const appCompetition = new Int32Array(n);
  const scores = new Float64Array(n * scoreWidth);
  const lottery = new Float64Array(n).fill(Number.NaN);

  // Draw lotteries for the applicants who carry none (all their applications lack it).
  const needsDraw = new Uint8Array(A);
  for (let k = 0; k < n; k++) {
    if (input.applications[k]?.lottery === undefined) needsDraw[appApplicant[k] as number] = 1;
  }
  const drawn = new Float64Array(A).fill(Number.NaN);
  const drawers: number[] = [];
  for (let a = 0; a < A; a++) if (needsDraw[a]) drawers.push(a);
  if (drawers.length) {
    const rnd = mulberry32(options.seed ?? DEFAULT_SEED);
    const perm = drawers.map((_, i) => i + 1);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      const t = perm[i] as number;
      perm[i] = perm[j] as number;
      perm[j] = t;
    }
    drawers.forEach((a, i) => {
      drawn[a] = perm[i] as number;
    });
  }

  // Score width per competition (tuples are padded to the instance width; widths agree within one).
  const competitionWidth = new Int32Array(C).fill(scoreWidth);
  for (let pos = 0; pos < n; pos++) {
    const k = order[pos] as number;
    const app = input.applications[k];
    if (!app) continue;
    const c = compIndex.get(app.competition);
    if (c === undefined) throw new Error(`application of ${app.applicant}: unknown competition ${app.competition}`);
    appCompetition[pos] = c;
    competitionWidth[c] = app.score.length;
    for (let j = 0; j < app.score.length; j++) scores[pos * scoreWidth + j] = app.score[j] as number;
    const a = appApplicant[k] as number;
    // An applicant with a drawn number uses it for every application (single tie-breaking).
    lottery[pos] = Number.isNaN(drawn[a] as number) ? (app.lottery as number) : (drawn[a] as number);
  }

  return {
    instance: {
      applicantCount: A,
      competitionCount: C,
      capacity,
      revertsTo,
      appStart,
      appCompetition,
      scoreWidth,
      scores,
      lottery,
    },
    applicantIds,
    competitionIds,
    competitionWidth,
    drawn,
    inputIndex: order,
  };
}

/**
 * Dense integer keys for one column of values: equal values get equal keys and the key order follows
 * the value order (ascending, or descending when `descending`). Integer columns with a small range
 * use `value - min` directly; others go through a sorted table of distinct values.
 */
function denseKeys(
  n: number,
  values: Float64Array,
  offset: number,
  stride: number,
  descending: boolean,
): { keys: Int32Array; count: number } {
  const keys = new Int32Array(n);
  const value = (i: number) => values[offset + i * stride] as number;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const v = values[offset + i * stride] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (n === 0) return { keys, count: 1 };
  if (integral && max - min <= Math.max(4 * n, 1 << 16)) {
    if (descending) for (let i = 0; i < n; i++) keys[i] = max - (values[offset + i * stride] as number);
    else for (let i = 0; i < n; i++) keys[i] = (values[offset + i * stride] as number) - min;
    return { keys, count: max - min + 1 };
  }
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) sorted[i] = value(i);
  sorted.sort();
  let d = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[d - 1]) sorted[d++] = sorted[i] as number;
  const distinct = sorted.subarray(0, d);
  for (let i = 0; i < n; i++) {
    const v = value(i);
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((distinct[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    keys[i] = descending ? d - 1 - lo : lo;
  }
  return { keys, count: d };
}

/**
 * Score keys of a one-column instance, in descending score order: when the scores are integers in a
 * narrow range, the key of a score is `top - score` and is not materialized (`keys` null: computed
 * where it is used); otherwise the keys of `denseKeys`.
 */
function scoreKeys(n: number, scores: Float64Array): { keys: Int32Array | null; top: number; count: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let integral = true;
  for (let i = 0; i < n; i++) {
    const v = scores[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integral && !Number.isInteger(v)) integral = false;
  }
  if (n > 0 && integral && max - min <= Math.max(4 * n, 1 << 16)) return { keys: null, top: max, count: max - min + 1 };
  const col = denseKeys(n, scores, 0, 1, true);
  return { keys: col.keys, top: 0, count: col.count };
}

/** Stable counting sort of `order` (a permutation of application indices) by `keys[app]`. */
function countingPass(order: Int32Array, keys: Int32Array, count: number, out: Int32Array): void {
  const bucket = new Int32Array(count + 1);
  const n = order.length;
  for (let i = 0; i < n; i++) {
    const k = keys[order[i] as number] as number;
    bucket[k + 1] = (bucket[k + 1] as number) + 1;
  }
  for (let k = 0; k < count; k++) bucket[k + 1] = (bucket[k + 1] as number) + (bucket[k] as number);
  for (let i = 0; i < n; i++) {
    const app = order[i] as number;
    const k = keys[app] as number;
    const p = bucket[k] as number;
    out[p] = app;
    bucket[k] = p + 1;
  }
}

/**
 * Ranks every application within its competition ONCE: score tuple (higher first, lexicographic),
 * then lottery (lower first), then applicant index. LSD radix sort: start from applicant order, then
 * stable counting passes by lottery, by each score column from the last to the first, and finally by
 * competition, the last two done as a scatter by competition plus a counting sort by the first
 * score column inside each competition's segment (global passes when that column's key range is wide).
 * O(width × applications) plus the dense-key tables.
 *
 * When every applicant carries one lottery number for all their applications (always the case for
 * drawn lotteries), the lottery pass sorts the applicants instead of the applications and then emits
 * each applicant's applications in index order, which is the same stable order.
 *
 * The result is expressed in rows (see `Rows`; by default the applications' own numbering).
 */
export function rankApplications(
  inst: Instance,
  options: {
    parallelMin?: number;
    /** The rows' numbering (default: the identity), or a function that gives it once it is needed. */
    rows?: Rows | (() => Rows);
    /** Shared copies of the instance's `appStart` and `appCompetition`, if the caller has them. */
    shared?: { appStart: Int32Array; appCompetition: Int32Array };
  } = {},
): Ranking {
  let given = options.rows;
  const rows = () => {
    if (typeof given === 'function') given = given();
    return given ?? identityRows(inst);
  };
  const n = inst.appCompetition.length;
  const A = inst.applicantCount;
  const C = inst.competitionCount;
  const { appStart, appCompetition, lottery } = inst;
  let order: Int32Array;
  let spare: Int32Array;

  // Lottery pass.
  let perApplicant = true;
  for (let a = 0; a < A && perApplicant; a++) {
    const s = appStart[a] as number;
    const e = appStart[a + 1] as number;
    const v = lottery[s] as number;
    for (let p = s + 1; p < e; p++) {
      if (lottery[p] !== v) {
        perApplicant = false;
        break;
      }
    }
  }
  if (perApplicant) {
    const applicantLottery = new Float64Array(A);
    for (let a = 0; a < A; a++) {
      const s = appStart[a] as number;
      applicantLottery[a] = s < (appStart[a + 1] as number) ? (lottery[s] as number) : 0;
    }
    const lot = denseKeys(A, applicantLottery, 0, 1, false);
    const keys = lot.keys;
    // tie[a]: the position of applicant a in lottery order. When the numbers are a permutation of
    // consecutive integers (drawn lotteries are 1..k), that is the key itself: checked on a bitmap,
    // which stays in cache where the counting sort's buckets would not.
    let tie = keys;
    let permutation = lot.count === A;
    if (permutation) {
      const seen = new Int32Array((A >>> 5) + 1);
      for (let a = 0; a < A && permutation; a++) {
        const k = keys[a] as number;
        const word = seen[k >>> 5] as number;
        if (word & (1 << (k & 31))) permutation = false;
        seen[k >>> 5] = word | (1 << (k & 31));
      }
    }
    if (!permutation) {
      const bucket = new Int32Array(lot.count + 1);
      for (let a = 0; a < A; a++) {
        const k = keys[a] as number;
        bucket[k + 1] = (bucket[k + 1] as number) + 1;
      }
      for (let k = 0; k < lot.count; k++) bucket[k + 1] = (bucket[k + 1] as number) + (bucket[k] as number);
      tie = new Int32Array(A);
      for (let a = 0; a < A; a++) {
        const k = keys[a] as number;
        const p = bucket[k] as number;
        tie[a] = p;
        bucket[k] = p + 1;
      }
    }
    if (inst.scoreWidth <= 1) {
      const fused = rankByApplicantOrder(inst, rows, tie, options.parallelMin ?? PARALLEL_MIN, options.shared);
      if (fused) return fused;
    }
    const applicantOrder = new Int32Array(A);
    for (let a = 0; a < A; a++) applicantOrder[tie[a] as number] = a;
    order = new Int32Array(n);
    spare = new Int32Array(n);
    let i = 0;
    for (let q = 0; q < A; q++) {
      const a = applicantOrder[q] as number;
      const e = appStart[a + 1] as number;
      for (let p = appStart[a] as number; p < e; p++) order[i++] = p;
    }
  } else {
    order = new Int32Array(n);
    spare = new Int32Array(n);
    for (let i = 0; i < n; i++) spare[i] = i;
    const lot = denseKeys(n, lottery, 0, 1, false);
    countingPass(spare, lot.keys, lot.count, order);
  }

  const W = inst.scoreWidth;
  for (let j = W - 1; j >= 1; j--) {
    const col = denseKeys(n, inst.scores, j, W, true);
    countingPass(order, col.keys, col.count, spare);
    const t = order;
    order = spare;
    spare = t;
  }
  const compStart = new Int32Array(C + 1);
  for (let i = 0; i < n; i++) {
    const c = appCompetition[i] as number;
    compStart[c + 1] = (compStart[c + 1] as number) + 1;
  }
  for (let c = 0; c < C; c++) compStart[c + 1] = (compStart[c + 1] as number) + (compStart[c] as number);
  const rank = new Int32Array(n);
  const col = W >= 1 ? denseKeys(n, inst.scores, 0, W, true) : null;
  if (col && (col.count > 4096 || C * col.count > 0x7fffffff)) {
    // Wide key range: global stable passes by the first score column, then by competition.
    countingPass(order, col.keys, col.count, spare);
    countingPass(spare, appCompetition, C, order);
    for (let c = 0; c < C; c++) {
      const s = compStart[c] as number;
      const e = compStart[c + 1] as number;
      for (let p = s; p < e; p++) rank[order[p] as number] = p - s;
    }
    return inRows(inst, rows(), order, compStart, rank);
  }
  // Stable scatter by competition in two short-fan-out stages (groups of competitions, then
  // competitions), carrying the packed (competition, first-column key) along, then a stable counting
  // sort by that key inside each competition's segment (small, cache-resident).
  const keys = col ? col.keys : new Int32Array(n);
  const count = col ? col.count : 1;
  const spareKey = new Int32Array(n);
  const tmpKey = new Int32Array(n);
  let shift = 0;
  while ((C - 1) >> shift >= 64) shift++;
  const groups = ((C - 1) >> shift) + 1;
  const gfill = new Int32Array(groups);
  for (let g = 0; g < groups; g++) gfill[g] = compStart[Math.min(C, g << shift)] as number;
  for (let i = 0; i < n; i++) {
    const app = order[i] as number;
    const c = appCompetition[app] as number;
    const g = c >> shift;
    const p = gfill[g] as number;
    spare[p] = app;
    tmpKey[p] = c * count + (keys[app] as number);
    gfill[g] = p + 1;
  }
  const fill = compStart.slice(0, C);
  for (let i = 0; i < n; i++) {
    const ck = tmpKey[i] as number;
    const c = (ck / count) | 0;
    const p = fill[c] as number;
    order[p] = spare[i] as number;
    spareKey[p] = ck - c * count;
    fill[c] = p + 1;
  }
  const t = order;
  order = spare;
  spare = t;
  const bucket = new Int32Array(count + 1);
  for (let c = 0; c < C; c++) {
    const s = compStart[c] as number;
    const e = compStart[c + 1] as number;
    bucket.fill(0);
    for (let p = s; p < e; p++) {
      const k = spareKey[p] as number;
      bucket[k + 1] = (bucket[k + 1] as number) + 1;
    }
    bucket[0] = s;
    for (let k = 0; k < count; k++) bucket[k + 1] = (bucket[k + 1] as number) + (bucket[k] as number);
    for (let p = s; p < e; p++) {
      const k = spareKey[p] as number;
      const q = bucket[k] as number;
      const app = spare[p] as number;
      order[q] = app;
      rank[app] = q - s;
      bucket[k] = q + 1;
    }
  }
  return inRows(inst, rows(), order, compStart, rank);
}

/**
 * `rankApplications` when the lottery is per applicant and scores have one column with a narrow key
 * range (null otherwise). Random reads are what costs here, so every pass reads sequentially:
 * `tie[a]` is the position of applicant `a` in lottery order (the full tie-break), applications are
 * scattered in application order into their competitions (in two short-fan-out stages) as their rows,
 * carrying the packed key `scoreKey * A + tie` (distinct per applicant, so the order is total up to
 * applications of one applicant, kept in index order by stability), and each competition's segment,
 * which is small and cache-resident, is sorted by that key (insertion sort when short, else an LSD
 * radix sort).
 *
 * Large instances are ranked on two threads (see `RankHelper`). The scatter is split by applicants:
 * each competition's segment has a part for the applications of the first half of the applicants
 * (this thread) followed by a part for the second half (the helper), so the two scatter into disjoint
 * places and the segment still comes out in application order. Once both have scattered, the sort
 * is split by competitions: this thread sorts those holding the first half of the applications.
 */
function rankByApplicantOrder(
  inst: Instance,
  getRows: () => Rows,
  applicantTie: Int32Array,
  parallelMin: number,
  shared: { appStart: Int32Array; appCompetition: Int32Array } | undefined,
): Ranking | null {
  const n = inst.appCompetition.length;
  const A = inst.applicantCount;
  const C = inst.competitionCount;
  const { appStart, appCompetition } = inst;
  const sk = inst.scoreWidth === 1 ? scoreKeys(n, inst.scores) : { keys: new Int32Array(n), top: 0, count: 1 };
  const { count, top } = sk;
  if (count > 4096 || count * Math.max(A, 1) > 0x7fffffff) return null;
  const keys = sk.keys;
  // The rows first: waiting for them may find the helper failed, and then it must not be used.
  const rows = getRows();
  const helper = n >= parallelMin ? RankHelper.get() : null;
  // Two threads: what is returned lives in fresh shared memory, the rest in the kept scratch memory.
  const int32 = helper ? sharedInt32 : (length: number) => new Int32Array(length);
  const work = helper ? scratchInt32 : (length: number) => new Int32Array(length);
  // The applicant split (this thread: applicants before aSplit) and the counts per competition.
  let aSplit = A;
  if (helper) {
    let lo = 0;
    let hi = A;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((appStart[mid] as number) < n >>> 1) lo = mid + 1;
      else hi = mid;
    }
    aSplit = lo;
  }
  const pSplit = appStart[aSplit] as number;
  const compStart = int32(C + 1);
  const firstPart = work(C, 'firstPart').fill(0);
  for (let p = 0; p < pSplit; p++) {
    const c = appCompetition[p] as number;
    firstPart[c] = (firstPart[c] as number) + 1;
  }
  for (let p = pSplit; p < n; p++) {
    const c = appCompetition[p] as number;
    compStart[c + 1] = (compStart[c + 1] as number) + 1;
  }
  for (let c = 0; c < C; c++)
    compStart[c + 1] = (compStart[c + 1] as number) + (firstPart[c] as number) + (compStart[c] as number);
  const own: RankInput = {
    appStart,
    appCompetition,
    keys,
    scores: keys ? null : inst.scores,
    top,
    kBase: 0,
    tie: applicantTie,
    rowStart: rows.rowStart,
    aBase: 0,
    pBase: 0,
  };
  const arrays: RankArrays = {
    A,
    compStart,
    firstPart,
    byComp: work(n, 'byComp'),
    spare: int32(n),
    tmpKey: work(n, 'tmpKey'),
    segKey: work(n, 'segKey'),
    // A competition's index within its group of at most 64: 8 bits up to 16,384 competitions.
    low:
      C <= 1 << 14
        ? helper
          ? new Uint8Array(scratch('low', n), 0, n)
          : new Uint8Array(n)
        : helper
          ? new Uint16Array(scratch('low', 2 * n), 0, n)
          : new Uint16Array(n),
    table: int32(2 * n),
  };
  if (!helper) {
    scatterApplicants(own, arrays, 0, A, 0);
    sortCompetitions(arrays, count, 0, C);
  } else {
    // Sorting costs per competition about its length plus the radix passes' fixed cost: half each.
    const { passes, radix } = radixDigits(count * A);
    const cost = (c: number) => {
      const m = (compStart[c + 1] as number) - (compStart[c] as number);
      return m <= 32 ? 4 * m : passes * (radix + 3 * m);
    };
    let total = 0;
    for (let c = 0; c < C; c++) total += cost(c);
    let cSplit = 0;
    for (let acc = 0; cSplit < C && 2 * (acc + cost(cSplit)) <= total; cSplit++) acc += cost(cSplit);
    // The helper's score keys (of the second half of the applications), then its other input: shared
    // copies of the second half of the applicants' arrays, or of all of them when the caller shares
    // the instance's already (and the rows' numbering is shared memory).
    let helperKeys: Int32Array;
    if (keys) helperKeys = copyScratch(keys.subarray(pSplit), 'keys');
    else {
      helperKeys = scratchInt32(n - pSplit, 'keys');
      const { scores } = inst;
      for (let p = pSplit; p < n; p++) helperKeys[p - pSplit] = top - (scores[p] as number);
    }
    const input: RankInput =
      shared && rows.rowStart.buffer instanceof SharedArrayBuffer
        ? {
            appStart: shared.appStart,
            appCompetition: shared.appCompetition,
            keys: helperKeys,
            scores: null,
            top,
            kBase: pSplit,
            tie: copyScratch(applicantTie, 'tie'),
            rowStart: rows.rowStart,
            aBase: 0,
            pBase: 0,
          }
        : {
            appStart: copyScratch(appStart.subarray(aSplit), 'appStart'),
            appCompetition: copyScratch(appCompetition.subarray(pSplit), 'appCompetition'),
            keys: helperKeys,
            scores: null,
            top,
            kBase: pSplit,
            tie: copyScratch(applicantTie.subarray(aSplit), 'tie'),
            rowStart: copyScratch(rows.rowStart.subarray(aSplit), 'rowStart'),
            aBase: aSplit,
            pBase: pSplit,
          };
    const helping = helper.start(input, arrays, count, aSplit, cSplit);
    scatterApplicants(own, arrays, 0, aSplit, 0);
    if (!helping.scattered()) scatterApplicants(own, arrays, aSplit, A, 1);
    sortCompetitions(arrays, count, 0, cSplit);
    if (!helping.sorted()) sortCompetitions(arrays, count, cSplit, C);
  }
  // The ranked order ends up in `spare` (see `sortCompetitions`).
  return { byComp: arrays.spare, compStart, table: arrays.table, rows };
}

const sharedInt32 = (length: number) => new Int32Array(new SharedArrayBuffer(4 * length));

/**
 * Scratch shared memory of the two-thread ranking, kept from one ranking to the next (and grown when
 * an instance needs more): allocating and first touching fresh memory costs as much as a pass over
 * it, and memory the helper thread has seen is freed only when that thread collects garbage.
 */
const scratchMemory = new Map<string, SharedArrayBuffer>();
function scratch(name: string, bytes: number): SharedArrayBuffer {
  let memory = scratchMemory.get(name);
  if (!memory || memory.byteLength < bytes) {
    memory = new SharedArrayBuffer(bytes);
    scratchMemory.set(name, memory);
  }
  return memory;
}
const scratchInt32 = (length: number, name: string) => new Int32Array(scratch(name, 4 * length), 0, length);
const copyScratch = (a: Int32Array, name: string) => {
  const out = scratchInt32(a.length, name);
  out.set(a);
  return out;
};

/**
 * What a thread reads to scatter applicants (see `scatterApplicants`): of applicants `aBase ..` and
 * applications `pBase ..`, their `appStart` (shifted: entry `a - aBase`), competition, score key, and
 * the applicants' positions in lottery order.
 */
interface RankInput {
  appStart: Int32Array;
  appCompetition: Int32Array;
  /** Score keys of applications `kBase ..`, or null: then the key of a score is `top - score`. */
  keys: Int32Array | null;
  scores: Float64Array | null;
  top: number;
  kBase: number;
  tie: Int32Array;
  /** First row of each applicant (see `Rows`). */
  rowStart: Int32Array;
  aBase: number;
  pBase: number;
}

/** What both threads write (each in its own parts) and the layout they share. */
interface RankArrays {
  /** Applicants in the whole instance. */
  A: number;
  compStart: Int32Array;
  /** Per competition: its applications from the applicants before the split (the first part of its segment). */
  firstPart: Int32Array;
  byComp: Int32Array;
  spare: Int32Array;
  tmpKey: Int32Array;
  segKey: Int32Array;
  low: Uint8Array | Uint16Array;
  table: Int32Array;
}

/**
 * Scatters the applications of applicants `a0 .. a1 - 1` into part `part` (0 or 1) of their
 * competitions' segments of `byComp` (their rows) and `segKey` (packed keys), through the same part
 * of each group's range in `spare`, `tmpKey` and `low`, and writes their competition words of the
 * proposal table. Writes nothing else.
 * Self-contained (no outside names but `Math`): the helper thread runs its source text.
 */
function scatterApplicants(input: RankInput, arrays: RankArrays, a0: number, a1: number, part: number): void {
  const { appStart, appCompetition, keys, scores, top, kBase, tie, rowStart, aBase, pBase } = input;
  const { A, compStart, firstPart, byComp, spare, tmpKey, segKey, low, table } = arrays;
  const C = compStart.length - 1;
  if (C <= 0) return;
  let shift = 0;
  while ((C - 1) >> shift >= 64) shift++;
  const groups = ((C - 1) >> shift) + 1;
  // Where this part of each group and of each competition starts, and where the group's part ends.
  const gfill = new Int32Array(groups);
  const gend = new Int32Array(groups);
  const fill = new Int32Array(C);
  for (let g = 0; g < groups; g++) {
    const cs = g << shift;
    const ce = Math.min(C, cs + (1 << shift));
    let first = 0;
    for (let c = cs; c < ce; c++) first += firstPart[c] as number;
    gfill[g] = (compStart[cs] as number) + (part ? first : 0);
    gend[g] = part ? (compStart[ce] as number) : (compStart[cs] as number) + first;
  }
  for (let c = 0; c < C; c++) fill[c] = (compStart[c] as number) + (part ? (firstPart[c] as number) : 0);
  const gstart = gfill.slice();
  // Stage 1: by group of competitions, into spare (application), tmpKey (packed key), low (competition within group).
  const lowMask = (1 << shift) - 1;
  for (let a = a0; a < a1; a++) {
    const s = appStart[a - aBase] as number;
    const e = appStart[a + 1 - aBase] as number;
    const t = tie[a - aBase] as number;
    const shiftRow = (rowStart[a - aBase] as number) - s;
    for (let p = s; p < e; p++) {
      const c = appCompetition[p - pBase] as number;
      const g = c >> shift;
      const i = gfill[g] as number;
      const row = p + shiftRow;
      spare[i] = row;
      const key = keys !== null ? (keys[p - kBase] as number) : top - ((scores as Float64Array)[p - kBase] as number);
      tmpKey[i] = key * A + t;
      low[i] = c & lowMask;
      gfill[g] = i + 1;
      table[2 * row] = p === e - 1 ? ~c : c;
    }
  }
  // Stage 2: by competition, into byComp and segKey.
  for (let g = 0; g < groups; g++) {
    const gc = g << shift;
    const e = gend[g] as number;
    for (let i = gstart[g] as number; i < e; i++) {
      const c = gc | (low[i] as number);
      const p = fill[c] as number;
      byComp[p] = spare[i] as number;
      segKey[p] = tmpKey[i] as number;
      fill[c] = p + 1;
    }
  }
}

/**
 * Sorts the segments of competitions `c0 .. c1 - 1` (once both parts are scattered): a stable LSD
 * radix sort of (segKey, byComp) by segKey, cache-resident, into `spare`, and writes their positions
 * into the proposal table.
 * Writes nothing outside these segments. Self-contained, like `scatterApplicants`.
 */
function sortCompetitions(arrays: RankArrays, count: number, c0: number, c1: number): void {
  const { A, compStart, byComp, spare, tmpKey, segKey, table } = arrays;
  // The radix passes over keys below count * A: digits of at most 10 bits (as `radixDigits`).
  const bitsNeeded = 32 - Math.clz32(Math.max(1, count * A - 1));
  const passes = Math.max(1, Math.ceil(bitsNeeded / 10));
  const digit = Math.ceil(bitsNeeded / passes);
  const radix = 1 << digit;
  const dmask = radix - 1;
  const bucket = new Int32Array(radix);
  for (let c = c0; c < c1; c++) {
    const s = compStart[c] as number;
    const e = compStart[c + 1] as number;
    let srcApp: Int32Array = byComp;
    let srcKey: Int32Array = segKey;
    let dstApp: Int32Array = spare;
    let dstKey: Int32Array = tmpKey;
    if (e - s <= 32) {
      for (let i = s; i < e; i++) {
        const k = segKey[i] as number;
        const app = byComp[i] as number;
        let j = i - 1;
        while (j >= s && (tmpKey[j] as number) > k) {
          tmpKey[j + 1] = tmpKey[j] as number;
          spare[j + 1] = spare[j] as number;
          j--;
        }
        tmpKey[j + 1] = k;
        spare[j + 1] = app;
      }
    } else {
      for (let pass = 0; pass < passes; pass++) {
        const sh = pass * digit;
        bucket.fill(0);
        for (let i = s; i < e; i++) {
          const d = ((srcKey[i] as number) >>> sh) & dmask;
          bucket[d] = (bucket[d] as number) + 1;
        }
        let acc = s;
        for (let d = 0; d < radix; d++) {
          const v = bucket[d] as number;
          bucket[d] = acc;
          acc += v;
        }
        for (let i = s; i < e; i++) {
          const k = srcKey[i] as number;
          const d = (k >>> sh) & dmask;
          const q = bucket[d] as number;
          dstKey[q] = k;
          dstApp[q] = srcApp[i] as number;
          bucket[d] = q + 1;
        }
        const ta = srcApp;
        srcApp = dstApp;
        dstApp = ta;
        const tk = srcKey;
        srcKey = dstKey;
        dstKey = tk;
      }
      if (srcApp !== spare) spare.set(srcApp.subarray(s, e), s);
    }
    for (let q = s; q < e; q++) table[2 * (spare[q] as number) + 1] = q;
  }
}

/** The radix passes of `sortCompetitions` for keys below `range`: digits of at most 10 bits. */
function radixDigits(range: number): { passes: number; radix: number } {
  const bitsNeeded = 32 - Math.clz32(Math.max(1, range - 1));
  const passes = Math.max(1, Math.ceil(bitsNeeded / 10));
  return { passes, radix: 1 << Math.ceil(bitsNeeded / passes) };
}

/** A failure a test can inject into the helper's next step of a kind (`-exit`: its thread ends there). */
type HelperFailure = 'numbering' | 'scatter' | 'sort' | 'scatter-exit';

/** How many halves of a ranking the helper thread has done (see `RankHelper`). */
export const rankHelperHalvesDone = () => RankHelper.halvesDone;

/** For tests: whether the helper thread is in use, and making it fail its next step of a kind. */
export const rankHelperWorking = () => RankHelper.get() !== null;
export const failRankHelperStep = (step: HelperFailure) => RankHelper.get()?.failNext(step);
export const restartRankHelper = () => RankHelper.restart();

/**
 * Flags shared with the helper, per message (0 pending, 1 done, 2 failed or refused): who runs the
 * message (`CLAIM`: 1 the helper, 2 this thread, which then does everything itself), the helper's
 * scatter or numbering, this thread's scatter, the helper's sort.
 */
const CLAIM = 0;
const HELPER_SCATTERED = 1;
const MAIN_SCATTERED = 2;
const HELPER_SORTED = 3;
/** How long this thread waits for the helper to take a message before doing the work itself. */
const CLAIM_WAIT_MS = 10_000;
/** Applications from which the helper collects its garbage after a message (see `RankHelper`). */
const COLLECT_FROM = 200_000;
/** How long a step the helper has taken may last: far beyond any instance it is given. */
const STEP_WAIT_MS = 300_000;

/**
 * The second thread of the ranking: one worker thread, started on first use and kept (unreferenced,
 * so it never keeps the process alive). The call stays synchronous: each thread does its half of a
 * step and waits on shared flags for the other's before the next.
 *
 * Failures fall back to this thread without races: the helper takes each message by a
 * compare-and-swap on its `CLAIM` flag, and this thread gives up on a message only by winning that
 * swap (a helper that never started, or is stuck, then never touches the message). A half the helper
 * took and reported failed is redone here when redoing is safe (the scatter writes only its own
 * parts, from unchanged input); a failed sort, which works in place, fails the ranking instead.
 * The worker's error events cannot arrive while this thread waits, so nothing relies on them but
 * later calls. After each message of a large ranking the helper collects its garbage, so that the
 * shared memory it was shown (the returned ranking's included) is not kept alive by it until the
 * helper, which allocates little, happens to collect.
 */
class RankHelper {
  private static helper: RankHelper | null | undefined;
  private broken = false;

  private constructor(
    private readonly worker: Worker,
    /** Set to 2 by the helper when its thread exits (its 'exit' event cannot arrive while this one waits). */
    private readonly alive: Int32Array,
  ) {
    worker.unref();
    const stop = () => {
      this.broken = true;
    };
    worker.on('error', stop);
    worker.on('exit', stop);
  }

  /** Halves the helper thread has done since it started (for tests: proof that it works). */
  static halvesDone = 0;

  static get(): RankHelper | null {
    if (RankHelper.helper === undefined) {
      try {
        const source = `const { parentPort, workerData } = require('node:worker_threads');
process.on('exit', () => Atomics.store(workerData.alive, 0, 2));
const scatterApplicants = (${scatterApplicants.toString()});
const numberRows = (${numberRows.toString()});
const sortCompetitions = (${sortCompetitions.toString()});
let collect = () => {};
// Not where V8's flags are frozen (setting one there aborts the process).
const frozen = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('freeze-flags'));
if (!frozen) {
  try {
    require('node:v8').setFlagsFromString('--expose-gc');
    collect = require('node:vm').runInNewContext('gc');
  } catch {}
}
let failNext = null;
const step = (flags, at, work, name) => {
  let outcome = 1;
  try {
    if (failNext === name + '-exit') process.exit(0);
    if (failNext === name) {
      failNext = null;
      throw new Error('failure injected by a test');
    }
    work();
  } catch { outcome = 2; }
  Atomics.store(flags, at, outcome);
  Atomics.notify(flags, at);
  return outcome === 1;
};
const fail = (flags) => {
  for (const at of [${HELPER_SCATTERED}, ${HELPER_SORTED}]) {
    if (Atomics.compareExchange(flags, at, 0, 2) === 0) Atomics.notify(flags, at);
  }
};
const run = ({ numbering, input, arrays, count, aSplit, cSplit, flags }) => {
  if (numbering) {
    const { appStart, appCompetition, revertsTo, capacity, rows } = numbering;
    step(flags, ${HELPER_SCATTERED}, () => numberRows(appStart, appCompetition, revertsTo, capacity, rows), 'numbering');
    return;
  }
  const C = arrays.compStart.length - 1;
  if (!step(flags, ${HELPER_SCATTERED}, () => scatterApplicants(input, arrays, aSplit, arrays.A, 1), 'scatter')) return fail(flags);
  if (Atomics.wait(flags, ${MAIN_SCATTERED}, 0, ${STEP_WAIT_MS}) === 'timed-out') return fail(flags);
  if (Atomics.load(flags, ${MAIN_SCATTERED}) !== 1) return fail(flags);
  step(flags, ${HELPER_SORTED}, () => sortCompetitions(arrays, count, cSplit, C), 'sort');
};
parentPort.on('message', (message) => {
  if (message.failNext) {
    failNext = message.failNext;
    Atomics.store(message.flags, 0, 1);
    Atomics.notify(message.flags, 0);
    return;
  }
  const { flags, large } = message;
  if (Atomics.compareExchange(flags, ${CLAIM}, 0, 1) !== 0) return;
  try { run(message); } catch { fail(flags); }
  message = null;
  // After the listener returns: the message it was called with is then garbage too.
  if (large) setImmediate(collect);
});`;
        const alive = sharedInt32(1);
        RankHelper.helper = new RankHelper(new Worker(source, { eval: true, workerData: { alive } }), alive);
      } catch {
        RankHelper.helper = null;
      }
    }
    const helper = RankHelper.helper;
    return helper && !helper.broken ? helper : null;
  }

  /**
   * Waits for the helper's step flagged at `flags[at]` and says whether it did it. If the helper has
   * not taken the message after `CLAIM_WAIT_MS`, takes it back (false: this thread does it all).
   */
  private wait(flags: Int32Array, at: number): boolean {
    const since = performance.now();
    while (Atomics.load(flags, at) === 0) {
      const claimed = Atomics.load(flags, CLAIM) === 1;
      if (claimed && Atomics.load(this.alive, 0) === 2) {
        // The helper's thread ended in the middle of the step: it writes nothing more.
        this.broken = true;
        return false;
      }
      const waited = performance.now() - since;
      if (!claimed && waited >= CLAIM_WAIT_MS && Atomics.compareExchange(flags, CLAIM, 0, 2) === 0) {
        this.broken = true;
        return false;
      }
      if (claimed && waited >= STEP_WAIT_MS) {
        this.broken = true;
        Atomics.store(flags, MAIN_SCATTERED, 2);
        Atomics.notify(flags, MAIN_SCATTERED);
        throw new Error('the ranking helper thread did not finish its step');
      }
      Atomics.wait(flags, at, 0, claimed ? 1_000 : 50);
    }
    const ok = Atomics.load(flags, at) === 1;
    if (!ok) this.broken = true;
    return ok;
  }

  /** For tests: a new helper thread on next use (the old one is terminated). */
  static restart(): void {
    void RankHelper.helper?.worker.terminate();
    RankHelper.helper = undefined;
  }

  /** For tests: makes the helper fail its next step of this kind (the fallbacks' proof). */
  failNext(step: HelperFailure): void {
    const flags = sharedInt32(1);
    this.worker.postMessage({ failNext: step, flags });
    Atomics.wait(flags, 0, 0, STEP_WAIT_MS);
  }

  /** Starts numbering the rows (see `processingOrder`) into `rows`; `done` waits and says whether it did. */
  numberRows(
    appStart: Int32Array,
    appCompetition: Int32Array,
    revertsTo: Int32Array,
    capacity: Int32Array,
    rows: Rows,
  ): { done(): boolean } {
    const flags = sharedInt32(4);
    // No garbage collection after this one: the ranking's own message follows at once.
    this.worker.postMessage({ numbering: { appStart, appCompetition, revertsTo, capacity, rows }, flags });
    return { done: () => this.wait(flags, HELPER_SCATTERED) };
  }

  /**
   * Starts the helper on its halves: scattering applicants `aSplit ..` and sorting competitions
   * `cSplit ..`. `scattered` (call once this thread has scattered its half) says whether the helper
   * scattered its half (if not, the caller does it); `sorted` says whether the helper sorted its half
   * (if not: the helper never had the message, and the caller sorts it; a sort the helper started
   * and failed throws, since it cannot be redone).
   */
  start(
    input: RankInput,
    arrays: RankArrays,
    count: number,
    aSplit: number,
    cSplit: number,
  ): { scattered(): boolean; sorted(): boolean } {
    const flags = sharedInt32(4);
    const large = arrays.byComp.length >= COLLECT_FROM;
    this.worker.postMessage({ input, arrays, count, aSplit, cSplit, flags, large });
    let scatteredByHelper = false;
    return {
      scattered: () => {
        scatteredByHelper = this.wait(flags, HELPER_SCATTERED);
        if (scatteredByHelper) RankHelper.halvesDone++;
        // Lets the helper sort (or, if it failed, tells it to stop).
        Atomics.store(flags, MAIN_SCATTERED, scatteredByHelper ? 1 : 2);
        Atomics.notify(flags, MAIN_SCATTERED);
        return scatteredByHelper;
      },
      sorted: () => {
        if (!scatteredByHelper) return false;
        if (!this.wait(flags, HELPER_SORTED)) throw new Error('the ranking helper thread failed to sort its half');
        RankHelper.halvesDone++;
        return true;
      },
    };
  }
}
