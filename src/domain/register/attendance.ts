/**
 * Attendance arithmetic: the rate a student attended, and absence streaks. Excused absences leave
 * the count (they neither attend nor miss) and do not break or extend a streak; late counts as
 * attended unless the university's settings say otherwise.
 */

export const ATTENDANCE_STATUSES = ['present', 'absent', 'late', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export function isAttendanceStatus(value: string): value is AttendanceStatus {
  return (ATTENDANCE_STATUSES as readonly string[]).includes(value);
}

export interface AttendanceMark {
  sessionId: string;
  /** ISO instant of the session; marks are ordered by it. */
  startsAt: string;
  status: AttendanceStatus;
}

export interface AttendanceSummary {
  present: number;
  late: number;
  absent: number;
  excused: number;
  /** Attended / (marked − excused), or null when there is nothing to count. */
  rate: number | null;
  /** Unexcused absences in a row ending at the latest marked session. */
  currentStreak: number;
  /** The first session of the current streak (dedups the alert for it). */
  currentStreakStartId: string | null;
  longestStreak: number;
}

export function summarizeAttendance(
  marks: readonly AttendanceMark[],
  options: { lateCountsAsPresent: boolean } = { lateCountsAsPresent: true },
): AttendanceSummary {
  const ordered = [...marks].sort((a, b) =>
    a.startsAt === b.startsAt ? a.sessionId.localeCompare(b.sessionId) : a.startsAt < b.startsAt ? -1 : 1,
  );
  const counts = { present: 0, late: 0, absent: 0, excused: 0 };
  let streak = 0;
  let streakStart: string | null = null;
  let longest = 0;
  for (const mark of ordered) {
    counts[mark.status] += 1;
    if (mark.status === 'excused') continue;
    if (mark.status === 'absent') {
      if (streak === 0) streakStart = mark.sessionId;
      streak += 1;
      longest = Math.max(longest, streak);
    } else {
      streak = 0;
      streakStart = null;
    }
  }
  const attended = counts.present + (options.lateCountsAsPresent ? counts.late : 0);
  const counted = counts.present + counts.late + counts.absent;
  return {
    ...counts,
    rate: counted > 0 ? attended / counted : null,
    currentStreak: streak,
    currentStreakStartId: streak > 0 ? streakStart : null,
    longestStreak: longest,
  };
}
