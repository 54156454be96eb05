/** Client and types of the catalog API (programs, universities, comparison). Mirrors src/domain/catalog. */
import { request } from '../../api';

export const COUNTRIES = ['RU', 'BY', 'KZ'] as const;
export const LEVELS = ['preparatory', 'bachelor', 'specialist', 'master', 'residency', 'phd'] as const;
export const STUDY_FORMS = ['full_time', 'part_time', 'correspondence', 'distance'] as const;
export const FUNDING_KINDS = ['quota', 'contract', 'treaty'] as const;
export const LANGUAGES = ['ru', 'en', 'kk', 'be', 'fr', 'de'] as const;
export const TUITION_PERIODS = ['year', 'program', 'month'] as const;
export const CURRENCIES = ['RUB', 'BYN', 'KZT', 'USD', 'EUR'] as const;
export const SORTS = ['relevance', 'title', 'duration', 'tuition', 'university'] as const;

export type Country = (typeof COUNTRIES)[number];
export type Level = (typeof LEVELS)[number];
export type StudyForm = (typeof STUDY_FORMS)[number];
export type FundingKind = (typeof FUNDING_KINDS)[number];
export type Language = (typeof LANGUAGES)[number];
export type TuitionPeriod = (typeof TUITION_PERIODS)[number];
export type Currency = (typeof CURRENCIES)[number];

/** A text in both languages of the catalog. */
export interface Text {
  en: string;
  ru: string;
}

export interface Duration {
  /** Null when the source gives only an upper bound. */
  minMonths: number | null;
  maxMonths: number;
  source: string;
}

export interface DurationRule extends Duration {
  fromIntakeYear: number | null;
  toIntakeYear: number | null;
}

export type IntakeWindow =
  | { yearRound: true; source: string }
  | { yearRound: false; opens: string; closes: string; studyForms: StudyForm[]; source: string };

export interface Tuition {
  amount: number;
  currency: Currency;
  period: TuitionPeriod;
}

export interface UniversityRef {
  id: string;
  slug: string;
  name: Text;
  shortName: string | null;
  country: Country | null;
  city: Text | null;
}

export interface ProgramSummary {
  id: string;
  slug: string;
  level: Level;
  title: Text;
  specialtyCode: string | null;
  university: UniversityRef;
  /** For the upcoming intake; null = not stated. */
  duration: Duration | null;
  languages: Language[];
  languagePreparation: boolean | null;
  studyForms: StudyForm[];
  fundingKinds: FundingKind[];
  tuition: Tuition | null;
  clinicalPractice: boolean | null;
  exchangePrograms: boolean | null;
  acceptingNow: boolean;
}

export interface ProgramDetail extends ProgramSummary {
  intakeYear: number;
  durations: DurationRule[];
  entranceExams: Text | null;
  intakeWindows: IntakeWindow[];
  notes: Text | null;
  sources: Record<string, string>;
  universityFacts: {
    languages: Language[];
    wdomsListed: boolean | null;
    multidisciplinaryClinicalBases: boolean | null;
    partnerships: Text | null;
    exchangePrograms: Text | null;
    sources: Record<string, string>;
  };
  updatedAt: string;
}

export const FACETS = [
  'country',
  'city',
  'university',
  'level',
  'specialty',
  'language',
  'studyForm',
  'funding',
  'languagePreparation',
  'clinicalPractice',
  'exchange',
  'acceptingNow',
] as const;
export type Facet = (typeof FACETS)[number];

export interface FacetValue {
  value: string;
  label: Text;
  count: number;
}

export interface SearchResult {
  total: number;
  page: number;
  pageSize: number;
  intakeYear: number;
  items: ProgramSummary[];
  facets: Record<Facet, FacetValue[]>;
}

export interface UniversityListItem extends UniversityRef {
  programCount: number;
}

export interface UniversityDetail extends UniversityRef {
  nameKk: string | null;
  website: string | null;
  wdomsListed: boolean | null;
  languages: Language[];
  multidisciplinaryClinicalBases: boolean | null;
  clinicalBases: Text | null;
  partnerships: Text | null;
  exchangePrograms: Text | null;
  description: Text | null;
  sources: Record<string, string>;
  agencies: { slug: string; name: Text }[];
  programs: ProgramSummary[];
  updatedAt: string;
}

/** The body of PUT /programs/{slug}. */
export interface ProgramInput {
  slug: string;
  university: string;
  level: Level;
  title: Text;
  specialtyCode: string | null;
  durations: DurationRule[];
  languages: Language[];
  languagePreparation: boolean | null;
  studyForms: StudyForm[];
  fundingKinds: FundingKind[];
  tuition: Tuition | null;
  clinicalPractice: boolean | null;
  exchangePrograms: boolean | null;
  entranceExams: Text | null;
  intakeWindows: IntakeWindow[];
  notes: Text | null;
  sources: Record<string, string>;
}

type Signal = AbortSignal | undefined;
const path = (slug: string) => encodeURIComponent(slug);

export const catalogApi = {
  search: (query: URLSearchParams, signal?: Signal) =>
    request<SearchResult>('GET', `/api/v1/programs?${query.toString()}`, undefined, { signal }),
  program: (slug: string, signal?: Signal) =>
    request<ProgramDetail>('GET', `/api/v1/programs/${path(slug)}`, undefined, { signal }),
  compare: (slugs: readonly string[], signal?: Signal) =>
    request<{ items: ProgramDetail[] }>(
      'GET',
      `/api/v1/compare?${new URLSearchParams({ programs: slugs.join(',') }).toString()}`,
      undefined,
      { signal },
    ),
  universities: (signal?: Signal) =>
    request<{ items: UniversityListItem[] }>('GET', '/api/v1/universities', undefined, { signal }),
  university: (slug: string, signal?: Signal) =>
    request<UniversityDetail>('GET', `/api/v1/universities/${path(slug)}`, undefined, { signal }),
  saveProgram: (input: ProgramInput) =>
    request<{ id: string; created: boolean }>('PUT', `/api/v1/programs/${path(input.slug)}`, input),
};
