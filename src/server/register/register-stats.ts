/**
 * Set-based attendance and grade figures for alerts, dashboards and at-risk lists. Everything is
 * grouped in SQL (one row per student, course or group), so a group's dashboard reads a few hundred
 * rows whatever the number of marks. The arithmetic on the grouped counts is the domain's
 * (src/domain/register): the same rate as summarizeAttendance, the same thresholds as riskReasons.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { AttendanceSummary } from '../../domain/register/attendance.js';

export interface MarkScope {
  studentIds?: readonly string[];
  courseIds?: readonly string[];
  /** Only courses of terms that are not closed. */
  openTermsOnly?: boolean;
}

/** A uuid[] parameter (one text parameter, whatever the length of the list). */
export const uuidArray = (ids: readonly string[]): SQL => sql`string_to_array(${ids.join(',')}, ',')::uuid[]`;

/**
 * The marks in scope. The joins are written as LATERAL look-ups fenced with OFFSET 0 (so the planner
 * cannot flatten them into hash joins over whole tables): the plan always walks the indexes from the
 * courses (or the students) in scope, whatever the statistics say — the embedded database has none
 * until someone analyses it.
 */
function marks(scope: MarkScope): SQL {
  const conditions: SQL[] = [sql`true`];
  if (scope.openTermsOnly)
    conditions.push(sql`exists (select 1 from terms t where t.id = c.term_id and t.closed_at is null)`);
  if (scope.courseIds) {
    if (scope.studentIds) conditions.push(sql`a.student_id = any(${uuidArray(scope.studentIds)})`);
    return sql`select a.student_id, s.course_id, c.group_id, s.id as session_id, s.starts_at, a.status
      from courses c
      join class_sessions s on s.course_id = c.id
      cross join lateral (select x.student_id, x.status from attendance x where x.session_id = s.id offset 0) a
      where c.id = any(${uuidArray(scope.courseIds)}) and ${sql.join(conditions, sql` and `)}`;
  }
  return sql`select a.student_id, s.course_id, c.group_id, s.id as session_id, s.starts_at, a.status
    from attendance a
    cross join lateral (select y.id, y.course_id, y.starts_at from class_sessions y where y.id = a.session_id offset 0) s
    join courses c on c.id = s.course_id
    where a.student_id = any(${uuidArray(scope.studentIds ?? [])}) and ${sql.join(conditions, sql` and `)}`;
}

export interface MarkCounts {
  present: number;
  late: number;
  absent: number;
  excused: number;
}

export const NO_MARKS: MarkCounts = { present: 0, late: 0, absent: 0, excused: 0 };

export function addCounts(a: MarkCounts, b: MarkCounts): MarkCounts {
  return {
    present: a.present + b.present,
    late: a.late + b.late,
    absent: a.absent + b.absent,
    excused: a.excused + b.excused,
  };
}

/** The rate summarizeAttendance computes, from grouped counts: attended / (marked − excused). */
export function rateOf(counts: MarkCounts, lateCountsAsPresent: boolean): number | null {
  const counted = counts.present + counts.late + counts.absent;
  if (counted === 0) return null;
  return (counts.present + (lateCountsAsPresent ? counts.late : 0)) / counted;
}

/** An AttendanceSummary (for riskReasons) from grouped counts and the current streak. */
export function summaryOf(
  counts: MarkCounts,
  streak: { length: number; startSessionId: string | null } | undefined,
  lateCountsAsPresent: boolean,
): AttendanceSummary {
  return {
    ...counts,
    rate: rateOf(counts, lateCountsAsPresent),
    currentStreak: streak?.length ?? 0,
    currentStreakStartId: streak?.startSessionId ?? null,
    longestStreak: streak?.length ?? 0,
  };
}

const countColumns = sql`count(*) filter (where m.status = 'present')::int as present,
  count(*) filter (where m.status = 'late')::int as late,
  count(*) filter (where m.status = 'absent')::int as absent,
  count(*) filter (where m.status = 'excused')::int as excused`;

type CountRow = MarkCounts & Record<string, unknown>;

const toCounts = (r: CountRow): MarkCounts => ({
  present: Number(r.present),
  late: Number(r.late),
  absent: Number(r.absent),
  excused: Number(r.excused),
});

export interface GroupedCounts extends MarkCounts {
  studentId: string;
  courseId: string;
  groupId: string;
}

/** Mark counts per student and course (the course's group alongside). */
export async function countsByStudentCourse(db: Db, scope: MarkScope): Promise<GroupedCounts[]> {
  const result = await db.execute(sql`with m as (${marks(scope)})
    select m.student_id, m.course_id, m.group_id, ${countColumns}
    from m group by m.student_id, m.course_id, m.group_id`);
  return (result.rows as CountRow[]).map((r) => ({
    studentId: String(r.student_id),
    courseId: String(r.course_id),
    groupId: String(r.group_id),
    ...toCounts(r),
  }));
}

export interface Streak {
  length: number;
  /** The first session of the streak: the alert's deduplication key. */
  startSessionId: string | null;
  since: string | null;
  courseIds: string[];
}

/**
 * Each student's current streak: unexcused absences after their latest attended (present or late)
 * session, across the courses in scope — excused absences neither break nor extend it, as in
 * summarizeAttendance.
 */
export async function currentStreaks(db: Db, scope: MarkScope): Promise<Map<string, Streak>> {
  const result = await db.execute(sql`with m as (${marks(scope)}),
    ok as (select m.student_id, max(m.starts_at) as at from m where m.status in ('present', 'late') group by m.student_id)
    select m.student_id, count(*)::int as length,
      (array_agg(m.session_id::text order by m.starts_at, m.session_id))[1] as start_id,
      min(m.starts_at) as since,
      array_agg(distinct m.course_id::text) as course_ids
    from m left join ok on ok.student_id = m.student_id
    where m.status = 'absent' and (ok.at is null or m.starts_at > ok.at)
    group by m.student_id`);
  const streaks = new Map<string, Streak>();
  for (const r of result.rows as Record<string, unknown>[]) {
    const since =
      r.since instanceof Date ? r.since.toISOString() : r.since ? new Date(String(r.since)).toISOString() : null;
    streaks.set(String(r.student_id), {
      length: Number(r.length),
      startSessionId: r.start_id ? String(r.start_id) : null,
      since,
      courseIds: parseTextArray(r.course_ids),
    });
  }
  return streaks;
}

/** A text[] as either driver returns it (an array, or PostgreSQL's "{a,b}" literal). */
export function parseTextArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' && value.startsWith('{'))
    return value
      .slice(1, -1)
      .split(',')
      .filter((s) => s.length > 0)
      .map((s) => s.replace(/^"|"$/g, ''));
  return [];
}

export interface GradeRow {
  studentId: string;
  courseId: string;
  assessmentId: string;
  kind: 'current' | 'exam' | 'final';
  weight: number;
  value: number;
}

export interface FinalAggregate {
  studentId: string;
  courseId: string;
  /** Weighted mean of the graded current and exam items (positive weights), or null. */
  average: number | null;
  /** The lowest graded current or exam item (pass/fail courses pass when every item passed). */
  lowest: number | null;
  /** The recorded final grade, if any. */
  final: number | null;
  graded: number;
}

/** Every grade of the given students in the given scope (few rows: used for failing grades). */
export async function gradesBelow(
  db: Db,
  scope: { studentIds?: readonly string[]; courseIds?: readonly string[]; openTermsOnly?: boolean },
  passMarks: { five_point: number; hundred_point: number; pass_fail: number },
): Promise<(GradeRow & { scale: string; universityId: string })[]> {
  const conditions: SQL[] = [
    sql`g.value < case c.scale when 'five_point' then ${passMarks.five_point}::numeric when 'hundred_point' then ${passMarks.hundred_point}::numeric else ${passMarks.pass_fail}::numeric end`,
  ];
  if (scope.openTermsOnly)
    conditions.push(sql`exists (select 1 from terms t where t.id = c.term_id and t.closed_at is null)`);
  const columns = sql`g.student_id, a.course_id, a.id as assessment_id, a.kind, a.weight, g.value, c.scale, c.university_id`;
  const from = scope.courseIds
    ? sql`from assessments a
        join courses c on c.id = a.course_id
        cross join lateral (select x.student_id, x.value from grades x where x.assessment_id = a.id offset 0) g
        where a.course_id = any(${uuidArray(scope.courseIds)})
        ${scope.studentIds ? sql`and g.student_id = any(${uuidArray(scope.studentIds)})` : sql``}`
    : sql`from grades g
        cross join lateral (select y.id, y.course_id, y.kind, y.weight, y.held_on, y.position from assessments y where y.id = g.assessment_id offset 0) a
        join courses c on c.id = a.course_id
        where g.student_id = any(${uuidArray(scope.studentIds ?? [])})`;
  const result = await db.execute(sql`select ${columns} ${from} and ${sql.join(conditions, sql` and `)}
    order by a.held_on nulls last, a.position`);
  return (result.rows as Record<string, unknown>[]).map((r) => ({
    studentId: String(r.student_id),
    courseId: String(r.course_id),
    assessmentId: String(r.assessment_id),
    kind: String(r.kind) as GradeRow['kind'],
    weight: Number(r.weight),
    value: Number(r.value),
    scale: String(r.scale),
    universityId: String(r.university_id),
  }));
}

export interface GradeFigures extends FinalAggregate {
  /** Grades below the pass mark of the course's scale. */
  failing: { assessmentId: string; value: number }[];
}

/** What finalGrade needs and the failing grades, per student and course, in one pass over the grades. */
export async function gradeFigures(
  db: Db,
  courseIds: readonly string[],
  passMarks: { five_point: number; hundred_point: number; pass_fail: number },
): Promise<GradeFigures[]> {
  if (courseIds.length === 0) return [];
  const result = await db.execute(sql`select g.student_id, a.course_id,
      sum(a.weight * g.value) filter (where a.kind <> 'final' and a.weight > 0) as weighted,
      sum(a.weight) filter (where a.kind <> 'final' and a.weight > 0) as weights,
      min(g.value) filter (where a.kind <> 'final') as lowest,
      max(g.value) filter (where a.kind = 'final') as final,
      count(*)::int as graded,
      string_agg(a.id::text || '=' || g.value::text, ',') filter (where g.value < case c.scale
        when 'five_point' then ${passMarks.five_point}::numeric
        when 'hundred_point' then ${passMarks.hundred_point}::numeric
        else ${passMarks.pass_fail}::numeric end) as failing
    from courses c
    join assessments a on a.course_id = c.id
    cross join lateral (select x.student_id, x.value from grades x where x.assessment_id = a.id offset 0) g
    where c.id = any(${uuidArray(courseIds)})
    group by g.student_id, a.course_id`);
  return (result.rows as Record<string, unknown>[]).map((r) => {
    const weights = r.weights === null ? 0 : Number(r.weights);
    return {
      studentId: String(r.student_id),
      courseId: String(r.course_id),
      average: weights > 0 ? Math.round((Number(r.weighted) / weights) * 100) / 100 : null,
      lowest: r.lowest === null ? null : Number(r.lowest),
      final: r.final === null ? null : Number(r.final),
      graded: Number(r.graded),
      failing: r.failing
        ? String(r.failing)
            .split(',')
            .map((pair) => {
              const [assessmentId = '', value = '0'] = pair.split('=');
              return { assessmentId, value: Number(value) };
            })
        : [],
    };
  });
}
