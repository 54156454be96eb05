import type { programs, universities } from '../../db/schema.js';
import type { TProgramInput, TUniversityInput } from '../../domain/catalog/catalog.schema.js';
import type { ProgramRow, UniversityRow } from './catalog.store.js';

/** Stored row → exchange format (export, edit forms). */
export function universityToInput(u: UniversityRow): TUniversityInput {
  return {
    slug: u.slug,
    name: { en: u.nameEn, ru: u.nameRu, ...(u.nameKk ? { kk: u.nameKk } : {}) },
    shortName: u.shortName,
    country: (u.country ?? 'RU') as TUniversityInput['country'],
    city: u.city ?? { en: '', ru: '' },
    website: u.website,
    wdomsListed: u.wdomsListed,
    languages: u.languages as TUniversityInput['languages'],
    multidisciplinaryClinicalBases: u.multidisciplinaryClinicalBases,
    clinicalBases: u.clinicalBases,
    partnerships: u.partnerships,
    exchangePrograms: u.exchangePrograms,
    description: u.description,
    sources: u.sources,
  };
}

export function programToInput(p: ProgramRow, universitySlug: string): TProgramInput {
  return {
    slug: p.slug,
    university: universitySlug,
    level: p.level as TProgramInput['level'],
    title: { en: p.titleEn, ru: p.titleRu },
    specialtyCode: p.specialtyCode,
    durations: p.durations as TProgramInput['durations'],
    languages: p.languages as TProgramInput['languages'],
    languagePreparation: p.languagePreparation,
    studyForms: p.studyForms as TProgramInput['studyForms'],
    fundingKinds: p.fundingKinds as TProgramInput['fundingKinds'],
    tuition:
      p.tuitionAmount !== null && p.tuitionCurrency && p.tuitionPeriod
        ? {
            amount: p.tuitionAmount,
            currency: p.tuitionCurrency as NonNullable<TProgramInput['tuition']>['currency'],
            period: p.tuitionPeriod as NonNullable<TProgramInput['tuition']>['period'],
          }
        : null,
    clinicalPractice: p.clinicalPractice,
    exchangePrograms: p.exchangePrograms,
    stateSecret: p.stateSecret,
    entranceExams: p.entranceExams,
    intakeWindows: p.intakeWindows as TProgramInput['intakeWindows'],
    notes: p.notes,
    sources: p.sources,
  };
}

/** Exchange format → columns to store. */
export function universityValues(input: TUniversityInput): typeof universities.$inferInsert {
  return {
    slug: input.slug,
    nameEn: input.name.en,
    nameRu: input.name.ru,
    nameKk: input.name.kk ?? null,
    shortName: input.shortName,
    country: input.country,
    city: input.city,
    website: input.website,
    wdomsListed: input.wdomsListed,
    languages: input.languages,
    multidisciplinaryClinicalBases: input.multidisciplinaryClinicalBases,
    clinicalBases: input.clinicalBases,
    partnerships: input.partnerships,
    exchangePrograms: input.exchangePrograms,
    description: input.description,
    sources: input.sources,
  };
}

export function programValues(input: TProgramInput, universityId: string): typeof programs.$inferInsert {
  return {
    slug: input.slug,
    universityId,
    level: input.level,
    titleEn: input.title.en,
    titleRu: input.title.ru,
    specialtyCode: input.specialtyCode,
    durations: input.durations,
    languages: input.languages,
    languagePreparation: input.languagePreparation,
    studyForms: input.studyForms,
    fundingKinds: input.fundingKinds,
    tuitionAmount: input.tuition?.amount ?? null,
    tuitionCurrency: input.tuition?.currency ?? null,
    tuitionPeriod: input.tuition?.period ?? null,
    clinicalPractice: input.clinicalPractice,
    exchangePrograms: input.exchangePrograms,
    stateSecret: input.stateSecret,
    entranceExams: input.entranceExams,
    intakeWindows: input.intakeWindows,
    notes: input.notes,
    sources: input.sources,
  };
}
