import { describe, expect, it } from 'vitest';
import { type TDossier, ZDossier } from '../dossier/dossier.schema.js';
import { prescore } from './prescore.js';
import { RUDN_2021_BACHELOR_SPECIALIST as BACHELOR, RUDN_2021_MASTER as MASTER } from './presets.js';
import { scoreRubric } from './score-rubric.js';

const education = (over: Record<string, unknown>) => ({
  id: 'edu',
  institution: 'University of Lagos',
  country: 'NG',
  level: 'medical_degree',
  field: 'general_medicine',
  title: 'MBBS',
  documentLanguage: 'en',
  ...over,
});

/** A Nigerian MBBS graduate: secondary school 2017, MBBS 2023 with CGPA 4.1 on a 0–5 scale (pass 1.5). */
function dossier(over: Partial<Record<keyof TDossier, unknown>> = {}): TDossier {
  return ZDossier.parse({
    latinName: { surname: 'Okafor', givenNames: 'Chidi' },
    education: [
      education({
        id: 'school',
        level: 'secondary',
        field: 'non_medical',
        title: 'WASSCE',
        finishedOn: '2017-06-30',
        grade: { value: 5, min: 0, pass: 2, max: 5 },
      }),
      education({
        id: 'mbbs',
        finishedOn: '2023-07-15',
        grade: { value: 4.1, min: 0, pass: 1.5, max: 5 },
        worldRankingPosition: 1200,
      }),
    ],
    languageCertificates: [{ id: 'ielts', language: 'en', name: 'IELTS Academic', level: '7.0' }],
    achievements: [{ id: 'a1', title: 'Best student research award', year: 2022 }],
    olympiad: 'prize_winner',
    recommendations: [],
    motivationLetter: 'I want to become a cardiologist.',
    volunteering: '   ',
    ...over,
  });
}

describe('prescore', () => {
  it('S4-5: takes the five-point grade of the latest graded education, with its band', () => {
    const { inputs, provenance } = prescore(BACHELOR, dossier());
    // (4.1 − 1.5) / (5 − 1.5) of the way from 3 to 5 = 4.4857 → 4.49: still the 4.0–4.4 band.
    expect(inputs.average_grade).toBe(4.49);
    expect(provenance.average_grade).toEqual({
      code: 'grade_from_latest_education',
      params: {
        educationId: 'mbbs',
        institution: 'University of Lagos',
        title: 'MBBS',
        finishedOn: '2023-07-15',
        grade: 4.1,
        scale: '0–5, pass 1.5',
        fivePoint: 4.49,
        value: 4.49,
        gradedEntries: 2,
      },
    });
    const item = scoreRubric(BACHELOR, inputs).items.find((i) => i.criterionId === 'average_grade');
    expect(item).toMatchObject({ points: 35, band: { from: 4, to: 4.5 } });
  });

  it('prefers a dated education to an undated one, and reports when none has a grade', () => {
    const d = dossier();
    const undated = education({ id: 'undated', grade: { value: 5, min: 0, pass: 1.5, max: 5 } });
    const withUndated = dossier({ education: [undated, ...d.education] });
    expect(prescore(BACHELOR, withUndated).provenance.average_grade?.params.educationId).toBe('mbbs');
    expect(prescore(BACHELOR, dossier({ education: [undated] })).inputs.average_grade).toBe(5);

    const none = prescore(BACHELOR, dossier({ education: [] }));
    expect(none.inputs.average_grade).toBeNull();
    expect(none.provenance.average_grade?.code).toBe('no_graded_education');
  });

  it('S4-5: fills the yes/no criteria from the dossier', () => {
    const { inputs, provenance } = prescore(BACHELOR, dossier());
    expect(inputs).toMatchObject({ achievements: true, language_certificate: true, recommendations: false });
    expect(provenance.language_certificate).toEqual({
      code: 'language_certificates',
      params: { count: 1, names: 'IELTS Academic 7.0' },
    });
    expect(provenance.recommendations).toEqual({ code: 'recommendations', params: { count: 0 } });
  });

  it('S4-6: motivation letter and volunteering when non-empty, world ranking when any entry has one', () => {
    const { inputs, provenance } = prescore(MASTER, dossier());
    expect(inputs).toMatchObject({ motivation_letter: true, volunteering: false, world_ranking: true });
    expect(provenance.world_ranking).toEqual({
      code: 'world_ranking',
      params: { educationId: 'mbbs', institution: 'University of Lagos', position: 1200 },
    });
    const unranked = dossier().education.map((e) => ({ ...e, worldRankingPosition: null }));
    expect(prescore(MASTER, dossier({ education: unranked })).inputs.world_ranking).toBe(false);
  });

  it('S4-5, S4-6: maps the olympiad status to the option of the matching kind', () => {
    expect(prescore(BACHELOR, dossier()).inputs.olympiad).toBe('prize_winner');
    expect(prescore(BACHELOR, dossier({ olympiad: 'winner' })).inputs.olympiad).toBe('winner');
    expect(prescore(BACHELOR, dossier({ olympiad: 'none' })).inputs.olympiad).toBeNull();
    const master = prescore(MASTER, dossier({ olympiad: 'winner' }));
    expect(scoreRubric(MASTER, master.inputs).items.find((i) => i.criterionId === 'olympiad')?.points).toBe(15);
    expect(master.provenance.olympiad).toEqual({ code: 'olympiad', params: { status: 'winner', option: 'winner' } });
  });

  it('clamps the converted grade into the criterion scale and says so', () => {
    const narrow = structuredClone(BACHELOR);
    const grade = narrow.criteria[0];
    if (grade?.kind !== 'banded') throw new Error('the first criterion is the average grade');
    grade.min = 3;
    grade.bands[0] = { from: 3.5, to: 4, points: 30 };
    const weak = dossier({ education: [education({ grade: { value: 1, min: 0, pass: 1.5, max: 5 } })] });
    const { inputs, provenance } = prescore(narrow, weak);
    expect(inputs.average_grade).toBe(3);
    expect(provenance.average_grade).toMatchObject({
      code: 'grade_from_latest_education_clamped',
      params: { fivePoint: 2.67, value: 3 },
    });
  });

  it('leaves criteria without an automatic source to the reviewer', () => {
    const manual = structuredClone(BACHELOR);
    for (const c of manual.criteria) if (c.kind === 'yes_no') c.auto = null;
    const { inputs, provenance } = prescore(manual, dossier());
    expect(inputs.achievements).toBeNull();
    expect(provenance.achievements).toEqual({ code: 'manual', params: {} });
  });
});
