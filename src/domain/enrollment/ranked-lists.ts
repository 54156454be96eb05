/**
 * Ranked lists per competition after an allocation run: every application, best first (score tuple
 * higher first, then the lottery, lower first), with the applicant's state on that list.
 */

export const ENTRY_STATES = ['admitted', 'confirmed', 'admitted_higher', 'waiting', 'not_admitted'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

export interface ListApplication {
  applicantId: string;
  competitionId: string;
  priority: number;
  score: number[];
  lottery: number;
  eligible: boolean;
  /** Why an application is not ranked (e.g. the competitive score's first problem); null when eligible. */
  reason: string | null;
}

export interface Outcome {
  competitionId: string;
  priority: number;
  /** Confirmed or enrolled: the seat is held and the applicant no longer moves up. */
  fixed: boolean;
}

export interface RankedEntry {
  position: number;
  applicantId: string;
  priority: number;
  score: number[];
  lottery: number;
  state: EntryState;
  reason: string | null;
}

function compare(x: ListApplication, y: ListApplication): number {
  if (x.eligible !== y.eligible) return x.eligible ? -1 : 1;
  const n = Math.min(x.score.length, y.score.length);
  for (let i = 0; i < n; i++) {
    const d = (y.score[i] as number) - (x.score[i] as number);
    if (d !== 0) return d;
  }
  if (x.lottery !== y.lottery) return x.lottery - y.lottery;
  return x.applicantId < y.applicantId ? -1 : x.applicantId > y.applicantId ? 1 : 0;
}

export function stateOf(
  app: ListApplication,
  outcome: Outcome | undefined,
): { state: EntryState; reason: string | null } {
  if (!app.eligible) return { state: 'not_admitted', reason: app.reason ?? 'ineligible' };
  if (outcome?.competitionId === app.competitionId)
    return { state: outcome.fixed ? 'confirmed' : 'admitted', reason: null };
  if (outcome && outcome.priority < app.priority) return { state: 'admitted_higher', reason: null };
  if (outcome?.fixed) return { state: 'not_admitted', reason: 'confirmed_elsewhere' };
  return { state: 'waiting', reason: null };
}

const at = (applications: readonly ListApplication[], i: number) => applications[i] as ListApplication;

/** Per competition id, indices into `applications`, best first (a full sort). */
export function rankedOrder(applications: readonly ListApplication[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < applications.length; i++) {
    const competitionId = at(applications, i).competitionId;
    const list = out.get(competitionId);
    if (list) list.push(i);
    else out.set(competitionId, [i]);
  }
  for (const list of out.values()) list.sort((x, y) => compare(at(applications, x), at(applications, y)));
  return out;
}

function entriesOf(
  applications: readonly ListApplication[],
  outcomes: ReadonlyMap<string, Outcome>,
  orders: ReadonlyMap<string, number[]>,
): Map<string, RankedEntry[]> {
  const out = new Map<string, RankedEntry[]>();
  for (const [competitionId, order] of orders) {
    out.set(
      competitionId,
      order.map((i, k) => {
        const app = at(applications, i);
        return {
          position: k + 1,
          applicantId: app.applicantId,
          priority: app.priority,
          score: app.score,
          lottery: app.lottery,
          ...stateOf(app, outcomes.get(app.applicantId)),
        };
      }),
    );
  }
  return out;
}

/** Lists per competition id, each sorted best first and numbered from 1. */
export function buildRankedLists(
  applications: readonly ListApplication[],
  outcomes: ReadonlyMap<string, Outcome>,
): Map<string, RankedEntry[]> {
  return entriesOf(applications, outcomes, rankedOrder(applications));
}

/**
 * The order of the ranked lists of a run whose engine has already ranked the applications it was
 * given: `engineOrder` holds, per competition id, indices into `applications` best first, in this
 * module's order (score tuple, lottery, applicant id, which is the engine's). The other applications
 * (ineligible ones, those of applicants holding a confirmed seat) are sorted and merged in. Per
 * competition id, indices into `applications`, best first: the order `buildRankedLists` gives,
 * without sorting every application again.
 */
export function rankedOrderFrom(
  applications: readonly ListApplication[],
  engineOrder: ReadonlyMap<string, ArrayLike<number>>,
): Map<string, number[]> {
  const ranked = new Uint8Array(applications.length);
  for (const order of engineOrder.values()) for (let k = 0; k < order.length; k++) ranked[order[k] as number] = 1;
  const others = new Map<string, number[]>();
  for (let i = 0; i < applications.length; i++) {
    if (ranked[i]) continue;
    const competitionId = (applications[i] as ListApplication).competitionId;
    const list = others.get(competitionId);
    if (list) list.push(i);
    else others.set(competitionId, [i]);
  }
  const out = new Map<string, number[]>();
  for (const competitionId of new Set([...engineOrder.keys(), ...others.keys()])) {
    const order = engineOrder.get(competitionId) ?? [];
    const rest = (others.get(competitionId) ?? []).sort((x, y) => compare(at(applications, x), at(applications, y)));
    if (order.length === 0 && rest.length === 0) continue;
    const merged: number[] = [];
    let i = 0;
    let j = 0;
    while (i < order.length || j < rest.length) {
      if (
        i < order.length &&
        (j >= rest.length || compare(at(applications, order[i] as number), at(applications, rest[j] as number)) <= 0)
      )
        merged.push(order[i++] as number);
      else merged.push(rest[j++] as number);
    }
    out.set(competitionId, merged);
  }
  return out;
}
