import { describe, expect, it } from 'vitest';
import { addMonths, daysBetween } from './calendar-date.js';

describe('addMonths', () => {
  it('S0-4: counts calendar months, across years', () => {
    expect(addMonths('2026-06-15', 20)).toBe('2028-02-15');
    expect(addMonths('2026-01-01', 0)).toBe('2026-01-01');
    expect(addMonths('2026-11-30', 1)).toBe('2026-12-30');
  });

  it('ends on the last day of a shorter month (31 Aug + 6 months)', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 3)).toBe('2026-04-30');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('handles 29 February: a leap day plus a year is 28 February', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
    expect(addMonths('2023-06-29', 20)).toBe('2025-02-28');
    expect(addMonths('2022-06-29', 20)).toBe('2024-02-29');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => addMonths('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('26-02-01', 1)).toThrow(RangeError);
  });
});

describe('daysBetween', () => {
  it('counts whole days, leap days included', () => {
    expect(daysBetween('2026-01-01', '2026-01-01')).toBe(0);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-02-28', '2025-03-01')).toBe(1);
    expect(daysBetween('2026-03-10', '2026-03-01')).toBe(-9);
  });
});
