import { describe, expect, it } from 'vitest';
import { LAGOS_MBBS } from '../../../test/helpers/dossier-fixtures.js';
import { type DocumentFacts, ZDossier } from '../dossier/dossier.schema.js';
import { type CheckInput, type CheckResult, canSubmit, runChecks } from './checks.js';
import { ZEligibility, ZRequirement } from './requirements.schema.js';

const mbbs = LAGOS_MBBS;

function dossier(overrides: Record<string, unknown> = {}) {
  return ZDossier.parse({
    latinName: { surname: 'Ivanova', givenNames: 'Iuliia' },
    cyrillicName: { surname: 'Иванова', givenNames: 'Юлия' },
    passport: { number: 'A1234567', issuingCountry: 'NG', issuedOn: '2020-01-10', expiresOn: '2030-01-09' },
    education: [mbbs],
    ...overrides,
  });
}

function doc(id: string, kind: DocumentFacts['kind'], relatesTo: string | null = null): DocumentFacts {
  return { id, kind, relatesTo, issuedOn: '2026-06-01', width: 600, height: 800, status: 'accepted' };
}

/** RUDN-style residency campaign (S0-4, S4-7, S4-9), everything uploaded. */
const requirements = [
  { id: 'passport', type: 'passport', minValidityMonths: 20, source: 'S0-4' },
  { id: 'diploma', type: 'education_document', source: 'S0-4' },
  { id: 'translation', type: 'translation', source: 'S4-7' },
  { id: 'recognition', type: 'recognition', source: 'S4-7' },
  { id: 'medical', type: 'medical_report', maxAgeDays: 90, source: 'S4-7' },
  { id: 'photos', type: 'photos', count: 4, source: 'S4-7' },
  { id: 'visa', type: 'visa_copy', source: 'S4-9' },
  { id: 'referral', type: 'ministry_referral', source: 'S4-9' },
  { id: 'achievements', type: 'achievements', optional: true, source: 'S4-5' },
  { id: 'name-consistency', type: 'name_consistency', source: 'S4-10' },
].map((r) => ZRequirement.parse(r));

const complete: DocumentFacts[] = [
  doc('d1', 'passport'),
  doc('d2', 'education_document', 'edu-1'),
  doc('d3', 'transcript', 'edu-1'),
  doc('d4', 'education_translation', 'edu-1'),
  doc('d5', 'recognition'),
  doc('d6', 'medical_report'),
  ...[1, 2, 3, 4].map((i) => doc(`p${i}`, 'photo')),
];

function run(input: Partial<CheckInput> = {}): CheckResult[] {
  return runChecks({
    dossier: dossier(),
    documents: complete,
    requirements,
    eligibility: ZEligibility.parse({ requiresHigherMedicalEducation: true, source: 'S0-3' }),
    program: { level: 'residency', languages: ['ru'], stateSecret: false },
    asOf: '2026-06-15',
    ...input,
  });
}

function byId(results: CheckResult[], id: string): CheckResult {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no result ${id}`);
  return found;
}

describe('runChecks', () => {
  it('orders eligibility, then requirements in campaign order, then name consistency', () => {
    expect(run().map((r) => r.id)).toEqual([
      'eligibility.higher_medical_education',
      'eligibility.language',
      ...requirements.map((r) => r.id),
    ]);
  });

  it('S4-10: checks names only in campaigns that require it', () => {
    const withoutNames = run({
      requirements: requirements.filter((r) => r.type !== 'name_consistency').map((r) => ZRequirement.parse(r)),
    });
    expect(withoutNames.map((r) => r.id)).not.toContain('name-consistency');
  });

  it('S0-4, S4-7: a complete dossier can be submitted; an optional gap does not stop it', () => {
    const results = run();
    expect(byId(results, 'achievements')).toMatchObject({ status: 'missing', blocking: false });
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    expect(canSubmit(results)).toBe(true);
  });

  it('a rejected document counts as absent and stops submission', () => {
    const documents = complete.map((d) => (d.kind === 'recognition' ? { ...d, status: 'rejected' as const } : d));
    const results = run({ documents });
    expect(byId(results, 'recognition')).toMatchObject({
      status: 'missing',
      code: 'document_rejected',
      blocking: true,
    });
    expect(canSubmit(results)).toBe(false);
  });

  it('a requirement limited to other categories is not applicable', () => {
    const onlyTreaty = ZRequirement.parse({
      id: 'extra',
      type: 'internship_certificate',
      categories: ['treaty'],
      source: 'x',
    });
    const results = run({ requirements: [onlyTreaty] });
    expect(byId(results, 'extra')).toMatchObject({
      status: 'pass',
      code: 'not_applicable',
      blocking: false,
      source: 'x',
    });
    const treaty = run({ requirements: [onlyTreaty], dossier: dossier({ category: 'treaty' }) });
    expect(byId(treaty, 'extra')).toMatchObject({ status: 'missing', blocking: true });
  });
});

describe('eligibility', () => {
  it('S0-3: residency needs higher medical or pharmaceutical education', () => {
    expect(byId(run(), 'eligibility.higher_medical_education')).toMatchObject({ status: 'pass', source: 'S0-3' });
    const pharmacist = dossier({ education: [{ ...mbbs, level: 'specialist', field: 'pharmacy' }] });
    expect(byId(run({ dossier: pharmacist }), 'eligibility.higher_medical_education').status).toBe('pass');
    const engineer = dossier({ education: [{ ...mbbs, level: 'master', field: 'non_medical' }] });
    const nurse = dossier({ education: [{ ...mbbs, level: 'bachelor', field: 'other_medical' }] });
    for (const d of [engineer, nurse]) {
      const results = run({ dossier: d });
      expect(byId(results, 'eligibility.higher_medical_education')).toMatchObject({
        status: 'fail',
        blocking: true,
        code: 'no_higher_medical_education',
      });
      expect(canSubmit(results)).toBe(false);
    }
  });

  it('S2-1: KazNMU residency needs a completed internship', () => {
    const eligibility = ZEligibility.parse({ requiresInternship: true });
    expect(byId(run({ eligibility }), 'eligibility.internship')).toMatchObject({
      status: 'fail',
      blocking: true,
      code: 'internship_required',
      source: 'S2-1',
    });
    const unfinished = dossier({ internship: { completed: false } });
    expect(byId(run({ eligibility, dossier: unfinished }), 'eligibility.internship').status).toBe('fail');
    const done = dossier({ internship: { completed: true, institution: 'LUTH' } });
    expect(byId(run({ eligibility, dossier: done }), 'eligibility.internship').status).toBe('pass');
  });

  it('S4-15: a program with state secrets admits quota applicants only', () => {
    const program = { level: 'residency', languages: ['ru'], stateSecret: true };
    expect(byId(run({ program }), 'eligibility.state_secret')).toMatchObject({
      status: 'fail',
      blocking: true,
      code: 'state_secret_quota_only',
      params: { category: 'contract' },
    });
    const quota = run({
      program,
      dossier: dossier({ category: 'quota' }),
      documents: [...complete, doc('r', 'ministry_referral')],
    });
    expect(byId(quota, 'eligibility.state_secret').status).toBe('pass');
    expect(canSubmit(quota)).toBe(true);
    expect(run().some((r) => r.id === 'eligibility.state_secret')).toBe(false);
  });

  it('S0-6: without evidence of the language of instruction, preparation is suggested but nothing is blocked', () => {
    const results = run();
    expect(byId(results, 'eligibility.language')).toMatchObject({
      status: 'review',
      blocking: false,
      code: 'language_preparation_suggested',
      params: { languages: 'ru' },
    });
    expect(canSubmit(results)).toBe(true);
  });

  it('S0-6: a certificate in, or education documents written in, a language of instruction are evidence', () => {
    const torfl = dossier({ languageCertificates: [{ id: 'lc', language: 'ru', name: 'TORFL-1', level: 'B1' }] });
    expect(byId(run({ dossier: torfl }), 'eligibility.language').status).toBe('pass');
    const english = { level: 'residency', languages: ['ru', 'en'], stateSecret: false };
    expect(byId(run({ program: english }), 'eligibility.language')).toMatchObject({
      status: 'pass',
      params: { language: 'en' },
    });
  });
});

describe('name consistency', () => {
  it('S4-10: names the ICAO scheme reproduces pass', () => {
    expect(byId(run(), 'name-consistency')).toMatchObject({
      status: 'pass',
      code: 'name_match',
      blocking: false,
      params: { givenNames: 'Iuliia', givenNamesClosest: 'Iuliia', givenNamesScheme: 'ICAO Doc 9303' },
    });
  });

  it('S4-10: a close spelling goes to an officer without blocking', () => {
    const julia = dossier({ latinName: { surname: 'Ivanova', givenNames: 'Julia' } });
    const results = run({ dossier: julia });
    expect(byId(results, 'name-consistency')).toMatchObject({ status: 'review', code: 'name_review', blocking: false });
    expect(canSubmit(results)).toBe(true);
  });

  it('S4-10: a different name fails and blocks, with the parts that differ', () => {
    const other = dossier({ latinName: { surname: 'Okonkwo', givenNames: 'Iuliia' } });
    const r = byId(run({ dossier: other }), 'name-consistency');
    expect(r).toMatchObject({
      status: 'fail',
      blocking: true,
      code: 'name_mismatch',
      params: {
        surname: 'Okonkwo',
        surnameCyrillic: 'Иванова',
        surnameVerdict: 'mismatch',
        givenNamesVerdict: 'match',
      },
    });
  });

  it('S4-10: without the Cyrillic name the check is missing and blocks', () => {
    const results = run({ dossier: dossier({ cyrillicName: null }) });
    expect(byId(results, 'name-consistency')).toMatchObject({
      status: 'missing',
      blocking: true,
      code: 'cyrillic_name_missing',
    });
    expect(canSubmit(results)).toBe(false);
  });
});

describe('canSubmit', () => {
  it('is true when no result blocks, whatever their status', () => {
    const base = { id: 'x', code: 'ok', params: {}, source: 'x' };
    expect(canSubmit([])).toBe(true);
    expect(
      canSubmit([
        { ...base, status: 'review', blocking: false },
        { ...base, status: 'missing', blocking: false },
      ]),
    ).toBe(true);
    expect(
      canSubmit([
        { ...base, status: 'pass', blocking: false },
        { ...base, status: 'fail', blocking: true },
      ]),
    ).toBe(false);
  });
});
