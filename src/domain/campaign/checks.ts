import type { DocumentFacts, EducationField, EducationLevel, TDossier } from '../dossier/dossier.schema.js';
import { matchNames } from '../dossier/name-match.js';
import { checkRequirement, type Finding } from './requirement-checks.js';
import type { TEligibility, TRequirement } from './requirements.schema.js';

/**
 * The automatic checklist an applicant sees before submitting, and an officer sees after: one result per
 * requirement, per eligibility rule and for name consistency, each with a stable code the UI localizes.
 */

export type CheckStatus = 'pass' | 'fail' | 'review' | 'missing';

export interface CheckResult {
  /** Requirement id, 'eligibility.<rule>', or 'name-consistency'. */
  id: string;
  /** 'missing' = not uploaded or filled in yet. */
  status: CheckStatus;
  /** Stops submission: fail/missing on a non-optional requirement, a failed eligibility rule, names. */
  blocking: boolean;
  code: string;
  params: Record<string, string | number>;
  /** RULES id, or the requirement's source. */
  source: string;
}

export interface CheckInput {
  dossier: TDossier;
  /** Current versions; rejected ones do not count as present. */
  documents: DocumentFacts[];
  requirements: TRequirement[];
  eligibility: TEligibility;
  program: { level: string; languages: string[]; stateSecret: boolean; title?: string };
  /** YYYY-MM-DD, the server's date of the check. */
  asOf: string;
}

/** Residency needs a completed higher medical or pharmaceutical degree (S0-3). */
const HIGHER_LEVELS: readonly EducationLevel[] = ['specialist', 'medical_degree', 'master', 'residency'];
const MEDICAL_FIELDS: readonly EducationField[] = [
  'general_medicine',
  'pediatrics',
  'dentistry',
  'pharmacy',
  'other_medical',
];

function result(id: string, finding: Finding, blockingIfUnmet: boolean, source: string): CheckResult {
  const unmet = finding.status === 'fail' || finding.status === 'missing';
  return { id, ...finding, blocking: blockingIfUnmet && unmet, source };
}

function eligibilityChecks({ dossier, eligibility, program }: CheckInput): CheckResult[] {
  const results: CheckResult[] = [];
  if (eligibility.requiresHigherMedicalEducation) {
    const degree = dossier.education.find((e) => HIGHER_LEVELS.includes(e.level) && MEDICAL_FIELDS.includes(e.field));
    const finding: Finding = degree
      ? { status: 'pass', code: 'ok', params: { institution: degree.institution } }
      : { status: 'fail', code: 'no_higher_medical_education', params: {} };
    results.push(result('eligibility.higher_medical_education', finding, true, eligibility.source || 'S0-3'));
  }
  if (eligibility.requiresInternship) {
    const finding: Finding = dossier.internship?.completed
      ? { status: 'pass', code: 'ok', params: {} }
      : { status: 'fail', code: 'internship_required', params: {} };
    results.push(result('eligibility.internship', finding, true, eligibility.source || 'S2-1'));
  }
  if (program.stateSecret) {
    const finding: Finding =
      dossier.category === 'quota'
        ? { status: 'pass', code: 'ok', params: {} }
        : { status: 'fail', code: 'state_secret_quota_only', params: { category: dossier.category } };
    results.push(result('eligibility.state_secret', finding, true, 'S4-15'));
  }
  if (program.languages.length > 0) {
    results.push(result('eligibility.language', languageEvidence(dossier, program.languages), false, 'S0-6'));
  }
  return results;
}

/** Advice, never a bar: without evidence of the language of instruction, suggest the preparatory department (S0-6). */
function languageEvidence(dossier: TDossier, languages: readonly string[]): Finding {
  const certificate = dossier.languageCertificates.find((c) => languages.includes(c.language));
  if (certificate) return { status: 'pass', code: 'ok', params: { language: certificate.language } };
  const education = dossier.education.find((e) => languages.includes(e.documentLanguage));
  if (education) return { status: 'pass', code: 'ok', params: { language: education.documentLanguage } };
  return { status: 'review', code: 'language_preparation_suggested', params: { languages: languages.join(', ') } };
}

/** Names in the translations must be those of the passport and visa (S4-10); a close call is an officer's. */
function nameConsistency({ dossier }: CheckInput, req: TRequirement): CheckResult {
  if (dossier.cyrillicName === null) {
    return result(req.id, { status: 'missing', code: 'cyrillic_name_missing', params: {} }, !req.optional, req.source);
  }
  const match = matchNames(dossier.latinName, dossier.cyrillicName);
  const params: Finding['params'] = {};
  for (const p of match.parts) {
    params[p.part] = p.latin;
    params[`${p.part}Cyrillic`] = p.cyrillic;
    params[`${p.part}Closest`] = p.closest;
    params[`${p.part}Scheme`] = p.scheme;
    params[`${p.part}Similarity`] = p.similarity;
    params[`${p.part}Verdict`] = p.verdict;
  }
  const finding: Finding =
    match.verdict === 'match'
      ? { status: 'pass', code: 'name_match', params }
      : match.verdict === 'review'
        ? { status: 'review', code: 'name_review', params }
        : { status: 'fail', code: 'name_mismatch', params };
  return result(req.id, finding, !req.optional, req.source);
}

/**
 * Eligibility first (it decides whether documents matter), then every requirement in campaign order,
 * then name consistency. A requirement limited to other categories is shown as not applicable.
 */
export function runChecks(input: CheckInput): CheckResult[] {
  const documents = input.requirements.flatMap((req) => {
    if (req.type === 'name_consistency') return [];
    const applies = req.categories === null || req.categories.includes(input.dossier.category);
    const finding: Finding = applies
      ? checkRequirement(req, input)
      : { status: 'pass', code: 'not_applicable', params: {} };
    return [result(req.id, finding, !req.optional, req.source)];
  });
  // Only campaigns that ask for it (S4-10: Russian translations must match the visa) check names.
  const names = input.requirements.filter((r) => r.type === 'name_consistency').map((r) => nameConsistency(input, r));
  return [...eligibilityChecks(input), ...documents, ...names];
}

/** Submission waits only for blocking results; reviews and optional gaps go to the officer as they are. */
export function canSubmit(results: readonly CheckResult[]): boolean {
  return !results.some((r) => r.blocking);
}
