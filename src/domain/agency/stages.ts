/**
 * The agency pipeline: the stages an applicant goes through from the first question to settling in,
 * derived from the system's own states where it has them (lead, dossier, application, admission,
 * visa case, enrollment order, adaptation checklist) and set by hand where it does not (consultation,
 * or a step that happened outside the system). Pure: the facts come in as ISO instants.
 */

export const STAGES = [
  'inquiry',
  'consultation',
  'dossier',
  'applied',
  'admitted',
  'contract_payment',
  'invitation',
  'visa',
  'arrived',
  'registered',
  'enrolled',
  'adapted',
] as const;
export type Stage = (typeof STAGES)[number];

/** Stages the system can see by itself; consultation is only ever set by hand. */
export const SYSTEM_STAGES: readonly Stage[] = STAGES.filter((s) => s !== 'consultation');

export const ACTIVE_ADMISSION_STATUSES = ['offered', 'confirmed', 'enrolled'] as const;

export interface ApplicationFact {
  universityId: string;
  submittedAt: string | null;
}

export interface AdmissionFact {
  universityId: string;
  status: string;
  /** Funding of the competition: 'contract' is a paid place; anything else (quota, budget) is not. */
  funding: string;
  createdAt: string;
  prepaymentConfirmedAt: string | null;
  confirmedAt: string | null;
  /** When the enrollment order was issued (status enrolled). */
  enrolledAt: string | null;
}

export interface VisaFact {
  universityId: string;
  requestedAt: string | null;
  invitationIssuedAt: string | null;
  visaIssuedAt: string | null;
  arrivedAt: string | null;
  registeredAt: string | null;
}

export interface AdaptationFact {
  universityId: string;
  itemId: string;
  doneAt: string | null;
}

/** Everything the derivation looks at, for one applicant and one agency. */
export interface StageFacts {
  /** The first lead of this agency linked to the applicant. */
  leadCreatedAt: string | null;
  /** The first save of the dossier. */
  dossierSavedAt: string | null;
  applications: ApplicationFact[];
  admissions: AdmissionFact[];
  visaCases: VisaFact[];
  adaptation: AdaptationFact[];
  /** Stage → ISO instant, set by hand by a consultant (agency_cases.manual_stages). */
  manual: Record<string, string>;
}

export const emptyFacts = (): StageFacts => ({
  leadCreatedAt: null,
  dossierSavedAt: null,
  applications: [],
  admissions: [],
  visaCases: [],
  adaptation: [],
  manual: {},
});

export interface StageState {
  reachedAt: string | null;
  source: 'system' | 'manual' | null;
}

export interface DerivedStages {
  stages: Record<Stage, StageState>;
  /** The furthest stage reached (by pipeline order), or null before any. */
  current: { stage: Stage; reachedAt: string } | null;
}

export const isStage = (value: string): value is Stage => (STAGES as readonly string[]).includes(value);

const valid = (iso: string | null | undefined): iso is string => !!iso && !Number.isNaN(Date.parse(iso));

function earliest(values: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const v of values) {
    if (!valid(v)) continue;
    if (best === null || Date.parse(v) < Date.parse(best)) best = v;
  }
  return best;
}

function latest(values: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const v of values) {
    if (!valid(v)) continue;
    if (best === null || Date.parse(v) > Date.parse(best)) best = v;
  }
  return best;
}

const isActive = (a: AdmissionFact) => (ACTIVE_ADMISSION_STATUSES as readonly string[]).includes(a.status);

/** When the adaptation checklist of some university was completed (every item done), the earliest such. */
function adaptedAt(items: AdaptationFact[]): string | null {
  const byUniversity = new Map<string, AdaptationFact[]>();
  for (const item of items) byUniversity.set(item.universityId, [...(byUniversity.get(item.universityId) ?? []), item]);
  const completions: string[] = [];
  for (const group of byUniversity.values()) {
    if (group.length > 0 && group.every((i) => valid(i.doneAt))) {
      const at = latest(group.map((i) => i.doneAt));
      if (at) completions.push(at);
    }
  }
  return earliest(completions);
}

/** What the system itself says about each stage (null where it cannot tell). */
export function systemStages(facts: StageFacts): Record<Stage, string | null> {
  const active = facts.admissions.filter(isActive);
  return {
    inquiry: earliest([facts.leadCreatedAt]),
    consultation: null,
    dossier: earliest([facts.dossierSavedAt]),
    applied: earliest(facts.applications.map((a) => a.submittedAt)),
    admitted: earliest(active.map((a) => a.createdAt)),
    // Paid places: the prepayment is confirmed; other places (quota, budget): the seat is confirmed.
    contract_payment: earliest(active.map((a) => (a.funding === 'contract' ? a.prepaymentConfirmedAt : a.confirmedAt))),
    invitation: earliest(facts.visaCases.map((v) => v.requestedAt ?? v.invitationIssuedAt)),
    visa: earliest(facts.visaCases.map((v) => v.visaIssuedAt)),
    arrived: earliest(facts.visaCases.map((v) => v.arrivedAt)),
    registered: earliest(facts.visaCases.map((v) => v.registeredAt)),
    enrolled: earliest(active.filter((a) => a.status === 'enrolled').map((a) => a.enrolledAt ?? a.confirmedAt)),
    adapted: adaptedAt(facts.adaptation),
  };
}

/**
 * Each stage's date and where it comes from: the system's own state wins; a value set by hand fills
 * in a stage the system cannot see (always the case for consultation). The current stage is the
 * furthest reached — stages may be skipped (no visa for visa-free citizens).
 */
export function deriveStages(facts: StageFacts): DerivedStages {
  const system = systemStages(facts);
  const stages = {} as Record<Stage, StageState>;
  let current: DerivedStages['current'] = null;
  for (const stage of STAGES) {
    const fromSystem = system[stage];
    const manual = facts.manual[stage];
    const state: StageState = fromSystem
      ? { reachedAt: fromSystem, source: 'system' }
      : valid(manual)
        ? { reachedAt: new Date(manual).toISOString(), source: 'manual' }
        : { reachedAt: null, source: null };
    stages[stage] = state;
    if (state.reachedAt) current = { stage, reachedAt: state.reachedAt };
  }
  return { stages, current };
}

/** The facts about one university only (pre-application facts and manual stages are kept as they are). */
export function factsForUniversity(facts: StageFacts, universityId: string): StageFacts {
  return {
    ...facts,
    applications: facts.applications.filter((a) => a.universityId === universityId),
    admissions: facts.admissions.filter((a) => a.universityId === universityId),
    visaCases: facts.visaCases.filter((v) => v.universityId === universityId),
    adaptation: facts.adaptation.filter((i) => i.universityId === universityId),
  };
}
