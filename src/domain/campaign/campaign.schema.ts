import { z } from 'zod';
import { FUNDING_KINDS, LEVELS, STUDY_FORMS, ZText } from '../catalog/catalog.schema.js';
import { ZEligibility, ZRequirement } from './requirements.schema.js';

const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/, 'a UTC instant such as 2026-07-20T18:59:59Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'not a real date');

/** A dated window of a campaign (see src/domain/campaign/deadlines.ts). */
export const ZWindow = z
  .strictObject({
    kind: z.enum(['documents', 'exams', 'enrollment']),
    opens: instant.nullable(),
    closes: instant.nullable(),
    yearRound: z.boolean().default(false),
    studyForms: z.array(z.enum(STUDY_FORMS)).default([]),
    funding: z.array(z.enum(FUNDING_KINDS)).default([]),
    source: z.string().trim().min(1).max(300),
  })
  .refine((w) => w.yearRound || w.opens === null || w.closes === null || w.closes > w.opens, {
    message: 'must be after opens',
    path: ['closes'],
  });
export type TWindow = z.infer<typeof ZWindow>;

export const ZCompetitionInput = z.strictObject({
  /** Program slug from the catalog; it must belong to the campaign's university. */
  program: z.string().min(2).max(120),
  funding: z.enum(FUNDING_KINDS),
  studyForm: z.enum(STUDY_FORMS).default('full_time'),
  /** Foreign citizens and stateless persons compete separately (S4-4). */
  applicantGroup: z.enum(['foreign']).default('foreign'),
  /** Seats the university sets (S4-4); 0 until it does. */
  seats: z.number().int().min(0).max(100_000).default(0),
  /** The competition of this campaign that receives the unfilled seats, by program and funding. */
  revertsTo: z
    .strictObject({
      program: z.string().min(2).max(120),
      funding: z.enum(FUNDING_KINDS),
      studyForm: z.enum(STUDY_FORMS).default('full_time'),
    })
    .nullable()
    .default(null),
});

const slug = z
  .string()
  .min(2)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens');

/** A campaign as officers edit it and as the demo data is written. */
export const ZCampaignInput = z.strictObject({
  slug,
  university: slug,
  title: ZText,
  academicYear: z.string().regex(/^\d{4}\/\d{2}$/, 'e.g. 2026/27'),
  level: z.enum(LEVELS),
  windows: z.array(ZWindow).max(20).default([]),
  requirements: z.array(ZRequirement).max(30).default([]),
  eligibility: ZEligibility.default({ requiresHigherMedicalEducation: false, requiresInternship: false, source: '' }),
  maxPriorities: z.number().int().min(1).max(20).default(5),
  notes: ZText.nullable().default(null),
  source: z.string().trim().max(500).default(''),
  competitions: z.array(ZCompetitionInput).max(500).default([]),
});
export type TCampaignInput = z.infer<typeof ZCampaignInput>;
