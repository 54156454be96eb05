import { z } from 'zod';
import { CATEGORIES } from '../dossier/dossier.schema.js';

/**
 * Document requirements of a campaign, as data an officer chooses and edits (RULES ids in `source`).
 * `categories` limits a requirement to some admission categories; `optional` ones add points or
 * information but never block a submission.
 */
const common = {
  id: z.string().min(1).max(60),
  categories: z.array(z.enum(CATEGORIES)).max(5).nullable().default(null),
  optional: z.boolean().default(false),
  source: z.string().trim().min(1).max(300),
};

export const ZRequirement = z.discriminatedUnion('type', [
  z.strictObject({
    ...common,
    type: z.literal('passport'),
    /** The passport must be valid at least this many months after the reference date (S0-4: 20). */
    minValidityMonths: z.number().int().min(0).max(120),
    /** "submission": counted from the day of submission; or a fixed date such as the start of studies. */
    referenceDate: z.union([z.literal('submission'), z.iso.date()]).default('submission'),
  }),
  z.strictObject({ ...common, type: z.literal('education_document'), transcript: z.boolean().default(true) }),
  /** A certified Russian translation of every education document not in Russian (S4-7). */
  z.strictObject({ ...common, type: z.literal('translation') }),
  /** Recognition of education from abroad in the campaign's country (Russia: Art. 117 of 273-FZ, S4-7). */
  z.strictObject({
    ...common,
    type: z.literal('recognition'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .default('RU'),
  }),
  /** Names in the translations must equal those of the passport and visa (S4-10). */
  z.strictObject({ ...common, type: z.literal('name_consistency') }),
  z.strictObject({
    ...common,
    type: z.literal('medical_report'),
    hivTest: z.boolean().default(true),
    /** The report must not be older than this on the day of submission. */
    maxAgeDays: z.number().int().min(1).max(3650),
  }),
  z.strictObject({
    ...common,
    type: z.literal('photos'),
    count: z.number().int().min(1).max(10),
    /** 3×4 cm: width / height = 3 / 4 (tolerance 3 %). */
    format: z.literal('3x4').default('3x4'),
  }),
  z.strictObject({ ...common, type: z.literal('visa_copy') }),
  z.strictObject({ ...common, type: z.literal('ministry_referral') }),
  z.strictObject({ ...common, type: z.literal('treaty_proof') }),
  z.strictObject({ ...common, type: z.literal('compatriot_proof') }),
  z.strictObject({ ...common, type: z.literal('internship_certificate') }),
  z.strictObject({
    ...common,
    type: z.literal('language_certificate'),
    languages: z.array(z.string().regex(/^[a-z]{2}$/)).default([]),
  }),
  z.strictObject({ ...common, type: z.literal('achievements') }),
  z.strictObject({ ...common, type: z.literal('motivation_letter') }),
  z.strictObject({ ...common, type: z.literal('recommendations') }),
]);
export type TRequirement = z.infer<typeof ZRequirement>;
export type RequirementType = TRequirement['type'];

/** Eligibility rules of a campaign or program, applied before documents. */
export const ZEligibility = z.strictObject({
  /** Residency: higher medical or pharmaceutical education (S0-3). */
  requiresHigherMedicalEducation: z.boolean().default(false),
  /** KazNMU residency: internship completed (S2-1). */
  requiresInternship: z.boolean().default(false),
  source: z.string().trim().max(300).default(''),
});
export type TEligibility = z.infer<typeof ZEligibility>;
