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

/** Lists per competition id, each sorted best first and numbered from 1. */
export function buildRankedLists(
  applications: readonly ListApplication[],
  outcomes: ReadonlyMap<string, Outcome>,
): Map<string, RankedEntry[]> {
  const byCompetition = new Map<string, ListApplication[]>();
  for (const app of applications) {
    const list = byCompetition.get(app.competitionId);
    if (list) list.push(app);
    else byCompetition.set(app.competitionId, [app]);
  }
  const out = new Map<string, RankedEntry[]>();
  for (const [competitionId, list] of byCompetition) {
    list.sort(compare);
    out.set(
      competitionId,
      list.map((app, i) => ({
        position: i + 1,
        applicantId: app.applicantId,
        priority: app.priority,
        score: app.score,
        lottery: app.lottery,
        ...stateOf(app, outcomes.get(app.applicantId)),
      })),
    );
  }
  return out;
}

/**
 * `buildRankedLists` for a run whose engine has already ranked the applications it was given:
 * `engineOrder` holds, per competition id, indices into `applications` best first, in this module's
 * order (score tuple, lottery, applicant id, which is the engine's). The other applications
 * (ineligible ones, those of applicants holding a confirmed seat) are sorted and merged in. The same
 * lists as `buildRankedLists`, without sorting every application again.
 */
export function buildRankedListsFrom(
  applications: readonly ListApplication[],
  outcomes: ReadonlyMap<string, Outcome>,
  engineOrder: ReadonlyMap<string, ArrayLike<number>>,
): Map<string, RankedEntry[]> {
  const ranked = new Uint8Array(applications.length);
  for (const order of engineOrder.values()) for (let k = 0; k < order.length; k++) ranked[order[k] as number] = 1;
  const others = new Map<string, ListApplication[]>();
  for (let i = 0; i < applications.length; i++) {
    if (ranked[i]) continue;
    const app = applications[i] as ListApplication;
    const list = others.get(app.competitionId);
    if (list) list.push(app);
    else others.set(app.competitionId, [app]);
  }
  const out = new Map<string, RankedEntry[]>();
  const entry = (app: ListApplication, position: number): RankedEntry => {
    const { state, reason } = stateOf(app, outcomes.get(app.applicantId));
    return {
      position,
      applicantId: app.applicantId,
      priority: app.priority,
      score: app.score,
      lottery: app.lottery,
      state,
      reason,
    };
  };
  const competitionIds = new Set([...engineOrder.keys(), ...others.keys()]);
  for (const competitionId of competitionIds) {
    const order = engineOrder.get(competitionId) ?? [];
    const rest = (others.get(competitionId) ?? []).sort(compare);
    if (order.length === 0 && rest.length === 0) continue;
    const entries: RankedEntry[] = [];
    let i = 0;
    let j = 0;
    while (i < order.length || j < rest.length) {
      const a = i < order.length ? (applications[order[i] as number] as ListApplication) : null;
      const b = j < rest.length ? (rest[j] as ListApplication) : null;
      if (a && (!b || compare(a, b) <= 0)) {
        entries.push(entry(a, entries.length + 1));
        i++;
      } else {
        entries.push(entry(b as ListApplication, entries.length + 1));
        j++;
      }
    }
    out.set(competitionId, entries);
  }
  return out;
}
