import { describe, expect, it } from 'vitest';
import { LAGOS_MBBS } from '../../../test/helpers/dossier-fixtures.js';
import { type DocumentFacts, ZDossier } from '../dossier/dossier.schema.js';
import { type CheckInput, type CheckResult, runChecks } from './checks.js';
import { ZRequirement } from './requirements.schema.js';

const nigerianMbbs = LAGOS_MBBS;

function dossier(overrides: Record<string, unknown> = {}) {
  return ZDossier.parse({
    latinName: { surname: 'Ivanova', givenNames: 'Iuliia' },
    cyrillicName: { surname: 'Иванова', givenNames: 'Юлия' },
    passport: { number: 'A1234567', issuingCountry: 'NG', issuedOn: '2020-01-10', expiresOn: '2030-01-09' },
    education: [nigerianMbbs],
    ...overrides,
  });
}

function doc(kind: DocumentFacts['kind'], extra: Partial<DocumentFacts> = {}): DocumentFacts {
  return {
    id: `${kind}-${extra.relatesTo ?? ''}`,
    kind,
    relatesTo: null,
    issuedOn: null,
    width: 600,
    height: 800,
    status: 'pending',
    ...extra,
  };
}

/** The result of the one requirement under test. */
function check(requirement: Record<string, unknown>, input: Partial<CheckInput> = {}): CheckResult {
  const req = ZRequirement.parse({ id: 'req', source: 'test', ...requirement });
  const results = runChecks({
    dossier: dossier(),
    documents: [],
    requirements: [req],
    eligibility: { requiresHigherMedicalEducation: false, requiresInternship: false, source: '' },
    program: { level: 'residency', languages: [], stateSecret: false },
    asOf: '2026-06-15',
    ...input,
  });
  const found = results.find((r) => r.id === 'req');
  if (!found) throw new Error('no result for the requirement');
  return found;
}

describe('passport', () => {
  const passport = { type: 'passport', minValidityMonths: 20 };
  const withExpiry = (expiresOn: string) =>
    dossier({ passport: { number: 'A1234567', issuingCountry: 'NG', issuedOn: '2020-01-10', expiresOn } });

  it('S0-4: a passport valid 20 months after submission, uploaded, passes', () => {
    const r = check(passport, { dossier: withExpiry('2028-02-15'), documents: [doc('passport')] });
    expect(r).toMatchObject({ status: 'pass', blocking: false, source: 'test' });
  });

  it('S0-4: one day short of 20 months fails and blocks, naming the dates', () => {
    const r = check(passport, { dossier: withExpiry('2028-02-14'), documents: [doc('passport')] });
    expect(r).toMatchObject({
      status: 'fail',
      blocking: true,
      code: 'passport_expires_too_soon',
      params: { expiresOn: '2028-02-14', requiredUntil: '2028-02-15', months: 20 },
    });
  });

  it('S0-4: counts calendar months into a leap February and from a month end', () => {
    const fromMonthEnd = { dossier: withExpiry('2028-02-29'), documents: [doc('passport')], asOf: '2027-08-31' };
    expect(check({ type: 'passport', minValidityMonths: 6 }, fromMonthEnd).status).toBe('pass');
    const r = check({ type: 'passport', minValidityMonths: 6 }, { ...fromMonthEnd, dossier: withExpiry('2028-02-28') });
    expect(r.params).toMatchObject({ requiredUntil: '2028-02-29' });
    expect(
      check(passport, { dossier: withExpiry('2025-02-28'), documents: [doc('passport')], asOf: '2023-06-29' }).status,
    ).toBe('pass');
  });

  it('S0-4: counts from a fixed reference date when the campaign sets one (start of studies)', () => {
    const fixed = { ...passport, referenceDate: '2026-09-01' };
    expect(check(fixed, { dossier: withExpiry('2028-04-30'), documents: [doc('passport')] }).status).toBe('fail');
    expect(check(fixed, { dossier: withExpiry('2028-05-01'), documents: [doc('passport')] }).status).toBe('pass');
  });

  it('S0-4: without passport data, or without the scan, it is missing', () => {
    expect(check(passport, { dossier: dossier({ passport: null }), documents: [doc('passport')] })).toMatchObject({
      status: 'missing',
      code: 'passport_data_missing',
      blocking: true,
    });
    expect(check(passport)).toMatchObject({
      status: 'missing',
      code: 'document_missing',
      params: { kind: 'passport' },
    });
  });

  it('a rejected passport scan counts as absent', () => {
    const r = check(passport, { documents: [doc('passport', { status: 'rejected' })] });
    expect(r).toMatchObject({ status: 'missing', code: 'document_rejected', blocking: true });
  });
});

describe('photos', () => {
  const photos4 = { type: 'photos', count: 4 };
  const photo = (width: number | null, height: number | null, i = 0) => ({
    ...doc('photo', { width, height }),
    id: `p${i}`,
  });

  it('S0-4: one 3×4 photo is enough where one is asked', () => {
    expect(check({ type: 'photos', count: 1 }, { documents: [photo(600, 800)] }).status).toBe('pass');
  });

  it('S4-7: four photos are needed; three are too few', () => {
    const three = [0, 1, 2].map((i) => photo(300, 400, i));
    expect(check(photos4, { documents: three })).toMatchObject({
      status: 'missing',
      blocking: true,
      code: 'photos_too_few',
      params: { have: 3, need: 4 },
    });
    expect(check(photos4, { documents: [...three, photo(450, 600, 3)] }).status).toBe('pass');
  });

  it('S4-7: a photo must be 3:4 within 3 %', () => {
    // 0.75 ± 0.0225: 772/1000 = 0.772 is inside, 773/1000 = 0.773 is outside.
    expect(check({ type: 'photos', count: 1 }, { documents: [photo(772, 1000)] }).status).toBe('pass');
    expect(check({ type: 'photos', count: 1 }, { documents: [photo(728, 1000)] }).status).toBe('pass');
    expect(check({ type: 'photos', count: 1 }, { documents: [photo(773, 1000)] })).toMatchObject({
      status: 'fail',
      code: 'photo_not_3x4',
      params: { width: 773, height: 1000 },
    });
    expect(check({ type: 'photos', count: 1 }, { documents: [photo(800, 600)] }).status).toBe('fail');
  });

  it('sends a photo without a readable size to the officer, and ignores rejected photos', () => {
    expect(check({ type: 'photos', count: 1 }, { documents: [photo(null, null)] })).toMatchObject({
      status: 'review',
      blocking: false,
    });
    const rejected = { ...photo(600, 800), status: 'rejected' as const };
    expect(check({ type: 'photos', count: 1 }, { documents: [rejected] })).toMatchObject({
      status: 'missing',
      code: 'document_rejected',
    });
  });
});

describe('education document', () => {
  const diploma = { type: 'education_document' };
  const mine = (kind: DocumentFacts['kind'], status: DocumentFacts['status'] = 'pending') =>
    doc(kind, { relatesTo: 'edu-1', status });

  it('S0-4: the diploma and its transcript, for the degree, pass', () => {
    const r = check(diploma, { documents: [mine('education_document'), mine('transcript')] });
    expect(r).toMatchObject({ status: 'pass', params: { institution: 'University of Lagos' } });
  });

  it('S0-4: a missing transcript is named; without the transcript rule the diploma alone passes', () => {
    expect(check(diploma, { documents: [mine('education_document')] })).toMatchObject({
      status: 'missing',
      blocking: true,
      code: 'document_missing',
      params: { kind: 'transcript', institution: 'University of Lagos' },
    });
    expect(check({ ...diploma, transcript: false }, { documents: [mine('education_document')] }).status).toBe('pass');
  });

  it('counts only documents attached to the education entry, and not rejected ones', () => {
    const elsewhere = [doc('education_document', { relatesTo: 'other' }), doc('transcript', { relatesTo: 'other' })];
    expect(check(diploma, { documents: elsewhere }).status).toBe('missing');
    expect(check(diploma, { documents: [mine('education_document', 'rejected'), mine('transcript')] }).code).toBe(
      'document_rejected',
    );
  });

  it('S0-3: school education does not admit to residency; no education at all is missing', () => {
    const school = { ...nigerianMbbs, level: 'secondary', field: 'non_medical' };
    const r = check(diploma, {
      dossier: dossier({ education: [school] }),
      documents: [mine('education_document'), mine('transcript')],
    });
    expect(r).toMatchObject({
      status: 'fail',
      code: 'education_level_unsuitable',
      params: { programLevel: 'residency' },
    });
    expect(check(diploma, { dossier: dossier({ education: [] }) }).code).toBe('education_missing');
    const forBachelor = {
      dossier: dossier({ education: [school] }),
      program: { level: 'bachelor', languages: [], stateSecret: false },
    };
    expect(check(diploma, { ...forBachelor, documents: [mine('education_document'), mine('transcript')] }).status).toBe(
      'pass',
    );
  });
});

describe('translation and recognition', () => {
  it('S4-7: an education document not in Russian needs a translation attached to it', () => {
    expect(check({ type: 'translation' })).toMatchObject({
      status: 'missing',
      blocking: true,
      code: 'translation_missing',
      params: { institution: 'University of Lagos', count: 1 },
    });
    const translated = [doc('education_translation', { relatesTo: 'edu-1' })];
    expect(check({ type: 'translation' }, { documents: translated }).status).toBe('pass');
  });

  it('S4-7: Russian-language education needs no translation', () => {
    const russian = { ...nigerianMbbs, country: 'RU', documentLanguage: 'ru' };
    expect(check({ type: 'translation' }, { dossier: dossier({ education: [russian] }) })).toMatchObject({
      status: 'pass',
      code: 'not_applicable',
    });
  });

  it('S4-7: foreign education needs recognition in Russia; Russian education does not', () => {
    expect(check({ type: 'recognition' })).toMatchObject({
      status: 'missing',
      code: 'recognition_missing',
      blocking: true,
    });
    expect(check({ type: 'recognition' }, { documents: [doc('recognition')] }).status).toBe('pass');
    const russian = { ...nigerianMbbs, country: 'RU', documentLanguage: 'ru' };
    expect(check({ type: 'recognition' }, { dossier: dossier({ education: [russian] }) }).code).toBe('not_applicable');
  });
});

describe('medical report', () => {
  const medical = { type: 'medical_report', maxAgeDays: 90 };
  const report = (issuedOn: string | null) => doc('medical_report', { issuedOn });

  it('S4-7: a report issued within the allowed age passes, on the last day too', () => {
    expect(check(medical, { documents: [report('2026-03-17')] }).status).toBe('pass'); // 90 days before 15 June
  });

  it('S4-7: an older report fails, naming its date and the limit', () => {
    expect(check(medical, { documents: [report('2026-03-16')] })).toMatchObject({
      status: 'fail',
      blocking: true,
      code: 'medical_report_too_old',
      params: { issuedOn: '2026-03-16', maxAgeDays: 90 },
    });
  });

  it('S4-7: the freshest report counts; an undated or missing one is missing', () => {
    expect(check(medical, { documents: [report('2025-01-01'), { ...report('2026-06-01'), id: 'm2' }] }).status).toBe(
      'pass',
    );
    expect(check(medical, { documents: [report(null)] }).code).toBe('medical_report_date_missing');
    expect(check(medical).code).toBe('document_missing');
    expect(check(medical, { documents: [report('2026-07-01')] }).code).toBe('medical_report_date_in_future');
  });
});

describe('category and situation requirements', () => {
  it('S4-9: a visa copy only when the applicant entered on a visa', () => {
    expect(check({ type: 'visa_copy' })).toMatchObject({ status: 'pass', code: 'not_applicable', blocking: false });
    const onVisa = dossier({ visa: { enteredOnVisa: true } });
    expect(check({ type: 'visa_copy' }, { dossier: onVisa })).toMatchObject({ status: 'missing', blocking: true });
    expect(check({ type: 'visa_copy' }, { dossier: onVisa, documents: [doc('visa')] }).status).toBe('pass');
  });

  it('S4-2, S4-9: the ministry referral is for quota applicants only', () => {
    expect(check({ type: 'ministry_referral' }).code).toBe('not_applicable');
    const quota = dossier({ category: 'quota' });
    expect(check({ type: 'ministry_referral' }, { dossier: quota })).toMatchObject({
      status: 'missing',
      blocking: true,
    });
    expect(check({ type: 'ministry_referral' }, { dossier: quota, documents: [doc('ministry_referral')] }).status).toBe(
      'pass',
    );
  });

  it('S4-3: treaty and compatriot proofs only for those categories', () => {
    expect(check({ type: 'treaty_proof' }).code).toBe('not_applicable');
    expect(check({ type: 'treaty_proof' }, { dossier: dossier({ category: 'treaty' }) }).status).toBe('missing');
    expect(check({ type: 'compatriot_proof' }, { dossier: dossier({ category: 'treaty' }) }).code).toBe(
      'not_applicable',
    );
    expect(check({ type: 'compatriot_proof' }, { dossier: dossier({ category: 'compatriot' }) }).status).toBe(
      'missing',
    );
  });

  it('S2-1: the internship certificate is a document like the others', () => {
    expect(check({ type: 'internship_certificate' })).toMatchObject({ status: 'missing', blocking: true });
    expect(check({ type: 'internship_certificate' }, { documents: [doc('internship_certificate')] }).status).toBe(
      'pass',
    );
  });

  it('S2-5: a language certificate must be in one of the languages asked, with its scan', () => {
    const req = { type: 'language_certificate', languages: ['ru', 'kk'] };
    const english = dossier({ languageCertificates: [{ id: 'lc-1', language: 'en', name: 'IELTS', level: '6.5' }] });
    expect(check(req, { dossier: english })).toMatchObject({
      status: 'missing',
      code: 'language_certificate_missing',
      params: { languages: 'ru, kk' },
    });
    const russian = dossier({ languageCertificates: [{ id: 'lc-2', language: 'ru', name: 'TORFL-1', level: 'B1' }] });
    expect(check(req, { dossier: russian }).code).toBe('document_missing');
    const scan = doc('language_certificate', { relatesTo: 'lc-2' });
    expect(check(req, { dossier: russian, documents: [scan] })).toMatchObject({
      status: 'pass',
      params: { language: 'ru' },
    });
  });

  it('S4-5, S4-6: optional portfolio items are missing without blocking', () => {
    for (const type of ['achievements', 'motivation_letter', 'recommendations']) {
      expect(check({ type, optional: true })).toMatchObject({ status: 'missing', blocking: false });
    }
    expect(check({ type: 'achievements', optional: true }, { documents: [doc('achievement')] }).status).toBe('pass');
    expect(check({ type: 'recommendations' }, { documents: [doc('recommendation')] }).status).toBe('pass');
    expect(check({ type: 'motivation_letter' }, { dossier: dossier({ motivationLetter: 'I want to…' }) }).status).toBe(
      'pass',
    );
    expect(check({ type: 'motivation_letter' })).toMatchObject({ status: 'missing', blocking: true });
  });
});
