import { z } from 'zod';

/**
 * The catalog's exchange format: what import reads, export writes, the demo data is written in,
 * and officers edit. Every fact may be unknown (null or an empty list), shown as "not stated";
 * `sources` names where each known fact comes from (a RULES id such as "S2-2", or a document).
 */

export const COUNTRIES = ['RU', 'BY', 'KZ'] as const;
export const LEVELS = ['preparatory', 'bachelor', 'specialist', 'master', 'residency', 'phd'] as const;
export const STUDY_FORMS = ['full_time', 'part_time', 'correspondence', 'distance'] as const;
export const FUNDING_KINDS = ['quota', 'contract', 'treaty'] as const;
export const LANGUAGES = ['ru', 'en', 'kk', 'be', 'fr', 'de'] as const;
export const TUITION_PERIODS = ['year', 'program', 'month'] as const;
export const CURRENCIES = ['RUB', 'BYN', 'KZT', 'USD', 'EUR'] as const;

export type Country = (typeof COUNTRIES)[number];
export type Level = (typeof LEVELS)[number];
export type StudyForm = (typeof STUDY_FORMS)[number];
export type FundingKind = (typeof FUNDING_KINDS)[number];
export type Language = (typeof LANGUAGES)[number];

const slug = z
  .string()
  .min(2)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');

export const ZText = z.strictObject({
  en: z.string().trim().min(1).max(4000),
  ru: z.string().trim().min(1).max(4000),
});
export type TText = z.infer<typeof ZText>;

/** Which source states each fact: field name → RULES id, order, or document title. */
export const ZSources = z.record(z.string().min(1).max(60), z.string().trim().min(1).max(300));

export const ZUniversityInput = z.strictObject({
  slug,
  name: ZText.extend({ kk: z.string().trim().min(1).max(400).optional() }),
  shortName: z.string().trim().min(1).max(40).nullable().default(null),
  country: z.enum(COUNTRIES),
  city: ZText,
  website: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .default(null),
  /** Listed in the World Directory of Medical Schools; null when no source says. */
  wdomsListed: z.boolean().nullable().default(null),
  languages: z.array(z.enum(LANGUAGES)).max(6).default([]),
  /** Has multidisciplinary clinical bases (S3-2); null when not stated. */
  multidisciplinaryClinicalBases: z.boolean().nullable().default(null),
  clinicalBases: ZText.nullable().default(null),
  partnerships: ZText.nullable().default(null),
  exchangePrograms: ZText.nullable().default(null),
  description: ZText.nullable().default(null),
  sources: ZSources.default({}),
});
export type TUniversityInput = z.infer<typeof ZUniversityInput>;

/** Duration of a program for intakes in [fromIntakeYear, toIntakeYear] (either end open). */
export const ZDurationRule = z
  .strictObject({
    fromIntakeYear: z.number().int().min(1900).max(2100).nullable().default(null),
    toIntakeYear: z.number().int().min(1900).max(2100).nullable().default(null),
    /** Null when a source gives only an upper bound ("does not exceed three years", S1-5). */
    minMonths: z.number().int().min(1).max(120).nullable(),
    maxMonths: z.number().int().min(1).max(120),
    source: z.string().trim().min(1).max(300),
  })
  .refine((r) => r.minMonths === null || r.maxMonths >= r.minMonths, {
    message: 'maxMonths must be at least minMonths',
    path: ['maxMonths'],
  })
  .refine((r) => r.fromIntakeYear === null || r.toIntakeYear === null || r.toIntakeYear >= r.fromIntakeYear, {
    message: 'toIntakeYear must not be before fromIntakeYear',
    path: ['toIntakeYear'],
  });
export type TDurationRule = z.infer<typeof ZDurationRule>;

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD');

/** An application window that repeats every year (MM-DD to MM-DD), or year-round intake. */
export const ZIntakeWindow = z.union([
  z.strictObject({ yearRound: z.literal(true), source: z.string().trim().min(1).max(300) }),
  z.strictObject({
    yearRound: z.literal(false).default(false),
    opens: monthDay,
    closes: monthDay,
    studyForms: z.array(z.enum(STUDY_FORMS)).default([]),
    source: z.string().trim().min(1).max(300),
  }),
]);
export type TIntakeWindow = z.infer<typeof ZIntakeWindow>;

export const ZTuition = z.strictObject({
  amount: z.number().positive().max(100_000_000),
  currency: z.enum(CURRENCIES),
  period: z.enum(TUITION_PERIODS),
});

export const ZProgramInput = z.strictObject({
  slug,
  /** Slug of the university that runs the program. */
  university: slug,
  level: z.enum(LEVELS),
  title: ZText,
  /** Official specialty code where one exists: Russia 31.08.36, Kazakhstan 7R01101, … */
  specialtyCode: z
    .string()
    .trim()
    .regex(/^[0-9A-Z.]{2,20}$/, 'an official code such as 31.08.36 or 7R01101')
    .nullable()
    .default(null),
  durations: z.array(ZDurationRule).max(10).default([]),
  languages: z.array(z.enum(LANGUAGES)).max(6).default([]),
  languagePreparation: z.boolean().nullable().default(null),
  studyForms: z.array(z.enum(STUDY_FORMS)).max(4).default([]),
  fundingKinds: z.array(z.enum(FUNDING_KINDS)).max(3).default([]),
  tuition: ZTuition.nullable().default(null),
  clinicalPractice: z.boolean().nullable().default(null),
  exchangePrograms: z.boolean().nullable().default(null),
  /** Contains state secrets: quota applicants only (S4-15). */
  stateSecret: z.boolean().default(false),
  entranceExams: ZText.nullable().default(null),
  intakeWindows: z.array(ZIntakeWindow).max(10).default([]),
  notes: ZText.nullable().default(null),
  sources: ZSources.default({}),
});
export type TProgramInput = z.infer<typeof ZProgramInput>;

export const ZCatalogFile = z.strictObject({
  universities: z.array(ZUniversityInput).default([]),
  programs: z.array(ZProgramInput).default([]),
});
export type TCatalogFile = z.infer<typeof ZCatalogFile>;
