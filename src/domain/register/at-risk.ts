import type { AttendanceSummary } from './attendance.js';
import type { RegisterSettings } from './settings.js';

/**
 * Why a student is at risk, by the university's thresholds: attendance below the minimum, an
 * unexcused absence streak of the configured length, a grade below the pass mark.
 */

export interface FailingGrade {
  courseId: string;
  assessmentId: string;
  value: number;
  passMark: number;
}

export type RiskReason =
  | { kind: 'low_attendance'; rate: number; threshold: number }
  | { kind: 'absence_streak'; length: number; threshold: number }
  | { kind: 'failing_grade'; courseId: string; assessmentId: string; value: number; passMark: number };

export function riskReasons(
  attendance: AttendanceSummary,
  failing: readonly FailingGrade[],
  settings: RegisterSettings,
): RiskReason[] {
  const reasons: RiskReason[] = [];
  const { minAttendanceRate, absenceStreak, failingGrade } = settings.atRisk;
  if (attendance.rate !== null && attendance.rate < minAttendanceRate)
    reasons.push({ kind: 'low_attendance', rate: attendance.rate, threshold: minAttendanceRate });
  if (attendance.currentStreak >= absenceStreak)
    reasons.push({ kind: 'absence_streak', length: attendance.currentStreak, threshold: absenceStreak });
  if (failingGrade) for (const grade of failing) reasons.push({ kind: 'failing_grade', ...grade });
  return reasons;
}
