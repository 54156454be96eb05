/** Client and types of the dossier API. Mirrors src/domain/dossier/dossier.schema.ts (ZDossier). */
import { request } from '../../api';

export const CATEGORIES = ['contract', 'quota', 'treaty', 'compatriot', 'stateless'] as const;
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
export const EDUCATION_FIELDS = [
  'general_medicine',
  'pediatrics',
  'dentistry',
  'pharmacy',
  'other_medical',
  'non_medical',
] as const;
export const OLYMPIAD = ['none', 'winner', 'prize_winner'] as const;

export type Category = (typeof CATEGORIES)[number];
export type EducationLevel = (typeof EDUCATION_LEVELS)[number];
export type EducationField = (typeof EDUCATION_FIELDS)[number];
export type Olympiad = (typeof OLYMPIAD)[number];

/** A grade on its own scale; max may be below min on inverted scales (German 1.0 best). */
export interface Grade {
  value: number;
  min: number;
  pass: number;
  max: number;
}

export interface Education {
  id: string;
  institution: string;
  country: string;
  level: EducationLevel;
  field: EducationField;
  title: string;
  startedOn: string | null;
  finishedOn: string | null;
  /** ISO 639-1; not Russian → a certified translation is required. */
  documentLanguage: string;
  grade: Grade | null;
  worldRankingPosition: number | null;
}

export interface LanguageCertificate {
  id: string;
  language: string;
  name: string;
  level: string;
  issuedOn: string | null;
}

export interface Dossier {
  latinName: { surname: string; givenNames: string };
  cyrillicName: { surname: string; givenNames: string; patronymic: string | null } | null;
  dateOfBirth: string | null;
  /** Null for stateless persons. */
  citizenship: string | null;
  category: Category;
  passport: { number: string; issuingCountry: string; issuedOn: string; expiresOn: string } | null;
  visa: { enteredOnVisa: boolean; number: string | null; expiresOn: string | null } | null;
  education: Education[];
  internship: { completed: boolean; institution: string | null; finishedOn: string | null } | null;
  languageCertificates: LanguageCertificate[];
  achievements: { id: string; title: string; year: number }[];
  olympiad: Olympiad;
  recommendations: { id: string; from: string }[];
  motivationLetter: string | null;
  volunteering: string | null;
}

export interface ConvertedGrade {
  educationId: string;
  fivePoint: number;
  /** The points of the piecewise-linear rule, in the order min → 2, pass → 3, max → 5. */
  anchors: { from: number; to: number }[];
}

export interface DossierView {
  dossier: Dossier | null;
  updatedAt: string | null;
  grades: ConvertedGrade[];
}

type Signal = AbortSignal | undefined;

export const dossierApi = {
  mine: (signal?: Signal) => request<DossierView>('GET', '/api/v1/me/dossier', undefined, { signal }),
  save: (dossier: Dossier) => request<DossierView>('PUT', '/api/v1/me/dossier', dossier),
  ofApplicant: (id: string, signal?: Signal) =>
    request<DossierView>('GET', `/api/v1/applicants/${encodeURIComponent(id)}/dossier`, undefined, { signal }),
};

/** A short random id for a new dossier entry (education, certificate…); works outside secure contexts too. */
export function newEntryId(prefix: string): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
