/** Input and output shapes of the allocation engine (contract of `medadmit select`). */

export interface CompetitionInput {
  id: string;
  capacity: number;
  /** Unfilled seats move to this competition (chains allowed, cycles invalid). */
  revertsTo?: string;
}

export interface ApplicationInput {
  applicant: string;
  competition: string;
  /** 1 is the applicant's first choice. */
  priority: number;
  /** Compared lexicographically, higher first; same length within one competition. */
  score: number[];
  /** Lower wins a full tie; drawn by the engine when absent. */
  lottery?: number;
}

export interface AllocationInput {
  competitions: CompetitionInput[];
  applications: ApplicationInput[];
}

export interface Assignment {
  applicant: string;
  competition: string;
}

export interface Cutoff {
  score: number[];
  lottery: number;
}

export interface AllocationStats {
  applicants: number;
  applications: number;
  proposals: number;
  ms: number;
}

export interface AllocationResult {
  /** Sorted by applicant id. */
  assignments: Assignment[];
  /** Applicant ids, sorted. */
  unassigned: string[];
  /**
   * Per competition (sorted by id): the score and lottery of its weakest admitted applicant when it
   * turned someone away, else `null` (also `null` for a competition with no seat that turned people away).
   */
  cutoffs: Record<string, Cutoff | null>;
  /** Final capacities, after reversion. */
  capacities: Record<string, number>;
  /** Lottery numbers the engine drew, per applicant (empty when every application carried one). */
  drawn: Record<string, number>;
  stats: AllocationStats;
  /** Number of deferred-acceptance runs (1 + reversion re-runs). */
  rounds: number;
}

export interface AllocationOptions {
  /** Seed of the lottery PRNG (default 20260101). */
  seed?: number;
}
