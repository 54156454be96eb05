import { describe, expect, it } from 'vitest';
import { toFivePoint } from './grade-conversion.js';

const five = (value: number, min: number, pass: number, max: number) => toFivePoint({ value, min, pass, max }).value;

describe('toFivePoint', () => {
  it('keeps a five-point scale as it is (min 1, pass 3, max 5)', () => {
    expect(five(5, 1, 3, 5)).toBe(5);
    expect(five(4, 1, 3, 5)).toBe(4);
    expect(five(3, 1, 3, 5)).toBe(3);
    expect(five(1, 1, 3, 5)).toBe(2);
  });

  it('converts percentages with pass 50 (Egypt-style %)', () => {
    expect(five(0, 0, 50, 100)).toBe(2);
    expect(five(50, 0, 50, 100)).toBe(3);
    expect(five(75, 0, 50, 100)).toBe(4);
    expect(five(100, 0, 50, 100)).toBe(5);
    expect(five(25, 0, 50, 100)).toBe(2.5);
  });

  it('converts a Nigerian CGPA out of 5 with pass 1.5', () => {
    expect(five(1.5, 0, 1.5, 5)).toBe(3);
    expect(five(4.5, 0, 1.5, 5)).toBe(4.71);
    expect(five(3.5, 0, 1.5, 5)).toBe(4.14);
    expect(five(5, 0, 1.5, 5)).toBe(5);
  });

  it('converts a French grade out of 20 with pass 10', () => {
    expect(five(16, 0, 10, 20)).toBe(4.2);
    expect(five(10, 0, 10, 20)).toBe(3);
    expect(five(12, 0, 10, 20)).toBe(3.4);
  });

  it('converts an inverted German scale (1.0 best, 4.0 pass, 6.0 worst)', () => {
    expect(five(1, 6, 4, 1)).toBe(5);
    expect(five(4, 6, 4, 1)).toBe(3);
    expect(five(2.5, 6, 4, 1)).toBe(4);
    expect(five(5, 6, 4, 1)).toBe(2.5);
    expect(five(6, 6, 4, 1)).toBe(2);
  });

  it('names the rule and its anchors so the applicant sees how the number came about', () => {
    expect(toFivePoint({ value: 16, min: 0, pass: 10, max: 20 })).toEqual({
      value: 4.2,
      rule: 'piecewise_linear',
      anchors: [
        { from: 0, to: 2 },
        { from: 10, to: 3 },
        { from: 20, to: 5 },
      ],
    });
  });

  it('is monotonic, maps pass to exactly 3 and max to 5 on every scale', () => {
    const scales = [
      [1, 3, 5],
      [0, 50, 100],
      [0, 1.5, 5],
      [0, 10, 20],
      [6, 4, 1],
      [2, 2.1, 9.7],
      [100, 40, 0],
    ] as const;
    for (const [min, pass, max] of scales) {
      expect(five(pass, min, pass, max)).toBe(3);
      expect(five(max, min, pass, max)).toBe(5);
      expect(five(min, min, pass, max)).toBe(2);
      let previous = -Infinity;
      for (let i = 0; i <= 200; i++) {
        const value = i === 200 ? max : min + ((max - min) * i) / 200;
        const converted = five(value, min, pass, max);
        expect(converted).toBeGreaterThanOrEqual(previous);
        expect(converted).toBeGreaterThanOrEqual(2);
        expect(converted).toBeLessThanOrEqual(5);
        previous = converted;
      }
    }
  });

  it('refuses a grade outside its own scale rather than showing a wrong number', () => {
    expect(() => toFivePoint({ value: 21, min: 0, pass: 10, max: 20 })).toThrow(RangeError);
    expect(() => toFivePoint({ value: 5, min: 0, pass: 25, max: 20 })).toThrow(RangeError);
  });
});
