import { describe, expect, it } from 'vitest';
import { riskReasons } from './at-risk.js';
import { type AttendanceMark, summarizeAttendance } from './attendance.js';
import { finalGrade } from './final-grade.js';
import { checkGrade, gradeDistribution, scaleOf } from './scales.js';
import { DEFAULT_REGISTER_SETTINGS, registerSettingsSchema, resolveRegisterSettings } from './settings.js';

const five = scaleOf('five_point');
const hundred = scaleOf('hundred_point');
const passFail = scaleOf('pass_fail');

describe('grading scales (S1-6)', () => {
  it('accepts whole numbers inside the scale and names the reason otherwise', () => {
    expect(checkGrade(five, 5)).toEqual({ ok: true });
    expect(checkGrade(five, 6)).toEqual({ ok: false, reason: 'out_of_range', min: 2, max: 5 });
    expect(checkGrade(five, 1)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(checkGrade(five, 4.5)).toMatchObject({ ok: false, reason: 'not_a_whole_number' });
    expect(checkGrade(hundred, 100)).toEqual({ ok: true });
    expect(checkGrade(hundred, 101)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(checkGrade(passFail, 2)).toMatchObject({ ok: false, reason: 'out_of_range' });
    expect(checkGrade(five, Number.NaN)).toMatchObject({ ok: false, reason: 'not_a_whole_number' });
  });

  it('takes pass marks from the university settings', () => {
    expect(scaleOf('hundred_point', { hundred_point: 51 }).passMark).toBe(51);
    expect(scaleOf('five_point').passMark).toBe(3);
  });

  it('counts grades into buckets, 100-point grades by tens', () => {
    expect(gradeDistribution(five, [5, 5, 4, 2])).toEqual([
      { label: '2', count: 1 },
      { label: '3', count: 0 },
      { label: '4', count: 1 },
      { label: '5', count: 2 },
    ]);
    const bands = gradeDistribution(hundred, [0, 9, 10, 95, 100]);
    expect(bands[0]).toEqual({ label: '0–9', count: 2 });
    expect(bands[1]).toEqual({ label: '10–19', count: 1 });
    expect(bands[9]).toEqual({ label: '90–100', count: 2 });
  });
});

describe('final grade of a course', () => {
  const items = [
    { id: 'a', kind: 'current' as const, weight: 1 },
    { id: 'b', kind: 'current' as const, weight: 1 },
    { id: 'x', kind: 'exam' as const, weight: 2 },
    { id: 'f', kind: 'final' as const, weight: 0 },
  ];

  it('is the weighted mean rounded half up while no final is recorded', () => {
    const result = finalGrade(
      five,
      items,
      new Map([
        ['a', 4],
        ['b', 3],
        ['x', 4],
      ]),
    );
    // (4 + 3 + 2 × 4) / 4 = 3.75 → 4
    expect(result).toMatchObject({ average: 3.75, value: 4, source: 'computed', passed: true, complete: false });
    const half = finalGrade(
      five,
      items.slice(0, 2),
      new Map([
        ['a', 4],
        ['b', 3],
      ]),
    );
    expect(half).toMatchObject({ average: 3.5, value: 4, complete: true });
  });

  it('is the recorded final when there is one, and fails below the pass mark', () => {
    const result = finalGrade(
      five,
      items,
      new Map([
        ['a', 5],
        ['f', 2],
      ]),
    );
    expect(result).toMatchObject({ value: 2, source: 'final', passed: false, average: 5 });
  });

  it('has no value when nothing is graded', () => {
    expect(finalGrade(five, items, new Map())).toMatchObject({ value: null, source: 'none', passed: null, graded: 0 });
  });

  it('passes a pass/fail course only when every graded item passed', () => {
    const pf = [
      { id: 'a', kind: 'current' as const, weight: 1 },
      { id: 'b', kind: 'current' as const, weight: 1 },
    ];
    expect(finalGrade(passFail, pf, new Map([['a', 1]]))).toMatchObject({ value: 1, passed: true });
    expect(
      finalGrade(
        passFail,
        pf,
        new Map([
          ['a', 1],
          ['b', 0],
        ]),
      ),
    ).toMatchObject({ value: 0, passed: false });
  });
});

function marks(statuses: string): AttendanceMark[] {
  // P present, A absent, L late, E excused; one session per day.
  const code: Record<string, AttendanceMark['status']> = { P: 'present', A: 'absent', L: 'late', E: 'excused' };
  return [...statuses].map((c, i) => ({
    sessionId: `s${i}`,
    startsAt: new Date(Date.UTC(2026, 8, 1 + i, 9)).toISOString(),
    status: code[c] ?? 'present',
  }));
}

describe('attendance', () => {
  it('counts late as attended and leaves excused absences out of the rate', () => {
    const summary = summarizeAttendance(marks('PPLAE'));
    expect(summary).toMatchObject({ present: 2, late: 1, absent: 1, excused: 1, rate: 0.75 });
    expect(summarizeAttendance(marks('PL'), { lateCountsAsPresent: false }).rate).toBe(0.5);
    expect(summarizeAttendance([]).rate).toBeNull();
  });

  it('finds the current streak of unexcused absences; excused neither breaks nor extends it', () => {
    const summary = summarizeAttendance(marks('PAAPAEAA'));
    expect(summary.currentStreak).toBe(3);
    expect(summary.currentStreakStartId).toBe('s4');
    expect(summary.longestStreak).toBe(3);
    expect(summarizeAttendance(marks('AAAP')).currentStreak).toBe(0);
    expect(summarizeAttendance(marks('AAAP')).longestStreak).toBe(3);
  });

  it('orders marks by time whatever order they come in', () => {
    expect(summarizeAttendance(marks('PAA').reverse()).currentStreak).toBe(2);
  });
});

describe('at-risk thresholds', () => {
  it('reports low attendance, a streak and failing grades by the configured thresholds', () => {
    const summary = summarizeAttendance(marks('PPAAA'));
    const reasons = riskReasons(
      summary,
      [{ courseId: 'c', assessmentId: 'a', value: 2, passMark: 3 }],
      DEFAULT_REGISTER_SETTINGS,
    );
    expect(reasons.map((r) => r.kind)).toEqual(['low_attendance', 'absence_streak', 'failing_grade']);
    const lenient = resolveRegisterSettings({
      atRisk: { minAttendanceRate: 0.3, absenceStreak: 4, failingGrade: false },
    });
    expect(riskReasons(summary, [{ courseId: 'c', assessmentId: 'a', value: 2, passMark: 3 }], lenient)).toEqual([]);
  });

  it('is not at risk at exactly the threshold', () => {
    const summary = summarizeAttendance(marks('PPPPPPPPAA'));
    expect(summary.rate).toBe(0.8);
    expect(riskReasons(summary, [], DEFAULT_REGISTER_SETTINGS)).toEqual([]);
  });
});

describe('register settings', () => {
  it('fills defaults and refuses unknown keys and out-of-range thresholds', () => {
    expect(DEFAULT_REGISTER_SETTINGS.atRisk).toEqual({ minAttendanceRate: 0.8, absenceStreak: 3, failingGrade: true });
    expect(DEFAULT_REGISTER_SETTINGS.passMarks.hundred_point).toBe(60);
    expect(registerSettingsSchema.safeParse({ atRisk: { minAttendanceRate: 1.5 } }).success).toBe(false);
    expect(registerSettingsSchema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(resolveRegisterSettings({ passMarks: { hundred_point: 51 } }).passMarks).toEqual({
      five_point: 3,
      hundred_point: 51,
      pass_fail: 1,
    });
  });
});
