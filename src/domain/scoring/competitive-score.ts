import { z } from 'zod';
import { round2 } from './rubric.schema.js';

/**
 * How a competition ranks applicants: by the portfolio rubric (RUDN, S4-4), by entrance exams
 * (KazNMU, S2-5), or by a weighted mix; then by tie-breaks. The result is a tuple compared
 * lexicographically, so a ranking is a plain sort with `compareTuples`.
 */

const weight = z.number().min(0).max(100);

export const ZTieBreak = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('exam'), slotId: z.string().min(1).max(60) }),
  z.strictObject({ source: z.literal('criterion'), criterionId: z.string().min(1).max(60) }),
]);
export type TTieBreak = z.infer<typeof ZTieBreak>;

export const ZScoreConfig = z
  .strictObject({
    mode: z.enum(['rubric', 'exams', 'weighted']),
    weights: z.strictObject({ rubric: weight, exams: weight }),
    tieBreaks: z.array(ZTieBreak).max(10),
    source: z.string().trim().min(1).max(300),
  })
  .refine((c) => c.mode !== 'weighted' || c.weights.rubric + c.weights.exams > 0, {
    message: 'a weighted score needs at least one weight above 0',
    path: ['weights'],
  });
export type TScoreConfig = z.infer<typeof ZScoreConfig>;

export interface ScoreParts {
  rubric: { total: number; items: { criterionId: string; points: number }[] } | null;
  exams: { slotId: string; score: number; outcome: 'absent' | 'failed' | 'passed' }[] | null;
}

export interface Explanation {
  code: string;
  params: Record<string, string | number>;
}

export interface CompetitiveScore {
  eligible: boolean;
  /** The first reason the applicant cannot be ranked, as a code; null when eligible. */
  reason: string | null;
  /** [main score, tie-break 1, tie-break 2, …]; a missing tie-break value is −1. */
  tuple: number[];
  explanation: Explanation[];
}

/** Value used for a tie-break the applicant has no value for: below any real score. */
const MISSING = -1;

function reasons(config: TScoreConfig, parts: ScoreParts): Explanation[] {
  const out: Explanation[] = [];
  if (config.mode !== 'exams' && parts.rubric === null) out.push({ code: 'rubric_missing', params: {} });
  if (config.mode !== 'rubric' && parts.exams === null) out.push({ code: 'exams_missing', params: {} });
  // Every exam of the plan is required: an absence or a failure is never outweighed by other points.
  for (const e of parts.exams ?? []) {
    if (e.outcome === 'absent') out.push({ code: 'exam_absent', params: { slotId: e.slotId } });
    if (e.outcome === 'failed') out.push({ code: 'exam_failed', params: { slotId: e.slotId, score: e.score } });
  }
  return out;
}

/** The main score and what it is made of. */
function mainParts(config: TScoreConfig, parts: ScoreParts): { rubric: number; exams: number; main: number } {
  const rubric = parts.rubric?.total ?? 0;
  let sum = 0;
  for (const e of parts.exams ?? []) if (e.outcome !== 'absent') sum += e.score;
  const exams = round2(sum);
  const main =
    config.mode === 'rubric'
      ? rubric
      : config.mode === 'exams'
        ? exams
        : round2(config.weights.rubric * rubric + config.weights.exams * exams);
  return { rubric, exams, main };
}

function mainExplanation(
  config: TScoreConfig,
  parts: ScoreParts,
  { rubric, exams, main }: ReturnType<typeof mainParts>,
): Explanation {
  switch (config.mode) {
    case 'rubric':
      return { code: 'main_rubric', params: { rubric } };
    case 'exams':
      return { code: 'main_exams', params: { exams, count: parts.exams?.length ?? 0 } };
    case 'weighted': {
      const { rubric: rubricWeight, exams: examsWeight } = config.weights;
      return { code: 'main_weighted', params: { rubric, rubricWeight, exams, examsWeight, main } };
    }
  }
}

function tieBreakValue(t: TTieBreak, parts: ScoreParts): number {
  if (t.source === 'exam') {
    const exam = parts.exams?.find((e) => e.slotId === t.slotId);
    return exam && exam.outcome !== 'absent' ? exam.score : MISSING;
  }
  return parts.rubric?.items.find((i) => i.criterionId === t.criterionId)?.points ?? MISSING;
}

function tieBreakExplanation(t: TTieBreak, value: number): Explanation {
  return t.source === 'exam'
    ? { code: 'tie_break_exam', params: { slotId: t.slotId, value } }
    : { code: 'tie_break_criterion', params: { criterionId: t.criterionId, value } };
}

/**
 * The applicant's place-defining tuple and how it was made. An ineligible applicant still gets a
 * tuple, so an officer sees what they would have scored, but is never ranked. `explain: false`
 * leaves the explanation empty (an allocation run scores 100,000 applicants and shows no
 * explanation; building them cost most of its scoring time).
 */
export function competitiveScore(
  config: TScoreConfig,
  parts: ScoreParts,
  { explain = true }: { explain?: boolean } = {},
): CompetitiveScore {
  const problems = reasons(config, parts);
  const made = mainParts(config, parts);
  const tuple = [made.main];
  for (const t of config.tieBreaks) tuple.push(tieBreakValue(t, parts));
  return {
    eligible: problems.length === 0,
    reason: problems[0]?.code ?? null,
    tuple,
    explanation: explain
      ? [
          ...problems,
          mainExplanation(config, parts, made),
          ...config.tieBreaks.map((t, i) => tieBreakExplanation(t, tuple[i + 1] as number)),
        ]
      : [],
  };
}

/**
 * Sort comparator, higher first: negative when `a` ranks before `b`. Elements are compared in order;
 * a shorter tuple counts its missing elements as −1, like a missing tie-break.
 */
export function compareTuples(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const diff = (b[i] ?? MISSING) - (a[i] ?? MISSING);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
