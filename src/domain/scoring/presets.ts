import { type TCriterion, type TRubric, ZRubric } from './rubric.schema.js';

/**
 * RUDN 2021/22 portfolio rubrics for foreign citizens on contract places, as written in the rules
 * (seed S4; RULES S4-5, S4-6). Officers copy them to a new campaign and edit. Parsed at load, so a
 * preset that breaks a rubric rule fails the first import, not an applicant's score.
 */

/**
 * "5,0 — 45; 4,5-4,9 — 40; 4,0-4,4 — 35; 3,5-3,9 — 30" read as half-open bands, so 4.95 is 40, not
 * a gap. The source says nothing below 3.5: such grades fall below the lowest band and score 0.
 * The scale runs from 2, the lowest grade `toFivePoint` gives, to 5.
 */
function averageGrade(source: string): TCriterion {
  return {
    kind: 'banded',
    id: 'average_grade',
    label: {
      en: 'Average grade at the previous level of education, including grades in specialised subjects',
      ru: 'Средний балл на предыдущем уровне образования, включая оценки по профильным предметам',
    },
    min: 2,
    max: 5,
    bands: [
      { from: 3.5, to: 4, points: 30 },
      { from: 4, to: 4.5, points: 35 },
      { from: 4.5, to: 5, points: 40 },
      { from: 5, to: null, points: 45 },
    ],
    auto: 'average_grade',
    source: `${source}: 5.0 → 45, 4.5–4.9 → 40, 4.0–4.4 → 35, 3.5–3.9 → 30; below 3.5 not stated → 0`,
  };
}

function yesNo(
  id: string,
  points: number,
  auto: Extract<TCriterion, { kind: 'yes_no' }>['auto'],
  label: { en: string; ru: string },
  source: string,
): TCriterion {
  return { kind: 'yes_no', id, label, points, auto, source };
}

const ACHIEVEMENTS = {
  en: 'Achievements in educational and social activities (certificates, diplomas, etc.)',
  ru: 'Достижения в учебной и общественной деятельности (сертификаты, дипломы и т. п.)',
};
const LANGUAGE_CERTIFICATE = {
  en: 'Certificate of foreign-language proficiency',
  ru: 'Сертификат о владении иностранным языком',
};

/** Winner and prize-winner are one exclusive group: "only one status is considered". */
function olympiad(winner: number, prizeWinner: number, source: string): TCriterion {
  return {
    kind: 'exclusive',
    id: 'olympiad',
    label: {
      en: 'Status in competitions or olympiads for foreign citizens (only one status counts)',
      ru: 'Статус по результатам конкурсов и олимпиад для иностранных граждан (учитывается только один статус)',
    },
    options: [
      { id: 'winner', label: { en: 'Winner', ru: 'Победитель' }, points: winner, auto: 'olympiad_winner' },
      {
        id: 'prize_winner',
        label: { en: 'Prize-winner', ru: 'Призёр' },
        points: prizeWinner,
        auto: 'olympiad_prize_winner',
      },
    ],
    source: `${source}: winner ${winner} / prize-winner ${prizeWinner}, only one status counts`,
  };
}

export const RUDN_2021_BACHELOR_SPECIALIST: TRubric = ZRubric.parse({
  slug: 'rudn-2021-bachelor-specialist',
  title: {
    en: "RUDN 2021/22 portfolio of foreign citizens: bachelor's and specialist's programs",
    ru: 'Портфолио иностранных граждан РУДН 2021/22: бакалавриат и специалитет',
  },
  maximum: 100,
  criteria: [
    averageGrade('S4-5'),
    yesNo('achievements', 5, 'achievements', ACHIEVEMENTS, 'S4-5'),
    yesNo('language_certificate', 5, 'language_certificate', LANGUAGE_CERTIFICATE, 'S4-5'),
    olympiad(40, 35, 'S4-5'),
    yesNo(
      'recommendations',
      5,
      'recommendations',
      {
        en: 'Recommendations from public organisations, associations, Russian missions abroad or foreign diplomatic missions',
        ru: 'Рекомендации общественных организаций, объединений, представительств России за рубежом, дипломатических представительств иностранных государств',
      },
      'S4-5',
    ),
  ],
  source: 'S4-5 (RUDN admission rules 2021/22, Rector’s Order No. 664 of 29 October 2020), maximum 100',
});

export const RUDN_2021_MASTER: TRubric = ZRubric.parse({
  slug: 'rudn-2021-master',
  title: {
    en: "RUDN 2021/22 portfolio of foreign citizens: master's programs",
    ru: 'Портфолио иностранных граждан РУДН 2021/22: магистратура',
  },
  maximum: 100,
  criteria: [
    averageGrade('S4-6'),
    yesNo('achievements', 5, 'achievements', ACHIEVEMENTS, 'S4-6'),
    yesNo('language_certificate', 5, 'language_certificate', LANGUAGE_CERTIFICATE, 'S4-6'),
    olympiad(15, 10, 'S4-6'),
    yesNo(
      'motivation_letter',
      10,
      'motivation_letter',
      { en: 'Letter of motivation', ru: 'Мотивационное письмо' },
      'S4-6',
    ),
    yesNo('volunteering', 5, 'volunteering', { en: 'Volunteer activity', ru: 'Волонтёрская деятельность' }, 'S4-6'),
    yesNo(
      'world_ranking',
      10,
      'world_ranking',
      {
        en: 'Position in world rankings of the university that issued the education document',
        ru: 'Позиция в мировых рейтингах вуза, выдавшего документ об образовании',
      },
      'S4-6',
    ),
    yesNo(
      'recommendations',
      5,
      'recommendations',
      {
        en: 'Recommendations from public organisations, associations, Russian missions abroad, foreign diplomatic missions, RUDN faculties, etc.',
        ru: 'Рекомендации общественных организаций, объединений, представительств России за рубежом, дипломатических представительств иностранных государств, факультетов РУДН и т. п.',
      },
      'S4-6',
    ),
  ],
  source: 'S4-6 (RUDN admission rules 2021/22, Rector’s Order No. 664 of 29 October 2020), maximum 100',
});

/** Built-in presets by slug, for the "start from a preset" choice. */
export const RUBRIC_PRESETS: readonly TRubric[] = [RUDN_2021_BACHELOR_SPECIALIST, RUDN_2021_MASTER];
