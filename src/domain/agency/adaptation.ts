/**
 * The adaptation checklist after arrival: what a newly arrived student has to do and by when,
 * configured per university and citizenship ('*' for everyone else). Due dates count from the
 * arrival, in calendar days or in working days (Monday–Friday, as the migration deadline does).
 */
import { z } from 'zod';
import { addWorkingDays } from '../enrollment/settings.js';

export const ZAdaptationItem = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9_]{1,40}$/, 'lower-case letters, digits and underscores')
    .describe('stable id of the item (kept when the title changes)'),
  title: z.strictObject({ en: z.string().trim().min(1).max(200), ru: z.string().trim().min(1).max(200) }),
  dueDays: z.number().int().min(0).max(365).describe('days after arrival'),
  workingDays: z.boolean().default(false).describe('count dueDays as working days (Monday–Friday)'),
  essential: z.boolean().default(true),
  source: z.string().trim().max(500).default(''),
});
export type TAdaptationItem = z.infer<typeof ZAdaptationItem>;

const country = z.union([z.literal('*'), z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code or *')]);

export const ZAdaptationTemplate = z.strictObject({
  country: country.describe("ISO country of the applicants it applies to, or '*' for everyone else"),
  items: z
    .array(ZAdaptationItem)
    .min(1)
    .max(50)
    .superRefine((items, ctx) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.id)) {
          ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'Item ids must be unique in a template.' });
        }
        seen.add(item.id);
      });
    }),
});
export type TAdaptationTemplate = z.infer<typeof ZAdaptationTemplate>;

/**
 * Used when a university has set no template. A starting point only: verify every deadline with the
 * university's international office before relying on it.
 */
export const DEFAULT_ADAPTATION_ITEMS: readonly TAdaptationItem[] = [
  {
    id: 'migration_registration',
    title: { en: 'Migration registration', ru: 'Миграционный учёт' },
    dueDays: 7,
    workingDays: true,
    essential: true,
    source:
      'Registration with the migration authorities within 7 working days of arrival: public practice (see the campaign enrollment settings); default to verify',
  },
  {
    id: 'medical_insurance',
    title: { en: 'Medical insurance policy', ru: 'Полис медицинского страхования' },
    dueDays: 3,
    workingDays: false,
    essential: true,
    source: 'A voluntary medical insurance policy is needed for the whole stay; default to verify',
  },
  {
    id: 'housing',
    title: { en: 'Housing / dormitory check-in', ru: 'Заселение в общежитие / жильё' },
    dueDays: 3,
    workingDays: false,
    essential: true,
    source: 'University practice; default to verify',
  },
  {
    id: 'medical_examination',
    title: { en: 'Medical examination for foreign citizens', ru: 'Медицинское освидетельствование' },
    dueDays: 30,
    workingDays: false,
    essential: true,
    source: 'Medical examination of foreign citizens after entry (deadline set by migration law); default to verify',
  },
  {
    id: 'bank_card_sim',
    title: { en: 'Bank card and local SIM card', ru: 'Банковская карта и местная SIM-карта' },
    dueDays: 14,
    workingDays: false,
    essential: false,
    source: 'Recommended; default to verify',
  },
];

/** The template for a citizenship: the country's own, else the university's '*', else the built-in default. */
export function pickTemplate(
  templates: readonly { country: string; items: readonly TAdaptationItem[] }[],
  citizenship: string | null | undefined,
): { country: string; items: readonly TAdaptationItem[]; isDefault: boolean } {
  const own = citizenship ? templates.find((t) => t.country === citizenship.toUpperCase()) : undefined;
  const fallback = templates.find((t) => t.country === '*');
  const chosen = own ?? fallback;
  return chosen
    ? { country: chosen.country, items: chosen.items, isDefault: false }
    : { country: '*', items: DEFAULT_ADAPTATION_ITEMS, isDefault: true };
}

/** The due date of an item for a student who arrived at `arrivedAt`. */
export function itemDueAt(arrivedAt: Date, item: Pick<TAdaptationItem, 'dueDays' | 'workingDays'>): Date {
  if (item.workingDays) return addWorkingDays(arrivedAt, item.dueDays);
  return new Date(arrivedAt.getTime() + item.dueDays * 86_400_000);
}

/** Parses stored items leniently: an item that no longer validates is left out rather than failing the page. */
export function storedItems(raw: unknown): TAdaptationItem[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((r) => {
    const parsed = ZAdaptationItem.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}
