/**
 * A course's sheet (students × sessions and assessments) and the teacher's writes to it.
 *
 * Writes are all or nothing and set-based: every entry is checked first (422 naming each bad one),
 * then the changed values only are written with one multi-row upsert, one delete for removed
 * values and one multi-row audit insert, and alerts are detected in the same transaction. A whole
 * group's attendance for one session costs a fixed handful of indexed statements whatever the
 * size of the database.
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { attendance, classSessions, grades, groupMembers } from '../../db/schema.js';
import { type AttendanceStatus, isAttendanceStatus, summarizeAttendance } from '../../domain/register/attendance.js';
import { type AssessmentInfo, finalGrade } from '../../domain/register/final-grade.js';
import { checkGrade, scaleOf } from '../../domain/register/scales.js';
import type { AppContext } from '../context.js';
import type { Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, type AuditEntry, recordAuditMany } from '../services/audit.service.js';
import { detectAlerts } from './alerts.service.js';
import { listAssessments, listSessions, presentAssessment } from './courses.service.js';
import {
  assertTermOpen,
  type CourseRecord,
  canOverride,
  courseForTeaching,
  courseRefOf,
  invalidEntries,
  isUuid,
  settingsOf,
} from './register-access.js';
import { groupStudents } from './structure.service.js';

type Db = AppContext['db'];
type FieldError = { field: string; code: string; message: string };

export async function getSheet(ctx: AppContext, principal: Principal | null, courseId: string) {
  const course = await courseForTeaching(ctx, principal, courseId);
  const [ref, settings, members, sessions, assessmentRows] = await Promise.all([
    courseRefOf(ctx.db, course),
    settingsOf(ctx.db, course.universityId),
    groupStudents(ctx, course.groupId),
    listSessions(ctx, courseId),
    listAssessments(ctx, [courseId]),
  ]);
  const studentIds = members.map((m) => m.id);
  const sessionIds = sessions.map((s) => s.id);
  const assessmentIds = assessmentRows.map((a) => a.id);
  const [marks, gradeRows] = await Promise.all([
    sessionIds.length && studentIds.length
      ? ctx.db
          .select({
            sessionId: attendance.sessionId,
            studentId: attendance.studentId,
            status: attendance.status,
            reason: attendance.reason,
            hasDocument: sql<boolean>`${attendance.documentKey} is not null`,
          })
          .from(attendance)
          .where(and(inArray(attendance.sessionId, sessionIds), inArray(attendance.studentId, studentIds)))
      : [],
    assessmentIds.length && studentIds.length
      ? ctx.db
          .select({
            assessmentId: grades.assessmentId,
            studentId: grades.studentId,
            value: grades.value,
            comment: grades.comment,
          })
          .from(grades)
          .where(and(inArray(grades.assessmentId, assessmentIds), inArray(grades.studentId, studentIds)))
      : [],
  ]);
  const scale = scaleOf(course.scale, settings.passMarks);
  const infos: AssessmentInfo[] = assessmentRows.map((a) => ({
    id: a.id,
    kind: a.kind as AssessmentInfo['kind'],
    weight: Number(a.weight),
  }));
  const startsAt = new Map(sessions.map((s) => [s.id, s.startsAt.toISOString()]));
  const gradesByStudent = new Map<string, Map<string, number>>();
  for (const g of gradeRows) {
    const map = gradesByStudent.get(g.studentId) ?? new Map<string, number>();
    map.set(g.assessmentId, Number(g.value));
    gradesByStudent.set(g.studentId, map);
  }
  const marksByStudent = new Map<string, typeof marks>();
  for (const m of marks) marksByStudent.set(m.studentId, [...(marksByStudent.get(m.studentId) ?? []), m]);
  const manager = !!principal && canOverride(principal, course.universityId);
  return {
    course: { ...ref, passMark: scale.passMark, min: scale.min, max: scale.max },
    termClosed: course.termClosedAt !== null,
    canOverride: manager,
    students: members,
    sessions: sessions.map((s) => ({ id: s.id, startsAt: s.startsAt.toISOString(), kind: s.kind, topic: s.topic })),
    assessments: assessmentRows.map(presentAssessment),
    attendance: marks.map((m) => ({
      sessionId: m.sessionId,
      studentId: m.studentId,
      status: m.status as AttendanceStatus,
      reason: m.reason,
      hasDocument: Boolean(m.hasDocument),
    })),
    grades: gradeRows.map((g) => ({ ...g, value: Number(g.value) })),
    finals: members.map((m) => ({
      studentId: m.id,
      ...pickFinal(finalGrade(scale, infos, gradesByStudent.get(m.id) ?? new Map())),
    })),
    attendanceSummary: members.map((m) => {
      const summary = summarizeAttendance(
        (marksByStudent.get(m.id) ?? []).map((x) => ({
          sessionId: x.sessionId,
          startsAt: startsAt.get(x.sessionId) ?? '',
          status: x.status as AttendanceStatus,
        })),
        { lateCountsAsPresent: settings.lateCountsAsPresent },
      );
      return { studentId: m.id, rate: summary.rate, absent: summary.absent, currentStreak: summary.currentStreak };
    }),
  };
}

function pickFinal(f: ReturnType<typeof finalGrade>) {
  return { average: f.average, value: f.value, source: f.source, passed: f.passed, complete: f.complete };
}

/** Current members of the course's group among the given students. */
async function membersAmong(db: Db, groupId: string, studentIds: string[]): Promise<Set<string>> {
  const valid = [...new Set(studentIds.filter(isUuid))];
  if (valid.length === 0) return new Set();
  const rows = await db
    .select({ id: groupMembers.studentId })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), inArray(groupMembers.studentId, valid), isNull(groupMembers.leftAt)));
  return new Set(rows.map((r) => r.id));
}

function duplicates<T>(items: readonly T[], key: (item: T) => string): Set<number> {
  const seen = new Set<string>();
  const dup = new Set<number>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) dup.add(i);
    seen.add(k);
  });
  return dup;
}

export interface AttendanceInput {
  sessionId: string;
  marks: { studentId: string; status: string | null; reason?: string | null | undefined }[];
  override?: { reason: string } | undefined;
}

/** Sets attendance marks of one session (status null removes a mark); only changes are written and audited. */
export async function saveAttendance(
  ctx: AppContext,
  principal: Principal | null,
  courseId: string,
  input: AttendanceInput,
  actor: Actor,
): Promise<{ saved: number }> {
  const course = await courseForTeaching(ctx, principal, courseId);
  const overrideReason = assertTermOpen(principal as Principal, course, input.override);
  const [session] = isUuid(input.sessionId)
    ? await ctx.db
        .select({ id: classSessions.id, startsAt: classSessions.startsAt })
        .from(classSessions)
        .where(and(eq(classSessions.id, input.sessionId), eq(classSessions.courseId, courseId)))
    : [];
  const errors: FieldError[] = [];
  if (!session)
    errors.push({ field: 'sessionId', code: 'unknown_session', message: 'No such session of this course.' });
  const members = await membersAmong(
    ctx.db,
    course.groupId,
    input.marks.map((m) => m.studentId),
  );
  const dup = duplicates(input.marks, (m) => m.studentId);
  input.marks.forEach((m, i) => {
    if (!members.has(m.studentId))
      errors.push({ field: `marks[${i}].studentId`, code: 'not_in_group', message: 'Not a student of this group.' });
    else if (dup.has(i))
      errors.push({ field: `marks[${i}].studentId`, code: 'duplicate', message: 'This student is marked twice.' });
    if (m.status !== null && !isAttendanceStatus(m.status))
      errors.push({
        field: `marks[${i}].status`,
        code: 'invalid_status',
        message: 'Use present, absent, late or excused.',
      });
    if (m.status === 'excused' && !m.reason?.trim())
      errors.push({
        field: `marks[${i}].reason`,
        code: 'required_for_excused',
        message: 'An excused absence needs a reason.',
      });
  });
  if (errors.length) throw invalidEntries(errors);

  return ctx.db.transaction(async (tx) => {
    const ids = input.marks.map((m) => m.studentId);
    const existing = await tx
      .select({ studentId: attendance.studentId, status: attendance.status, reason: attendance.reason })
      .from(attendance)
      .where(and(eq(attendance.sessionId, input.sessionId), inArray(attendance.studentId, ids)))
      .for('update');
    const before = new Map(existing.map((e) => [e.studentId, e]));
    const now = ctx.clock.now();
    const upserts: (typeof attendance.$inferInsert)[] = [];
    const removals: string[] = [];
    const audit: AuditEntry[] = [];
    for (const m of input.marks) {
      const old = before.get(m.studentId);
      const reason = m.status === null ? null : m.reason?.trim() || null;
      const same = old ? old.status === m.status && (old.reason ?? null) === reason : m.status === null;
      if (same) continue;
      if (m.status === null) removals.push(m.studentId);
      else
        upserts.push({
          sessionId: input.sessionId,
          studentId: m.studentId,
          status: m.status,
          reason,
          updatedBy: actor.userId ?? '00000000-0000-0000-0000-000000000000',
          updatedAt: now,
        });
      audit.push({
        action: 'register.attendance.set',
        subjectType: 'student',
        subjectId: m.studentId,
        before: old ? { courseId, sessionId: input.sessionId, status: old.status, reason: old.reason } : null,
        after: m.status === null ? null : { courseId, sessionId: input.sessionId, status: m.status, reason },
        reason: overrideReason,
      });
    }
    if (upserts.length)
      await tx
        .insert(attendance)
        .values(upserts)
        .onConflictDoUpdate({
          target: [attendance.sessionId, attendance.studentId],
          set: {
            status: sql`excluded.status`,
            reason: sql`excluded.reason`,
            updatedBy: sql`excluded.updated_by`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    if (removals.length)
      await tx
        .delete(attendance)
        .where(and(eq(attendance.sessionId, input.sessionId), inArray(attendance.studentId, removals)));
    await recordAuditMany(tx, ctx.clock, actor, audit);
    // Attendance can start a streak (across courses) or lower this course's rate; grades are not affected.
    if (audit.length)
      await detectAlerts(tx, ctx.clock, [...new Set(audit.map((a) => a.subjectId))], {
        courseIds: [courseId],
        kinds: ['absence_streak', 'low_attendance'],
      });
    return { saved: audit.length };
  });
}

export interface GradesInput {
  grades: { assessmentId: string; studentId: string; value: number | null; comment?: string | null | undefined }[];
  override?: { reason: string } | undefined;
}

/** Sets grades (value null removes one); all or nothing, only changes written and audited. */
export async function saveGrades(
  ctx: AppContext,
  principal: Principal | null,
  courseId: string,
  input: GradesInput,
  actor: Actor,
): Promise<{ saved: number }> {
  const course = await courseForTeaching(ctx, principal, courseId);
  const overrideReason = assertTermOpen(principal as Principal, course, input.override);
  const [settings, assessmentRows, members] = await Promise.all([
    settingsOf(ctx.db, course.universityId),
    listAssessments(ctx, [courseId]),
    membersAmong(
      ctx.db,
      course.groupId,
      input.grades.map((g) => g.studentId),
    ),
  ]);
  const scale = scaleOf(course.scale, settings.passMarks);
  const known = new Set(assessmentRows.map((a) => a.id));
  const dup = duplicates(input.grades, (g) => `${g.assessmentId}/${g.studentId}`);
  const errors: FieldError[] = [];
  input.grades.forEach((g, i) => {
    if (!known.has(g.assessmentId))
      errors.push({
        field: `grades[${i}].assessmentId`,
        code: 'unknown_assessment',
        message: 'No such assessment of this course.',
      });
    if (!members.has(g.studentId))
      errors.push({ field: `grades[${i}].studentId`, code: 'not_in_group', message: 'Not a student of this group.' });
    else if (dup.has(i))
      errors.push({ field: `grades[${i}].studentId`, code: 'duplicate', message: 'This grade is given twice.' });
    if (g.value !== null) {
      const check = checkGrade(scale, g.value);
      if (!check.ok)
        errors.push({
          field: `grades[${i}].value`,
          code: check.reason,
          message: `Grades on this scale are whole numbers from ${check.min} to ${check.max}.`,
        });
    }
  });
  if (errors.length)
    throw invalidEntries(
      errors,
      `${errors.length} grade(s) invalid (scale ${scale.id}: ${scale.min}–${scale.max}); nothing was saved.`,
    );
  return writeGrades(ctx, course, input.grades, overrideReason, actor);
}

async function writeGrades(
  ctx: AppContext,
  course: CourseRecord,
  entries: GradesInput['grades'],
  overrideReason: string | null,
  actor: Actor,
): Promise<{ saved: number }> {
  return ctx.db.transaction(async (tx) => {
    const assessmentIds = [...new Set(entries.map((g) => g.assessmentId))];
    const studentIds = [...new Set(entries.map((g) => g.studentId))];
    const existing = await tx
      .select({
        assessmentId: grades.assessmentId,
        studentId: grades.studentId,
        value: grades.value,
        comment: grades.comment,
      })
      .from(grades)
      .where(and(inArray(grades.assessmentId, assessmentIds), inArray(grades.studentId, studentIds)))
      .for('update');
    const before = new Map(existing.map((e) => [`${e.assessmentId}/${e.studentId}`, e]));
    const now = ctx.clock.now();
    const upserts: (typeof grades.$inferInsert)[] = [];
    const removals: { assessmentId: string; studentId: string }[] = [];
    const audit: AuditEntry[] = [];
    for (const g of entries) {
      const old = before.get(`${g.assessmentId}/${g.studentId}`);
      const comment = g.comment === undefined ? (old?.comment ?? null) : g.comment?.trim() || null;
      const oldValue = old ? Number(old.value) : null;
      if (g.value === oldValue && (g.value === null || comment === (old?.comment ?? null))) continue;
      if (g.value === null) removals.push(g);
      else
        upserts.push({
          assessmentId: g.assessmentId,
          studentId: g.studentId,
          value: g.value,
          comment,
          updatedBy: actor.userId ?? '00000000-0000-0000-0000-000000000000',
          updatedAt: now,
        });
      audit.push({
        action: 'register.grade.set',
        subjectType: 'student',
        subjectId: g.studentId,
        before: old
          ? { courseId: course.id, assessmentId: g.assessmentId, value: oldValue, comment: old.comment }
          : null,
        after: g.value === null ? null : { courseId: course.id, assessmentId: g.assessmentId, value: g.value, comment },
        reason: overrideReason,
      });
    }
    if (upserts.length)
      await tx
        .insert(grades)
        .values(upserts)
        .onConflictDoUpdate({
          target: [grades.assessmentId, grades.studentId],
          set: {
            value: sql`excluded.value`,
            comment: sql`excluded.comment`,
            updatedBy: sql`excluded.updated_by`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    if (removals.length)
      await tx.execute(
        sql`delete from ${grades} where (${grades.assessmentId}, ${grades.studentId}) in (${sql.join(
          removals.map((r) => sql`(${r.assessmentId}::uuid, ${r.studentId}::uuid)`),
          sql`, `,
        )})`,
      );
    await recordAuditMany(tx, ctx.clock, actor, audit);
    // A grade can only fail in this course.
    if (audit.length)
      await detectAlerts(tx, ctx.clock, [...new Set(audit.map((a) => a.subjectId))], {
        courseIds: [course.id],
        kinds: ['failing_grade'],
      });
    return { saved: audit.length };
  });
}

/**
 * Attaches a justification (an uploaded PDF/JPEG/PNG already checked by receiveFile) to an
 * excused mark; the file goes to the blob store by its SHA-256. Audited.
 */
export async function attachExcuseDocument(
  ctx: AppContext,
  principal: Principal | null,
  input: { sessionId: string; studentId: string; tempFile: string; sha256: string; override?: string | undefined },
  actor: Actor,
) {
  const [session] = isUuid(input.sessionId)
    ? await ctx.db
        .select({ courseId: classSessions.courseId })
        .from(classSessions)
        .where(eq(classSessions.id, input.sessionId))
    : [];
  if (!session) throw problems.notFound('session');
  const course = await courseForTeaching(ctx, principal, session.courseId);
  const overrideReason = assertTermOpen(
    principal as Principal,
    course,
    input.override ? { reason: input.override } : undefined,
  );
  const [mark] = isUuid(input.studentId)
    ? await ctx.db
        .select()
        .from(attendance)
        .where(and(eq(attendance.sessionId, input.sessionId), eq(attendance.studentId, input.studentId)))
    : [];
  if (mark?.status !== 'excused')
    throw invalidEntries([
      { field: 'studentId', code: 'not_excused', message: 'Mark the absence as excused (with a reason) first.' },
    ]);
  const key = await ctx.blobs.put(input.tempFile, input.sha256);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(attendance)
      .set({
        documentKey: key,
        documentSha256: input.sha256,
        updatedBy: actor.userId ?? mark.updatedBy,
        updatedAt: ctx.clock.now(),
      })
      .where(and(eq(attendance.sessionId, input.sessionId), eq(attendance.studentId, input.studentId)));
    await recordAuditMany(tx, ctx.clock, actor, [
      {
        action: 'register.attendance.document',
        subjectType: 'student',
        subjectId: input.studentId,
        before: { sessionId: input.sessionId, documentSha256: mark.documentSha256 },
        after: { sessionId: input.sessionId, documentSha256: input.sha256 },
        reason: overrideReason,
      },
    ]);
  });
  return { sessionId: input.sessionId, studentId: input.studentId, sha256: input.sha256 };
}
