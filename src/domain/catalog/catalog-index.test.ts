import { describe, expect, it } from 'vitest';
import { CatalogIndex, type IndexProgram, type IndexUniversity } from './catalog-index.js';

const uni = (
  id: string,
  country: 'RU' | 'KZ' | 'BY',
  city: string,
  cityRu: string,
  extra: Partial<IndexUniversity> = {},
) =>
  ({
    id,
    slug: id,
    nameEn: `${id} University`,
    nameRu: `Университет ${id}`,
    nameKk: null,
    shortName: id.toUpperCase(),
    country,
    city: { en: city, ru: cityRu },
    partnerships: null,
    exchangePrograms: null,
    ...extra,
  }) satisfies IndexUniversity;

const prog = (id: string, universityId: string, titleEn: string, titleRu: string, extra: Partial<IndexProgram> = {}) =>
  ({
    id,
    slug: id,
    universityId,
    level: 'residency',
    titleEn,
    titleRu,
    specialtyCode: null,
    durations: [],
    languages: ['ru'],
    languagePreparation: null,
    studyForms: ['full_time'],
    fundingKinds: [],
    tuitionAmount: null,
    tuitionCurrency: null,
    tuitionPeriod: null,
    clinicalPractice: null,
    exchangePrograms: null,
    intakeWindows: [],
    ...extra,
  }) satisfies IndexProgram;

const years = (n: number, source = 'S2-2') => [
  { fromIntakeYear: null, toIntakeYear: null, minMonths: n * 12, maxMonths: n * 12, source },
];

const universities = [
  uni('kaznmu', 'KZ', 'Almaty', 'Алматы'),
  uni('sechenov', 'RU', 'Moscow', 'Москва', { exchangePrograms: { en: 'Exchange', ru: 'Обмен' } }),
  uni('bsmu', 'BY', 'Minsk', 'Минск'),
];
const programs = [
  prog('kz-cardio', 'kaznmu', 'Cardiology, including children', 'Кардиология, в том числе детская', {
    durations: years(3),
    languages: ['kk', 'ru'],
    intakeWindows: [{ yearRound: false, opens: '06-20', closes: '07-20', studyForms: [], source: 'S2-3' }],
  }),
  prog('kz-peds', 'kaznmu', 'Pediatrics', 'Педиатрия', { durations: years(2), languages: ['kk', 'ru'] }),
  prog('ru-cardio', 'sechenov', 'Cardiology', 'Кардиология', {
    specialtyCode: '31.08.36',
    durations: years(2, 'S0-1'),
    clinicalPractice: true,
  }),
  prog('by-prep', 'bsmu', 'Preparatory department', 'Подготовительное отделение', {
    level: 'preparatory',
    languagePreparation: true,
    studyForms: ['full_time', 'part_time', 'correspondence'],
    fundingKinds: ['contract'],
    durations: [{ fromIntakeYear: null, toIntakeYear: null, minMonths: 8, maxMonths: 9, source: 'S1-2' }],
    intakeWindows: [{ yearRound: true, source: 'S4-12' }],
  }),
];
const index = new CatalogIndex(programs, universities, [], 2026);
const july = new Date('2026-07-01T10:00:00Z');
const count = (facets: { value: string; count: number }[], value: string) =>
  facets.find((f) => f.value === value)?.count ?? 0;

describe('CatalogIndex search', () => {
  it('finds programs by English and Russian names', () => {
    expect(index.search({ q: 'cardiology' }, july).ids.sort()).toEqual(['kz-cardio', 'ru-cardio']);
    expect(index.search({ q: 'кардиология' }, july).ids.sort()).toEqual(['kz-cardio', 'ru-cardio']);
    expect(index.search({ q: 'педиатрия' }, july).ids).toEqual(['kz-peds']);
  });

  it('does not take a close but different specialty for a typo', () => {
    const radiology = new CatalogIndex(
      [...programs, prog('kz-radio', 'kaznmu', 'Radiology', 'Радиология')],
      universities,
      [],
      2026,
    );
    expect(radiology.search({ q: 'cardiology' }, july).ids.sort()).toEqual(['kz-cardio', 'ru-cardio']);
  });

  it('tolerates typos and prefixes', () => {
    expect(index.search({ q: 'cardiolgy' }, july).ids.sort()).toEqual(['kz-cardio', 'ru-cardio']);
    expect(index.search({ q: 'кардиолгия' }, july).ids.sort()).toEqual(['kz-cardio', 'ru-cardio']);
    expect(index.search({ q: 'pediat' }, july).ids).toEqual(['kz-peds']);
  });

  it('matches universities, cities and official codes together with the specialty', () => {
    expect(index.search({ q: 'kaznmu cardiology' }, july).ids).toEqual(['kz-cardio']);
    expect(index.search({ q: 'Москва' }, july).ids).toEqual(['ru-cardio']);
    expect(index.search({ q: '31.08.36' }, july).ids).toEqual(['ru-cardio']);
  });

  it('filters and counts each facet value with the other filters kept', () => {
    const result = index.search({ q: 'cardiology', country: ['KZ'] }, july);
    expect(result.ids).toEqual(['kz-cardio']);
    expect(count(result.facets.country, 'KZ')).toBe(1);
    expect(count(result.facets.country, 'RU')).toBe(1); // what choosing Russia too would add
    expect(count(result.facets.level, 'residency')).toBe(1);
  });

  it('filters by duration, language preparation, clinical practice, exchange and study form', () => {
    expect(index.search({ durationMinYears: 3 }, july).ids).toEqual(['kz-cardio']);
    expect(index.search({ durationMaxYears: 1 }, july).ids).toEqual(['by-prep']);
    expect(index.search({ languagePreparation: true }, july).ids).toEqual(['by-prep']);
    expect(index.search({ clinicalPractice: true }, july).ids).toEqual(['ru-cardio']);
    expect(index.search({ exchange: true }, july).ids).toEqual(['ru-cardio']);
    expect(index.search({ studyForm: ['correspondence'] }, july).ids).toEqual(['by-prep']);
    expect(index.search({ language: ['kk'], level: ['residency'] }, july).total).toBe(2);
  });

  it('knows which programs accept applications on a given day (S2-3, S4-12)', () => {
    expect(index.search({ acceptingNow: true }, july).ids.sort()).toEqual(['by-prep', 'kz-cardio']);
    const november = index.search({ acceptingNow: true }, new Date('2026-11-22T10:00:00Z'));
    expect(november.ids).toEqual(['by-prep']);
    expect(count(november.facets.acceptingNow, 'true')).toBe(1);
  });

  it('never matches unknown tuition against a tuition range', () => {
    expect(index.search({ tuitionMax: 1_000_000, currency: 'RUB' }, july).total).toBe(0);
  });

  it('sorts by title in the reader’s language, by duration, and paginates', () => {
    expect(index.search({ sort: 'title', locale: 'en' }, july).ids[0]).toBe('ru-cardio');
    expect(index.search({ sort: 'title', locale: 'ru' }, july).ids[0]).toBe('ru-cardio');
    expect(index.search({ sort: 'duration' }, july).ids).toEqual(['by-prep', 'ru-cardio', 'kz-peds', 'kz-cardio']);
    const page2 = index.search({ sort: 'duration', page: 2, pageSize: 3 }, july);
    expect(page2).toMatchObject({ total: 4, page: 2, pageSize: 3, ids: ['kz-cardio'] });
  });

  it('resolves durations by intake year', () => {
    expect(index.durationOf('kz-cardio')).toEqual({ minMonths: 36, maxMonths: 36, source: 'S2-2' });
    expect(index.durationOf('missing')).toBeNull();
  });
});
