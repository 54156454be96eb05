import { z } from 'zod';
import {
  COUNTRIES,
  FUNDING_KINDS,
  LANGUAGES,
  LEVELS,
  STUDY_FORMS,
  ZDurationRule,
  ZIntakeWindow,
  ZText,
  ZTuition,
} from '../../domain/catalog/catalog.schema.js';
import { programToInput } from '../catalog/catalog.mapping.js';
import type { CatalogSnapshot, ProgramRow, UniversityRow } from '../catalog/catalog.store.js';

const ZDuration = z.object({ minMonths: z.number().nullable(), maxMonths: z.number(), source: z.string() });

export const ZUniversityRef = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: ZText,
    shortName: z.string().nullable(),
    country: z.enum(COUNTRIES).nullable(),
    city: ZText.nullable(),
  })
  .meta({ id: 'UniversityRef' });

export const ZProgramSummary = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    level: z.enum(LEVELS),
    title: ZText,
    specialtyCode: z.string().nullable(),
    university: ZUniversityRef,
    duration: ZDuration.nullable().describe('For the upcoming intake; null = not stated'),
    languages: z.array(z.enum(LANGUAGES)),
    languagePreparation: z.boolean().nullable(),
    studyForms: z.array(z.enum(STUDY_FORMS)),
    fundingKinds: z.array(z.enum(FUNDING_KINDS)),
    tuition: ZTuition.nullable(),
    clinicalPractice: z.boolean().nullable(),
    exchangePrograms: z.boolean().nullable(),
    acceptingNow: z.boolean(),
  })
  .meta({ id: 'ProgramSummary' });

export const ZProgramDetail = ZProgramSummary.extend({
  intakeYear: z.number().int(),
  stateSecret: z.boolean().describe('quota applicants only (S4-15)'),
  durations: z.array(ZDurationRule),
  entranceExams: ZText.nullable(),
  intakeWindows: z.array(ZIntakeWindow),
  notes: ZText.nullable(),
  sources: z.record(z.string(), z.string()),
  universityFacts: z.object({
    languages: z.array(z.enum(LANGUAGES)),
    wdomsListed: z.boolean().nullable(),
    multidisciplinaryClinicalBases: z.boolean().nullable(),
    partnerships: ZText.nullable(),
    exchangePrograms: ZText.nullable(),
    sources: z.record(z.string(), z.string()),
  }),
  updatedAt: z.string(),
}).meta({ id: 'ProgramDetail' });

export const ZUniversityDetail = ZUniversityRef.extend({
  nameKk: z.string().nullable(),
  website: z.string().nullable(),
  wdomsListed: z.boolean().nullable(),
  languages: z.array(z.enum(LANGUAGES)),
  multidisciplinaryClinicalBases: z.boolean().nullable(),
  clinicalBases: ZText.nullable(),
  partnerships: ZText.nullable(),
  exchangePrograms: ZText.nullable(),
  description: ZText.nullable(),
  sources: z.record(z.string(), z.string()),
  agencies: z.array(z.object({ slug: z.string(), name: ZText })),
  programs: z.array(ZProgramSummary),
  updatedAt: z.string(),
}).meta({ id: 'UniversityDetail' });

export function presentUniversityRef(u: UniversityRow): z.infer<typeof ZUniversityRef> {
  return {
    id: u.id,
    slug: u.slug,
    name: { en: u.nameEn, ru: u.nameRu },
    shortName: u.shortName,
    country: u.country as z.infer<typeof ZUniversityRef>['country'],
    city: u.city,
  };
}

export function presentProgramSummary(
  snapshot: CatalogSnapshot,
  p: ProgramRow,
  now: Date,
): z.infer<typeof ZProgramSummary> {
  const university = snapshot.universities.get(p.universityId) as UniversityRow;
  const input = programToInput(p, university.slug);
  return {
    id: p.id,
    slug: p.slug,
    level: input.level,
    title: input.title,
    specialtyCode: p.specialtyCode,
    university: presentUniversityRef(university),
    duration: snapshot.index.durationOf(p.id),
    languages: input.languages,
    languagePreparation: p.languagePreparation,
    studyForms: input.studyForms,
    fundingKinds: input.fundingKinds,
    tuition: input.tuition,
    clinicalPractice: p.clinicalPractice,
    exchangePrograms: p.exchangePrograms,
    acceptingNow: snapshot.index.isAccepting(p.id, now),
  };
}

export function presentProgramDetail(
  snapshot: CatalogSnapshot,
  p: ProgramRow,
  now: Date,
): z.infer<typeof ZProgramDetail> {
  const university = snapshot.universities.get(p.universityId) as UniversityRow;
  const input = programToInput(p, university.slug);
  return {
    ...presentProgramSummary(snapshot, p, now),
    intakeYear: snapshot.index.intakeYear,
    stateSecret: p.stateSecret,
    durations: input.durations,
    entranceExams: input.entranceExams,
    intakeWindows: input.intakeWindows,
    notes: input.notes,
    sources: input.sources,
    universityFacts: {
      languages: university.languages as z.infer<typeof ZProgramDetail>['languages'],
      wdomsListed: university.wdomsListed,
      multidisciplinaryClinicalBases: university.multidisciplinaryClinicalBases,
      partnerships: university.partnerships,
      exchangePrograms: university.exchangePrograms,
      sources: university.sources,
    },
    updatedAt: p.updatedAt.toISOString(),
  };
}
