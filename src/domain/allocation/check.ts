/**
 * Independent checker of an allocation result, O(total length of the preference lists × score width).
 * It shares no code with the engine: it works on the object input with maps and a direct comparator.
 */
import type { AllocationInput, AllocationResult, ApplicationInput } from './types.js';

/**
 * Merit order of two applications to the same competition: negative when `x` ranks higher. Score
 * tuples lexicographically (higher first), then the lottery (lower first), then the applicant id.
 */
export function compareMerit(x: ApplicationInput, lx: number, y: ApplicationInput, ly: number): number {
  const n = Math.min(x.score.length, y.score.length);
  for (let i = 0; i < n; i++) {
    const d = (y.score[i] as number) - (x.score[i] as number);
    if (d !== 0) return d;
  }
  if (lx !== ly) return lx - ly;
  return x.applicant < y.applicant ? -1 : x.applicant > y.applicant ? 1 : 0;
}

/** The lottery an application competes with: its own, or the number drawn for its applicant. */
export function lotteryOf(app: ApplicationInput, drawn: Record<string, number>): number {
  return drawn[app.applicant] ?? app.lottery ?? Number.POSITIVE_INFINITY;
}

/** Returns the list of violations (empty when the result is feasible and stable). */
export function checkAllocation(
  input: AllocationInput,
  result: Pick<AllocationResult, 'assignments' | 'unassigned' | 'capacities' | 'drawn'>,
): string[] {
  const violations: string[] = [];
  // The drawn numbers as a map (a property lookup by a not yet interned id string is slow), and
  // none at all when every applicant carried a lottery (then each application's own counts).
  const drawnMap = new Map(Object.entries(result.drawn));
  const lot = (app: ApplicationInput) =>
    (drawnMap.size ? drawnMap.get(app.applicant) : undefined) ?? app.lottery ?? Number.POSITIVE_INFINITY;
  // The claimed competition of each assigned applicant (no per-application keys: one pass finds the application).
  const claimed = new Map<string, string>();
  for (const { applicant, competition } of result.assignments) {
    if (claimed.has(applicant)) violations.push(`${applicant} assigned more than once`);
    else claimed.set(applicant, competition);
  }
  const applicants = new Set<string>();
  const assignedTo = new Map<string, ApplicationInput>();
  // Applications usually come grouped by applicant: per-applicant lookups are made once per group
  // (map lookups at random cost more than the rest of the check at 500,000 applications).
  let previous: string | null = null;
  let claim: string | undefined;
  for (const app of input.applications) {
    if (app.applicant !== previous) {
      previous = app.applicant;
      applicants.add(previous);
      claim = claimed.get(previous);
    }
    if (claim === app.competition) assignedTo.set(app.applicant, app);
  }
  const capacity = new Map<string, number>();
  for (const c of input.competitions) {
    const cap = result.capacities[c.id];
    if (cap === undefined || !Number.isInteger(cap) || cap < 0) violations.push(`${c.id}: bad final capacity ${cap}`);
    capacity.set(c.id, cap ?? 0);
  }
  const initialTotal = input.competitions.reduce((s, c) => s + c.capacity, 0);
  const finalTotal = [...capacity.values()].reduce((s, v) => s + v, 0);
  if (initialTotal !== finalTotal) violations.push(`total capacity changed from ${initialTotal} to ${finalTotal}`);

  // Assignment per applicant; admitted count and weakest admitted per competition.
  const admitted = new Map<string, number>();
  const weakest = new Map<string, ApplicationInput>();
  for (const [applicant, competition] of claimed) {
    const app = assignedTo.get(applicant);
    if (!app) {
      violations.push(`${applicant} assigned to ${competition} without applying`);
      continue;
    }
    admitted.set(competition, (admitted.get(competition) ?? 0) + 1);
    const w = weakest.get(competition);
    if (!w || compareMerit(app, lot(app), w, lot(w)) > 0) weakest.set(competition, app);
  }
  for (const [c, count] of admitted) {
    const cap = capacity.get(c) ?? 0;
    if (count > cap) violations.push(`${c}: ${count} admitted over capacity ${cap}`);
  }
  const unassigned = new Set(result.unassigned);
  for (const a of applicants) {
    const isAssigned = assignedTo.has(a);
    if (isAssigned && unassigned.has(a)) violations.push(`${a} both assigned and unassigned`);
    if (!isAssigned && !unassigned.has(a)) violations.push(`${a} neither assigned nor unassigned`);
  }
  for (const a of unassigned) if (!applicants.has(a)) violations.push(`${a} listed as unassigned but never applied`);

  // Stability: no applicant prefers c to their outcome while c has a free seat or admitted someone weaker.
  previous = null;
  let mine: ApplicationInput | undefined;
  for (const app of input.applications) {
    if (app.applicant !== previous) {
      previous = app.applicant;
      mine = assignedTo.get(previous);
    }
    if (mine && mine.priority <= app.priority) continue;
    const c = app.competition;
    const count = admitted.get(c) ?? 0;
    if (count < (capacity.get(c) ?? 0)) {
      violations.push(`blocking pair (${app.applicant}, ${c}): ${c} has a free seat`);
      continue;
    }
    const w = weakest.get(c);
    if (w && compareMerit(app, lot(app), w, lot(w)) < 0) {
      violations.push(`blocking pair (${app.applicant}, ${c}): ${c} admitted ${w.applicant}, ranked lower`);
    }
  }
  return violations;
}
