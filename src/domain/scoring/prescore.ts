import type { TDossier, TEducation } from '../dossier/dossier.schema.js';
import { toFivePoint } from '../dossier/grade-conversion.js';
import { round2, type TCriterion, type TRubric } from './rubric.schema.js';
import type { ScoreInput } from './score-rubric.js';

/** Why a pre-filled value is what it is; the web app translates `code` with `params`. */
export interface Provenance {
  code: string;
  params: Record<string, string | number>;
}

export interface Prescore {
  inputs: Record<string, ScoreInput>;
  provenance: Record<string, Provenance>;
}

type Graded = TEducation & { grade: NonNullable<TEducation['grade']> };

/**
 * The education whose grade counts: the latest `finishedOn`; entries without a date rank after dated
 * ones (the applicant may not have filled it). Ties keep the dossier's order.
 */
function latestGraded(education: readonly TEducation[]): Graded | null {
  const graded = education.filter((e): e is Graded => e.grade !== null);
  const ranked = [...graded].sort((a, b) => {
    if (a.finishedOn === b.finishedOn) return 0;
    if (a.finishedOn === null) return 1;
    if (b.finishedOn === null) return -1;
    return a.finishedOn < b.finishedOn ? 1 : -1;
  });
  return ranked[0] ?? null;
}

function averageGrade(c: Extract<TCriterion, { kind: 'banded' }>, dossier: TDossier): [ScoreInput, Provenance] {
  const entry = latestGraded(dossier.education);
  if (entry === null) return [null, { code: 'no_graded_education', params: {} }];
  let fivePoint: number;
  try {
    fivePoint = toFivePoint(entry.grade).value;
  } catch {
    return [null, { code: 'grade_not_convertible', params: { educationId: entry.id } }];
  }
  const value = round2(Math.min(c.max, Math.max(c.min, fivePoint)));
  const { grade } = entry;
  return [
    value,
    {
      code: value === fivePoint ? 'grade_from_latest_education' : 'grade_from_latest_education_clamped',
      params: {
        educationId: entry.id,
        institution: entry.institution,
        title: entry.title,
        finishedOn: entry.finishedOn ?? '',
        grade: grade.value,
        scale: `${grade.min}–${grade.max}, pass ${grade.pass}`,
        fivePoint,
        value,
        gradedEntries: dossier.education.filter((e) => e.grade !== null).length,
      },
    },
  ];
}

function yesNo(auto: NonNullable<Extract<TCriterion, { kind: 'yes_no' }>['auto']>, d: TDossier): [boolean, Provenance] {
  switch (auto) {
    case 'achievements':
      return [d.achievements.length > 0, { code: 'achievements', params: { count: d.achievements.length } }];
    case 'language_certificate':
      return [
        d.languageCertificates.length > 0,
        {
          code: 'language_certificates',
          params: {
            count: d.languageCertificates.length,
            names: d.languageCertificates.map((l) => `${l.name} ${l.level}`).join(', '),
          },
        },
      ];
    case 'recommendations':
      return [d.recommendations.length > 0, { code: 'recommendations', params: { count: d.recommendations.length } }];
    case 'motivation_letter': {
      const length = d.motivationLetter?.trim().length ?? 0;
      return [length > 0, { code: 'motivation_letter', params: { characters: length } }];
    }
    case 'volunteering': {
      const length = d.volunteering?.trim().length ?? 0;
      return [length > 0, { code: 'volunteering', params: { characters: length } }];
    }
    case 'world_ranking': {
      const ranked = d.education
        .filter((e) => e.worldRankingPosition !== null)
        .sort((a, b) => (a.worldRankingPosition ?? 0) - (b.worldRankingPosition ?? 0))[0];
      if (!ranked) return [false, { code: 'no_world_ranking', params: {} }];
      return [
        true,
        {
          code: 'world_ranking',
          params: {
            educationId: ranked.id,
            institution: ranked.institution,
            position: ranked.worldRankingPosition ?? 0,
          },
        },
      ];
    }
  }
}

const OLYMPIAD_AUTO = { winner: 'olympiad_winner', prize_winner: 'olympiad_prize_winner' } as const;

function olympiad(c: Extract<TCriterion, { kind: 'exclusive' }>, d: TDossier): [ScoreInput, Provenance] {
  const status = d.olympiad;
  if (status === 'none') return [null, { code: 'olympiad', params: { status } }];
  const option = c.options.find((o) => o.auto === OLYMPIAD_AUTO[status]);
  if (!option) return [null, { code: 'olympiad_status_not_in_rubric', params: { status } }];
  return [option.id, { code: 'olympiad', params: { status, option: option.id } }];
}

/**
 * The automatic pre-score a reviewer confirms or corrects: one input per criterion, with the reason
 * it was filled so. Criteria without an `auto` source are left empty (null) for the reviewer.
 */
export function prescore(rubric: TRubric, dossier: TDossier): Prescore {
  const inputs: Record<string, ScoreInput> = {};
  const provenance: Record<string, Provenance> = {};
  for (const c of rubric.criteria) {
    let result: [ScoreInput, Provenance];
    if (c.kind === 'banded' && c.auto === 'average_grade') result = averageGrade(c, dossier);
    else if (c.kind === 'yes_no' && c.auto !== null) result = yesNo(c.auto, dossier);
    else if (c.kind === 'exclusive' && c.options.some((o) => o.auto !== null)) result = olympiad(c, dossier);
    else result = [null, { code: 'manual', params: {} }];
    inputs[c.id] = result[0];
    provenance[c.id] = result[1];
  }
  return { inputs, provenance };
}
