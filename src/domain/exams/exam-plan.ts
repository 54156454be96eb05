import { z } from 'zod';
import { type TText, ZText } from '../catalog/catalog.schema.js';

/**
 * Entrance examinations as campaign data: which exams, which subjects an applicant chooses among
 * (local applicants and foreign citizens may differ, RULES S2-5), the pass mark and the retakes.
 */

const id = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscores');
const ZOption = z.strictObject({ id, title: ZText });
const options = z
  .array(ZOption)
  .min(1)
  .max(30)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((o, i) => {
      if (seen.has(o.id)) {
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `option id "${o.id}" is used twice` });
      }
      seen.add(o.id);
    });
  });

export const ZExamSlot = z.strictObject({
  id,
  title: ZText,
  kind: z.enum(['language', 'specialty', 'accreditation']),
  options: z.strictObject({ local: options, foreign: options }),
  maxScore: z.number().positive().max(10_000),
  passPercent: z.number().min(0).max(100),
  /** Retakes after a failed first attempt; 0 = one attempt only. */
  retakes: z.number().int().min(0).max(10),
});
export type TExamSlot = z.infer<typeof ZExamSlot>;

export const ZExamPlan = z
  .strictObject({
    slots: z.array(ZExamSlot).min(1).max(20),
    source: z.string().trim().min(1).max(300),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.slots.forEach((s, i) => {
      if (seen.has(s.id)) {
        ctx.addIssue({ code: 'custom', path: ['slots', i, 'id'], message: `slot id "${s.id}" is used twice` });
      }
      seen.add(s.id);
    });
  });
export type TExamPlan = z.infer<typeof ZExamPlan>;

export type ApplicantGroup = 'foreign' | 'local';

export interface ExamChoice {
  slotId: string;
  title: TText;
  kind: TExamSlot['kind'];
  options: { id: string; title: TText }[];
}

/** The exams an applicant of `group` sits, each with the subjects they choose among. */
export function examsFor(plan: TExamPlan, group: ApplicantGroup): ExamChoice[] {
  return plan.slots.map((s) => ({
    slotId: s.id,
    title: s.title,
    kind: s.kind,
    options: s.options[group].map((o) => ({ id: o.id, title: o.title })),
  }));
}

const lang = (code: string, en: string, ru: string) => ({ id: code, title: { en, ru } });
const SPECIALTY = [
  {
    id: 'specialty',
    title: { en: 'The specialty applied for', ru: 'Специальность, на которую подано заявление' },
  },
];

/**
 * KazNMU residency (S2-4: exams 1–20 August; S2-5): a foreign language and the specialty; foreign
 * citizens take the language of instruction, Kazakh or Russian, instead of a foreign language.
 * The source states no pass mark: 50 % is a placeholder the officer sets per campaign.
 */
export const KAZNMU_RESIDENCY_EXAMS: TExamPlan = ZExamPlan.parse({
  slots: [
    {
      id: 'language',
      title: { en: 'Language', ru: 'Язык' },
      kind: 'language',
      options: {
        local: [
          lang('en', 'English', 'Английский язык'),
          lang('fr', 'French', 'Французский язык'),
          lang('de', 'German', 'Немецкий язык'),
        ],
        foreign: [lang('kk', 'Kazakh', 'Казахский язык'), lang('ru', 'Russian', 'Русский язык')],
      },
      maxScore: 100,
      passPercent: 50, // not stated by the source (S2-5): an officer's setting
      retakes: 0,
    },
    {
      id: 'specialty',
      title: { en: 'Specialty', ru: 'Специальность' },
      kind: 'specialty',
      options: { local: SPECIALTY, foreign: SPECIALTY },
      maxScore: 100,
      passPercent: 50, // not stated by the source (S2-5): an officer's setting
      retakes: 0,
    },
  ],
  source: "S2-4, S2-5; pass mark not stated by the source: 50 % is an officer's setting",
});

/**
 * Russian residency (S0-5): the initial accreditation test in the specialty, online since 2020.
 * Pass 70 % and two retakes per failed stage (REFERENCE: primary specialized accreditation).
 */
export const RUSSIAN_RESIDENCY_ACCREDITATION: TExamPlan = ZExamPlan.parse({
  slots: [
    {
      id: 'accreditation',
      title: {
        en: 'Initial accreditation test in the specialty (may be taken online since 2020)',
        ru: 'Тестирование первичной аккредитации по специальности (с 2020 года возможно дистанционно)',
      },
      kind: 'accreditation',
      options: { local: SPECIALTY, foreign: SPECIALTY },
      maxScore: 100,
      passPercent: 70,
      retakes: 2,
    },
  ],
  source: 'S0-5; REFERENCE: primary specialized accreditation, pass 70 %, two retakes per failed stage',
});

export type ExamResult = { status: 'absent' } | { status: 'sat'; score: number };

export interface ExamOutcome {
  outcome: 'absent' | 'failed' | 'passed';
  /** Score as a percentage of the slot's maximum, 2 decimals; null when absent. */
  percent: number | null;
}

/** Passed at or above the pass mark. A score outside [0, maxScore] is a data error and throws. */
export function examOutcome(result: ExamResult, slot: TExamSlot): ExamOutcome {
  if (result.status === 'absent') return { outcome: 'absent', percent: null };
  const { score } = result;
  if (!Number.isFinite(score) || score < 0 || score > slot.maxScore) {
    throw new RangeError(`score ${score} is outside [0, ${slot.maxScore}] for exam "${slot.id}"`);
  }
  // Compared as products, not as a rounded percentage, so 69.996 % never rounds up to a pass.
  const passed = score * 100 >= slot.passPercent * slot.maxScore;
  return { outcome: passed ? 'passed' : 'failed', percent: Math.round((score / slot.maxScore) * 10_000) / 100 };
}

/**
 * Whether another sitting is allowed after `attempts` sittings (the first included): one attempt
 * plus `slot.retakes`. Before the first sitting there is nothing to retake.
 */
export function canRetake(attempts: number, slot: TExamSlot): boolean {
  if (!Number.isInteger(attempts) || attempts < 0) throw new RangeError('attempts must be a whole number ≥ 0');
  return attempts >= 1 && attempts <= slot.retakes;
}
