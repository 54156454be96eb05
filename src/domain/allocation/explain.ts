/** Per applicant and priority: why they were (not) admitted there. */
import { compareMerit, lotteryOf } from './check.js';
import type { AllocationInput, AllocationResult } from './types.js';

export type ExplanationStatus = 'admitted' | 'admitted-higher' | 'not-admitted';

export interface Explanation {
  priority: number;
  competition: string;
  status: ExplanationStatus;
  message: string;
}

const fmt = (score: number[]) => score.join(' / ');

/**
 * Explanations for every applicant (sorted by priority). "not admitted" compares the competition's
 * cutoff with the applicant's score ("cutoff 245 / 80, yours 240 / 85"), adding the lotteries when the
 * scores tie.
 */
export function explain(
  input: AllocationInput,
  result: Pick<AllocationResult, 'assignments' | 'cutoffs' | 'drawn'>,
): Map<string, Explanation[]> {
  const assigned = new Map<string, string>();
  for (const a of result.assignments) assigned.set(a.applicant, a.competition);
  const byApplicant = new Map<string, AllocationInput['applications']>();
  for (const app of input.applications) {
    const list = byApplicant.get(app.applicant);
    if (list) list.push(app);
    else byApplicant.set(app.applicant, [app]);
  }
  const out = new Map<string, Explanation[]>();
  for (const [applicant, apps] of byApplicant) {
    apps.sort((x, y) => x.priority - y.priority);
    const target = assigned.get(applicant);
    const targetPriority = apps.find((a) => a.competition === target)?.priority ?? Number.POSITIVE_INFINITY;
    out.set(
      applicant,
      apps.map((app) => {
        const base = { priority: app.priority, competition: app.competition };
        if (app.competition === target) return { ...base, status: 'admitted', message: 'admitted here' };
        if (app.priority > targetPriority)
          return { ...base, status: 'admitted-higher', message: `admitted at a higher priority (${target})` };
        const cutoff = result.cutoffs[app.competition];
        if (!cutoff) return { ...base, status: 'not-admitted', message: 'not admitted: no seats' };
        const mine = lotteryOf(app, result.drawn);
        const tie =
          compareMerit(app, 0, { ...app, score: cutoff.score }, 0) === 0
            ? ` (lottery ${cutoff.lottery}, yours ${mine})`
            : '';
        return {
          ...base,
          status: 'not-admitted',
          message: `not admitted: cutoff ${fmt(cutoff.score)}, yours ${fmt(app.score)}${tie}`,
        };
      }),
    );
  }
  return out;
}
