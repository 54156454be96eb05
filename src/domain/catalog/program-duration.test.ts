import { describe, expect, it } from 'vitest';
import { durationFor, upcomingIntakeYear } from './program-duration.js';

// Russian plastic surgery (31.08.60): 2 years until the 2022 intake, 5 years from 2023 (RULES S0-2).
const plasticSurgery = [
  { fromIntakeYear: null, toIntakeYear: 2022, minMonths: 24, maxMonths: 24, source: 'Order 1061' },
  { fromIntakeYear: 2023, toIntakeYear: null, minMonths: 60, maxMonths: 60, source: 'S0-2' },
];

describe('durationFor', () => {
  it('S0-2: plastic surgery lasts 5 years for intakes from 2023 and 2 years before', () => {
    expect(durationFor([], plasticSurgery, 2022)).toEqual({ minMonths: 24, maxMonths: 24, source: 'Order 1061' });
    expect(durationFor([], plasticSurgery, 2023)).toEqual({ minMonths: 60, maxMonths: 60, source: 'S0-2' });
    expect(durationFor([], plasticSurgery, 2030)?.maxMonths).toBe(60);
  });

  it("prefers the program's own rule to the specialty's", () => {
    const own = [{ fromIntakeYear: null, toIntakeYear: null, minMonths: 36, maxMonths: 36, source: 'S2-2' }];
    expect(durationFor(own, plasticSurgery, 2023)).toEqual({ minMonths: 36, maxMonths: 36, source: 'S2-2' });
  });

  it('prefers a dated rule over an open-ended one', () => {
    const rules = [
      { fromIntakeYear: null, toIntakeYear: null, minMonths: 24, maxMonths: 24, source: 'general' },
      { fromIntakeYear: 2025, toIntakeYear: null, minMonths: 36, maxMonths: 36, source: 'new standard' },
    ];
    expect(durationFor(rules, [], 2024)?.maxMonths).toBe(24);
    expect(durationFor(rules, [], 2025)?.maxMonths).toBe(36);
  });

  it('S1-5: keeps an upper bound without a lower one, and says nothing when no rule applies', () => {
    const phd = [{ fromIntakeYear: null, toIntakeYear: null, minMonths: null, maxMonths: 36, source: 'S1-5' }];
    expect(durationFor(phd, [], 2026)).toEqual({ minMonths: null, maxMonths: 36, source: 'S1-5' });
    expect(durationFor([], [], 2026)).toBeNull();
    expect(durationFor([{ ...plasticSurgery[1], fromIntakeYear: 2030 } as never], [], 2026)).toBeNull();
  });
});

describe('upcomingIntakeYear', () => {
  it('is this year until September and next year from October', () => {
    expect(upcomingIntakeYear(new Date('2026-06-20T00:00:00Z'))).toBe(2026);
    expect(upcomingIntakeYear(new Date('2026-09-30T23:00:00Z'))).toBe(2026);
    expect(upcomingIntakeYear(new Date('2026-11-22T00:00:00Z'))).toBe(2027);
  });
});
