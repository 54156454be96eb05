import { z } from 'zod';

/**
 * The applicant's dossier: what they tell about themselves. Documents (files) are separate and refer
 * to dossier entries (e.g. a diploma to an education entry). Every field an applicant fills is here,
 * validated with the same schema by the API and the web forms.
 */

export const CATEGORIES = ['contract', 'quota', 'treaty', 'compatriot', 'stateless'] as const;
export type Category = (typeof CATEGORIES)[number];

export const EDUCATION_LEVELS = [
  'secondary',
  'bachelor',
  'specialist',
  'medical_degree',
  'master',
  'internship',
  'residency',
  'phd',
] as const;
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];

/** What the studies were in: residency needs higher medical or pharmaceutical education (RULES S0-3). */
export const EDUCATION_FIELDS = [
  'general_medicine',
  'pediatrics',
  'dentistry',
  'pharmacy',
  'other_medical',
  'non_medical',
] as const;
export type EducationField = (typeof EDUCATION_FIELDS)[number];

const isoDate = z.iso.date();
const latin = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z][A-Za-z' -]*$/, 'Latin letters, spaces, hyphens and apostrophes, as in the passport');
const cyrillic = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[А-ЯЁа-яё][А-ЯЁа-яё' -]*$/, 'Cyrillic letters, spaces and hyphens, as in the Russian translation');

/** A grade on its own scale: min, pass mark and max (max may be below min on inverted scales). */
export const ZGrade = z
  .strictObject({
    value: z.number(),
    min: z.number(),
    pass: z.number(),
    max: z.number(),
  })
  .refine((g) => g.min !== g.max, { message: 'min and max must differ', path: ['max'] })
  .refine((g) => (g.max > g.min ? g.pass > g.min && g.pass < g.max : g.pass < g.min && g.pass > g.max), {
    message: 'the pass mark must lie between min and max',
    path: ['pass'],
  })
  .refine((g) => (g.max > g.min ? g.value >= g.min && g.value <= g.max : g.value <= g.min && g.value >= g.max), {
    message: 'the grade must lie between min and max',
    path: ['value'],
  });
export type TGrade = z.infer<typeof ZGrade>;

export const ZEducation = z.strictObject({
  id: z.string().min(1).max(40),
  institution: z.string().trim().min(1).max(300),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code'),
  level: z.enum(EDUCATION_LEVELS),
  field: z.enum(EDUCATION_FIELDS),
  title: z.string().trim().min(1).max(300).describe('degree or qualification as written on the document'),
  startedOn: isoDate.nullable().default(null),
  finishedOn: isoDate.nullable().default(null),
  /** ISO 639-1 language the education document is written in; not Russian → a certified translation is required (S4-7). */
  documentLanguage: z.string().regex(/^[a-z]{2}$/),
  grade: ZGrade.nullable().default(null),
  /** Position of the institution in world rankings (master's portfolio, S4-6). */
  worldRankingPosition: z.number().int().min(1).max(100_000).nullable().default(null),
});
export type TEducation = z.infer<typeof ZEducation>;

export const ZLanguageCertificate = z.strictObject({
  id: z.string().min(1).max(40),
  language: z.string().regex(/^[a-z]{2}$/),
  name: z.string().trim().min(1).max(100).describe('e.g. TORFL-1, IELTS Academic'),
  level: z.string().trim().min(1).max(20).describe('e.g. B1, 6.5'),
  issuedOn: isoDate.nullable().default(null),
});

export const ZDossier = z.strictObject({
  latinName: z.strictObject({ surname: latin, givenNames: latin }),
  cyrillicName: z
    .strictObject({ surname: cyrillic, givenNames: cyrillic, patronymic: cyrillic.nullable().default(null) })
    .nullable()
    .default(null),
  dateOfBirth: isoDate.nullable().default(null),
  citizenship: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .nullable()
    .default(null)
    .describe('ISO 3166-1 alpha-2; null for stateless persons'),
  category: z.enum(CATEGORIES).default('contract'),
  passport: z
    .strictObject({
      number: z.string().trim().min(3).max(20),
      issuingCountry: z.string().regex(/^[A-Z]{2}$/),
      issuedOn: isoDate,
      expiresOn: isoDate,
    })
    .refine((p) => p.expiresOn > p.issuedOn, { message: 'must be after the issue date', path: ['expiresOn'] })
    .nullable()
    .default(null),
  /** Set when the applicant entered or will enter on a visa: then a visa copy is required (S4-9) and names must match it (S4-10). */
  visa: z
    .strictObject({
      enteredOnVisa: z.boolean(),
      number: z.string().trim().min(3).max(20).nullable().default(null),
      expiresOn: isoDate.nullable().default(null),
    })
    .nullable()
    .default(null),
  education: z.array(ZEducation).max(10).default([]),
  internship: z
    .strictObject({
      completed: z.boolean(),
      institution: z.string().trim().max(300).nullable().default(null),
      finishedOn: isoDate.nullable().default(null),
    })
    .nullable()
    .default(null),
  languageCertificates: z.array(ZLanguageCertificate).max(10).default([]),
  achievements: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(40),
        title: z.string().trim().min(1).max(300),
        year: z.number().int().min(1950).max(2100),
      }),
    )
    .max(20)
    .default([]),
  olympiad: z.enum(['none', 'winner', 'prize_winner']).default('none'),
  recommendations: z
    .array(z.strictObject({ id: z.string().min(1).max(40), from: z.string().trim().min(1).max(300) }))
    .max(10)
    .default([]),
  motivationLetter: z.string().trim().max(10_000).nullable().default(null),
  volunteering: z.string().trim().max(5_000).nullable().default(null),
});
export type TDossier = z.infer<typeof ZDossier>;

export const DOCUMENT_KINDS = [
  'passport',
  'education_document',
  'transcript',
  'education_translation',
  'recognition',
  'medical_report',
  'photo',
  'visa',
  'ministry_referral',
  'treaty_proof',
  'compatriot_proof',
  'internship_certificate',
  'language_certificate',
  'achievement',
  'motivation_letter',
  'recommendation',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** What the checks know of an uploaded document (its current version). */
export interface DocumentFacts {
  id: string;
  kind: DocumentKind;
  /** The dossier entry it belongs to, e.g. the education id a diploma or its translation is for. */
  relatesTo: string | null;
  /** Issue date stated by the applicant (medical report freshness). */
  issuedOn: string | null;
  /** Pixel size of images (photos must be 3:4). */
  width: number | null;
  height: number | null;
  /** Officer's verdict on the current version. */
  status: 'pending' | 'accepted' | 'rejected';
}
