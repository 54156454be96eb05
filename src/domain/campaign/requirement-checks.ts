import type { DocumentFacts, DocumentKind, EducationLevel, TEducation } from '../dossier/dossier.schema.js';
import { addMonths, daysBetween } from './calendar-date.js';
import type { CheckInput, CheckStatus } from './checks.js';
import type { TRequirement } from './requirements.schema.js';

/** What one requirement's check found, before the checklist adds id, source and whether it blocks. */
export interface Finding {
  status: CheckStatus;
  code: string;
  params: Record<string, string | number>;
}

const ok = (params: Finding['params'] = {}): Finding => ({ status: 'pass', code: 'ok', params });
const notApplicable: Finding = { status: 'pass', code: 'not_applicable', params: {} };

/** 3×4 cm: width / height = 0.75, within 3 % (RULES S0-4, S4-7). */
export const PHOTO_RATIO = 0.75;
export const PHOTO_RATIO_TOLERANCE = 0.03;

/**
 * Education levels whose document admits to a program level: a master's needs a first degree, residency
 * and PhD a full medical degree (S0-3). An internship is training after the degree, not a diploma.
 */
const ADMITTING_LEVELS: Record<string, readonly EducationLevel[]> = {
  master: ['bachelor', 'specialist', 'medical_degree', 'master', 'residency', 'phd'],
  residency: ['specialist', 'medical_degree', 'master', 'residency', 'phd'],
  phd: ['specialist', 'medical_degree', 'master', 'residency', 'phd'],
};
const ANY_EDUCATION: readonly EducationLevel[] = [
  'secondary',
  'bachelor',
  'specialist',
  'medical_degree',
  'master',
  'residency',
  'phd',
];

/** Documents of a kind (for an entry), split into those that count and those an officer rejected. */
function docsOf(documents: readonly DocumentFacts[], kind: DocumentKind, relatesTo?: string) {
  const all = documents.filter((d) => d.kind === kind && (relatesTo === undefined || d.relatesTo === relatesTo));
  return { present: all.filter((d) => d.status !== 'rejected'), rejected: all.filter((d) => d.status === 'rejected') };
}

/** Null when a document counts; otherwise why not: never uploaded, or only rejected versions. */
function absence(
  documents: readonly DocumentFacts[],
  kind: DocumentKind,
  relatesTo?: string,
  missingCode = 'document_missing',
  params: Finding['params'] = {},
): Finding | null {
  const { present, rejected } = docsOf(documents, kind, relatesTo);
  if (present.length > 0) return null;
  return rejected.length > 0
    ? { status: 'missing', code: 'document_rejected', params: { kind, ...params } }
    : { status: 'missing', code: missingCode, params: { kind, ...params } };
}

function passport(req: Extract<TRequirement, { type: 'passport' }>, { dossier, documents, asOf }: CheckInput): Finding {
  if (dossier.passport === null) return { status: 'missing', code: 'passport_data_missing', params: {} };
  const reference = req.referenceDate === 'submission' ? asOf : req.referenceDate;
  const requiredUntil = addMonths(reference, req.minValidityMonths);
  const { expiresOn } = dossier.passport;
  if (expiresOn < requiredUntil) {
    return {
      status: 'fail',
      code: 'passport_expires_too_soon',
      params: { expiresOn, requiredUntil, months: req.minValidityMonths },
    };
  }
  return absence(documents, 'passport') ?? ok({ expiresOn, requiredUntil });
}

function photos(req: Extract<TRequirement, { type: 'photos' }>, { documents }: CheckInput): Finding {
  const { present, rejected } = docsOf(documents, 'photo');
  const wrong = present.find(
    (p) =>
      p.width !== null &&
      p.height !== null &&
      Math.abs(p.width / p.height - PHOTO_RATIO) > PHOTO_RATIO * PHOTO_RATIO_TOLERANCE,
  );
  if (wrong)
    return { status: 'fail', code: 'photo_not_3x4', params: { width: wrong.width ?? 0, height: wrong.height ?? 0 } };
  if (present.length < req.count) {
    const code = present.length === 0 && rejected.length > 0 ? 'document_rejected' : 'photos_too_few';
    return { status: 'missing', code, params: { kind: 'photo', have: present.length, need: req.count } };
  }
  // A scan without readable pixel size: the officer looks at it.
  if (present.some((p) => p.width === null || p.height === null))
    return { status: 'review', code: 'photo_size_unknown', params: {} };
  return ok({ have: present.length, need: req.count });
}

function educationDocument(req: Extract<TRequirement, { type: 'education_document' }>, input: CheckInput): Finding {
  const { dossier, documents, program } = input;
  if (dossier.education.length === 0) return { status: 'missing', code: 'education_missing', params: {} };
  const admitting = ADMITTING_LEVELS[program.level] ?? ANY_EDUCATION;
  const suitable = dossier.education.filter((e) => admitting.includes(e.level));
  if (suitable.length === 0)
    return { status: 'fail', code: 'education_level_unsuitable', params: { programLevel: program.level } };
  const kinds: DocumentKind[] = req.transcript ? ['education_document', 'transcript'] : ['education_document'];
  const gaps = suitable.map((e) => ({ education: e, gap: firstGap(documents, kinds, e) }));
  const complete = gaps.find((g) => g.gap === null);
  if (complete) return ok({ institution: complete.education.institution });
  // Report on the entry closest to done, so the applicant is told the one upload that is left.
  const closest = gaps.find((g) => g.gap?.params.kind !== 'education_document') ?? gaps[0];
  return closest?.gap ?? { status: 'missing', code: 'education_missing', params: {} };
}

function firstGap(
  documents: readonly DocumentFacts[],
  kinds: readonly DocumentKind[],
  education: TEducation,
): Finding | null {
  for (const kind of kinds) {
    const gap = absence(documents, kind, education.id, 'document_missing', { institution: education.institution });
    if (gap) return gap;
  }
  return null;
}

function translation({ dossier, documents }: CheckInput): Finding {
  const foreign = dossier.education.filter((e) => e.documentLanguage !== 'ru');
  if (foreign.length === 0) return notApplicable;
  const gaps = foreign.flatMap((e) => {
    const gap = absence(documents, 'education_translation', e.id, 'translation_missing', {
      institution: e.institution,
    });
    return gap ? [gap] : [];
  });
  const first = gaps[0];
  return first ? { ...first, params: { ...first.params, count: gaps.length } } : ok({ count: foreign.length });
}

function recognition(req: Extract<TRequirement, { type: 'recognition' }>, { dossier, documents }: CheckInput): Finding {
  if (!dossier.education.some((e) => e.country !== req.country)) return notApplicable;
  return absence(documents, 'recognition', undefined, 'recognition_missing') ?? ok();
}

function medicalReport(
  req: Extract<TRequirement, { type: 'medical_report' }>,
  { documents, asOf }: CheckInput,
): Finding {
  const { present } = docsOf(documents, 'medical_report');
  if (present.length === 0) return absence(documents, 'medical_report') ?? ok();
  const dated = present.flatMap((d) => (d.issuedOn === null ? [] : [d.issuedOn])).sort();
  const issuedOn = dated.filter((d) => d <= asOf).at(-1);
  if (issuedOn === undefined) {
    return dated.length > 0
      ? { status: 'fail', code: 'medical_report_date_in_future', params: { issuedOn: dated[0] ?? '' } }
      : { status: 'missing', code: 'medical_report_date_missing', params: {} };
  }
  if (daysBetween(issuedOn, asOf) > req.maxAgeDays) {
    return { status: 'fail', code: 'medical_report_too_old', params: { issuedOn, maxAgeDays: req.maxAgeDays } };
  }
  return ok({ issuedOn, maxAgeDays: req.maxAgeDays });
}

function languageCertificate(req: Extract<TRequirement, { type: 'language_certificate' }>, input: CheckInput): Finding {
  const { dossier, documents } = input;
  const certificates = dossier.languageCertificates.filter(
    (c) => req.languages.length === 0 || req.languages.includes(c.language),
  );
  const languages = req.languages.join(', ');
  if (certificates.length === 0)
    return { status: 'missing', code: 'language_certificate_missing', params: { languages } };
  const gaps = certificates.map((c) =>
    absence(documents, 'language_certificate', c.id, 'document_missing', { name: c.name }),
  );
  const uploaded = certificates.find((_, i) => gaps[i] === null);
  return uploaded ? ok({ language: uploaded.language, name: uploaded.name }) : (gaps[0] ?? ok());
}

/** Requirements that apply only to one admission category, whatever the campaign data says (S4-2, S4-3). */
const ONLY_FOR = { ministry_referral: 'quota', treaty_proof: 'treaty', compatriot_proof: 'compatriot' } as const;

/** Each requirement type's rule; the categories filter and blocking are the checklist's business. */
export function checkRequirement(req: TRequirement, input: CheckInput): Finding {
  const { dossier, documents } = input;
  switch (req.type) {
    case 'passport':
      return passport(req, input);
    case 'photos':
      return photos(req, input);
    case 'education_document':
      return educationDocument(req, input);
    case 'translation':
      return translation(input);
    case 'recognition':
      return recognition(req, input);
    case 'name_consistency':
      // Needs the name matcher and its own result id: runChecks handles it.
      return ok();
    case 'medical_report':
      return medicalReport(req, input);
    case 'visa_copy':
      return dossier.visa?.enteredOnVisa ? (absence(documents, 'visa') ?? ok()) : notApplicable;
    case 'ministry_referral':
    case 'treaty_proof':
    case 'compatriot_proof':
      return dossier.category === ONLY_FOR[req.type] ? (absence(documents, req.type) ?? ok()) : notApplicable;
    case 'internship_certificate':
      return absence(documents, 'internship_certificate') ?? ok();
    case 'language_certificate':
      return languageCertificate(req, input);
    case 'achievements':
      return absence(documents, 'achievement') ?? ok();
    case 'motivation_letter':
      // Written in the form or uploaded as a file: either will do.
      return dossier.motivationLetter ? ok() : (absence(documents, 'motivation_letter') ?? ok());
    case 'recommendations':
      return absence(documents, 'recommendation') ?? ok();
  }
}
