import type { TEducation } from '../../src/domain/dossier/dossier.schema.js';

/** A Nigerian MBBS as the domain checks see it. */
export const LAGOS_MBBS: TEducation = {
  id: 'edu-1',
  institution: 'University of Lagos',
  country: 'NG',
  level: 'medical_degree',
  field: 'general_medicine',
  title: 'MBBS',
  startedOn: null,
  finishedOn: '2024-07-01',
  documentLanguage: 'en',
  grade: null,
  worldRankingPosition: null,
};

/**
 * A complete KazNMU residency dossier with a portfolio worth scoring (as sent to PUT /me/dossier):
 * MBBS 4.1/5 with pass 1.5 (→ 4.49 on the 5-point scale), an IELTS certificate, olympiad winner.
 */
export const SCORED_DOSSIER = {
  latinName: { surname: 'Bello', givenNames: 'Amina' },
  citizenship: 'NG',
  passport: { number: 'A12345678', issuingCountry: 'NG', issuedOn: '2022-01-10', expiresOn: '2032-01-09' },
  education: [
    {
      id: 'mbbs',
      institution: 'University of Lagos',
      country: 'NG',
      level: 'medical_degree',
      field: 'general_medicine',
      title: 'MBBS',
      finishedOn: '2020-07-30',
      documentLanguage: 'en',
      grade: { value: 4.1, min: 0, pass: 1.5, max: 5 },
    },
  ],
  internship: { completed: true },
  languageCertificates: [{ id: 'ielts', language: 'en', name: 'IELTS', level: '7.0' }],
  olympiad: 'winner',
};
