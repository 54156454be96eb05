import { describe, expect, it } from 'vitest';
import { cutoffFor, type Window, windowState } from './deadlines.js';

// Moscow is UTC+3: a day there runs from 21:00:00Z the evening before to 20:59:59Z.
const rudnFullTime: Window = {
  kind: 'documents',
  opens: '2021-03-31T21:00:00Z',
  closes: '2021-09-29T20:59:59Z',
  studyForms: ['full_time', 'part_time'],
  funding: ['contract'],
  source: 'S4-11',
};
const rudnDistance: Window = { ...rudnFullTime, closes: '2021-11-26T20:59:59Z', studyForms: ['distance'] };
const rudnEnrollment: Window = {
  kind: 'enrollment',
  opens: null,
  closes: '2021-10-01T20:59:59Z',
  studyForms: ['full_time', 'part_time'],
  funding: ['contract'],
  source: 'S4-11',
};
const rudn = [rudnFullTime, rudnDistance, rudnEnrollment];

// Almaty is UTC+5 (since 2024; the seed gives no year, 2026 is used).
const kaznmu: Window[] = [
  {
    kind: 'documents',
    opens: '2026-06-19T19:00:00Z',
    closes: '2026-07-20T18:59:59Z',
    studyForms: [],
    funding: [],
    source: 'S2-3',
  },
  {
    kind: 'exams',
    opens: '2026-07-31T19:00:00Z',
    closes: '2026-08-20T18:59:59Z',
    studyForms: [],
    funding: [],
    source: 'S2-4',
  },
  { kind: 'enrollment', opens: null, closes: '2026-08-31T18:59:59Z', studyForms: [], funding: [], source: 'S2-4' },
];

const at = (iso: string) => new Date(iso);

describe('windowState', () => {
  it('S4-11: contract documents are accepted from 1 April to 29 September 2021 (Moscow time), ends included', () => {
    expect(windowState(rudnFullTime, at('2021-03-31T20:59:59Z'))).toBe('not_open');
    expect(windowState(rudnFullTime, at('2021-03-31T21:00:00Z'))).toBe('open');
    expect(windowState(rudnFullTime, at('2021-09-29T20:59:59Z'))).toBe('open');
    expect(windowState(rudnFullTime, at('2021-09-29T21:00:00Z'))).toBe('closed');
  });

  it('S4-11: distance learners may file until 26 November', () => {
    expect(windowState(rudnDistance, at('2021-10-15T12:00:00Z'))).toBe('open');
    expect(windowState(rudnDistance, at('2021-11-26T21:00:00Z'))).toBe('closed');
  });

  it('S2-3, S2-4: KazNMU applications 20 June – 20 July, exams 1–20 August, enrollment until 31 August', () => {
    const [documents, exams, enrollment] = kaznmu as [Window, Window, Window];
    expect(windowState(documents, at('2026-06-19T18:59:59Z'))).toBe('not_open');
    expect(windowState(documents, at('2026-07-01T10:00:00Z'))).toBe('open');
    expect(windowState(documents, at('2026-07-20T19:00:00Z'))).toBe('closed');
    expect(windowState(exams, at('2026-07-25T10:00:00Z'))).toBe('not_open');
    expect(windowState(exams, at('2026-08-20T10:00:00Z'))).toBe('open');
    expect(windowState(enrollment, at('2026-01-01T00:00:00Z'))).toBe('open');
    expect(windowState(enrollment, at('2026-09-01T00:00:00Z'))).toBe('closed');
  });

  it('S4-12: the preparatory faculty is open all year', () => {
    const preparatory: Window = {
      kind: 'documents',
      opens: null,
      closes: null,
      yearRound: true,
      studyForms: [],
      funding: [],
      source: 'S4-12',
    };
    expect(windowState(preparatory, at('2021-01-01T00:00:00Z'))).toBe('open');
    expect(windowState(preparatory, at('2031-12-31T23:59:59Z'))).toBe('open');
  });

  it('an extension keeps a window open past its end, but never shortens it', () => {
    const extension = at('2021-10-05T20:59:59Z');
    expect(windowState(rudnFullTime, at('2021-10-01T12:00:00Z'), extension)).toBe('open');
    expect(windowState(rudnFullTime, at('2021-10-05T21:00:00Z'), extension)).toBe('closed');
    expect(windowState(rudnFullTime, at('2021-09-20T12:00:00Z'), at('2021-09-01T00:00:00Z'))).toBe('open');
    expect(windowState(rudnFullTime, at('2021-03-01T00:00:00Z'), extension)).toBe('not_open');
  });

  it('refuses dates that are not UTC instants', () => {
    expect(() => windowState({ ...rudnFullTime, closes: '29.09.2021' }, at('2021-09-01T00:00:00Z'))).toThrow(
      RangeError,
    );
  });
});

describe('cutoffFor', () => {
  it('S4-11: the cutoff depends on the study form', () => {
    expect(cutoffFor(rudn, 'documents', 'full_time', 'contract')?.toISOString()).toBe('2021-09-29T20:59:59.000Z');
    expect(cutoffFor(rudn, 'documents', 'distance', 'contract')?.toISOString()).toBe('2021-11-26T20:59:59.000Z');
    expect(cutoffFor(rudn, 'enrollment', 'part_time', 'contract')?.toISOString()).toBe('2021-10-01T20:59:59.000Z');
  });

  it('S4-13: no window for quota applicants means no cutoff here (the ministry sets it)', () => {
    expect(cutoffFor(rudn, 'documents', 'full_time', 'quota')).toBeNull();
  });

  it('S2-3, S2-4: windows without study forms or funding apply to everyone; the latest end wins', () => {
    expect(cutoffFor(kaznmu, 'exams', 'full_time', 'contract')?.toISOString()).toBe('2026-08-20T18:59:59.000Z');
    const secondRound: Window = { ...(kaznmu[0] as Window), closes: '2026-07-25T18:59:59Z' };
    expect(cutoffFor([...kaznmu, secondRound], 'documents', 'full_time', 'contract')?.toISOString()).toBe(
      '2026-07-25T18:59:59.000Z',
    );
  });

  it('S4-12: a year-round window has no cutoff', () => {
    const preparatory: Window = {
      kind: 'documents',
      opens: null,
      closes: null,
      yearRound: true,
      studyForms: [],
      funding: [],
      source: 'S4-12',
    };
    expect(cutoffFor([preparatory, rudnFullTime], 'documents', 'full_time', 'contract')).toBeNull();
  });

  it('an extension moves the cutoff only when it is later', () => {
    const extension = at('2021-10-05T20:59:59Z');
    expect(cutoffFor(rudn, 'documents', 'full_time', 'contract', extension)).toEqual(extension);
    expect(cutoffFor(rudn, 'documents', 'distance', 'contract', extension)?.toISOString()).toBe(
      '2021-11-26T20:59:59.000Z',
    );
    expect(cutoffFor(rudn, 'documents', 'full_time', 'contract', null)?.toISOString()).toBe('2021-09-29T20:59:59.000Z');
  });
});
