/**
 * One student's register as the student, a linked parent or sponsor, or the university's staff see
 * it: grades and final grades per course and term, attendance, a monthly progress series, rotations,
 * attestation and the at-risk reasons by the university's thresholds. Who may read is decided by the
 * `register.student.read` policy on facts loaded fresh for every request, so a link the student ends
 * stops working at once; what each reader gets is decided by presentStudentView.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  assessments,
  attendance,
  attestations,
  classSessions,
  courses,
  courseTeachers,
  grades,
  groupMembers,
  groupStaff,
  guardianLinks,
  programs,
  rotations,
  students,
  studyGroups,
  terms,
  universities,
  users,
} from '../../db/schema.js';
import { type FailingGrade, type RiskReason, riskReasons } from '../../domain/register/at-risk.js';
import { type AttendanceMark, type AttendanceStatus, summarizeAttendance } from '../../domain/register/attendance.js';
import { type AssessmentInfo, type FinalGrade, finalGrade } from '../../domain/register/final-grade.js';
import { isPassing, type ScaleId, scaleOf } from '../../domain/register/scales.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { isUuid, settingsOf } from './register-access.js';

type Text = { en: string; ru: string };
export type StudentRow = typeof students.$inferSelect;

/** Who is reading: the student, a parent or sponsor with an active link, or staff of the university. */
export type Viewer = 'student' | 'guardian' | 'staff';

export interface StudentRef {
  id: string;
  number: string;
  nameLatin: string;
  nameCyrillic: string | null;
  status: string;
}

export const presentStudentRef = (s: StudentRow): StudentRef => ({
  id: s.id,
  number: s.number,
  nameLatin: s.nameLatin,
  nameCyrillic: s.nameCyrillic,
  status: s.status,
});

/** The facts the policy needs about a student, read fresh (an ended link is gone at once). */
export async function readSubject(db: Db, student: StudentRow) {
  const [guardians, memberships] = await Promise.all([
    db
      .select({ userId: guardianLinks.guardianUserId })
      .from(guardianLinks)
      .where(and(eq(guardianLinks.studentId, student.id), eq(guardianLinks.status, 'active'))),
    db.select({ groupId: groupMembers.groupId }).from(groupMembers).where(eq(groupMembers.studentId, student.id)),
  ]);
  const groupIds = memberships.map((m) => m.groupId);
  const [staff, teachers] = groupIds.length
    ? await Promise.all([
        db.select({ userId: groupStaff.userId }).from(groupStaff).where(inArray(groupStaff.groupId, groupIds)),
        db
          .select({ userId: courseTeachers.userId })
          .from(courseTeachers)
          .innerJoin(courses, eq(courses.id, courseTeachers.courseId))
          .where(inArray(courses.groupId, groupIds)),
      ])
    : [[], []];
  return {
    universityId: student.universityId,
    studentUserId: student.userId,
    guardianUserIds: guardians.map((g) => g.userId).filter((id): id is string => !!id),
    groupStaffIds: staff.map((s) => s.userId),
    courseTeacherIds: teachers.map((t) => t.userId),
  };
}

/** The student when the principal may read their register (404 otherwise), and how the principal sees it. */
export async function studentForReading(
  ctx: AppContext,
  principal: Principal | null,
  studentId: string,
): Promise<{ student: StudentRow; viewer: Viewer }> {
  if (!principal) throw problems.unauthenticated();
  const [student] = isUuid(studentId) ? await ctx.db.select().from(students).where(eq(students.id, studentId)) : [];
  if (!student) throw problems.notFound('student');
  const subject = await readSubject(ctx.db, student);
  authorize(principal, 'register.student.read', subject, { hideExistence: true });
  const viewer: Viewer =
    student.userId === principal.id
      ? 'student'
      : principal.role === 'parent' && subject.guardianUserIds.includes(principal.id)
        ? 'guardian'
        : 'staff';
  return { student, viewer };
}

/** The signed-in person's own student record (the latest, should they study at two universities). */
export async function myStudent(ctx: AppContext, principal: Principal | null): Promise<StudentRow> {
  if (!principal) throw problems.unauthenticated();
  const [student] = await ctx.db
    .select()
    .from(students)
    .where(eq(students.userId, principal.id))
    .orderBy(desc(students.createdAt))
    .limit(1);
  if (!student) throw problems.notFound('student');
  return student;
}

// ---------- The view ----------

export interface CourseView {
  id: string;
  code: string;
  name: Text;
  scale: ScaleId;
  passMark: number;
  hours: number | null;
  credits: number | null;
  assessments: {
    id: string;
    title: string;
    kind: 'current' | 'exam' | 'final';
    weight: number;
    heldOn: string | null;
    value: number | null;
    comment: string | null;
  }[];
  final: Pick<FinalGrade, 'average' | 'value' | 'source' | 'passed' | 'complete'>;
  attendance: { present: number; late: number; absent: number; excused: number; rate: number | null };
}

export interface TermView {
  id: string;
  name: Text;
  academicYear: string;
  startsOn: string;
  closed: boolean;
  courses: CourseView[];
}

export interface AttestationView {
  id: string;
  kind: 'state_attestation' | 'preparatory_completion';
  heldOn: string;
  result: 'passed' | 'failed';
  grade: number | null;
  qualification: Text | null;
  protocolNumber: string | null;
  recordedAt: string;
}

export const presentAttestation = (a: typeof attestations.$inferSelect): AttestationView => ({
  id: a.id,
  kind: a.kind as AttestationView['kind'],
  heldOn: a.heldOn,
  result: a.result as AttestationView['result'],
  grade: a.grade,
  qualification: a.qualification,
  protocolNumber: a.protocolNumber,
  recordedAt: a.recordedAt.toISOString(),
});

export interface StudentView {
  student: StudentRef & {
    email: string;
    university: { slug: string; name: Text };
    program: { id: string; slug: string; name: Text } | null;
    groups: { id: string; code: string }[];
  };
  terms: TermView[];
  attendanceLog: {
    sessionId: string;
    courseId: string;
    courseCode: string;
    startsAt: string;
    status: AttendanceStatus;
    reason: string | null;
  }[];
  progress: { month: string; attendanceRate: number | null; averageGrade5: number | null }[];
  rotations: {
    id: string;
    clinicalBase: string;
    department: string | null;
    supervisor: { fullName: string } | null;
    startsOn: string;
    endsOn: string;
    result: 'pass' | 'fail' | null;
  }[];
  attestations: AttestationView[];
  risk: RiskReason[];
}

/** A grade on the 5-point scale for the progress chart: 100-point grades / 20 (60 → 3), within 2…5. */
export function toFivePoint(scale: ScaleId, value: number): number | null {
  if (scale === 'five_point') return value;
  if (scale === 'hundred_point') return Math.min(5, Math.max(2, value / 20));
  return null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export async function buildStudentView(ctx: AppContext, student: StudentRow): Promise<StudentView> {
  const db = ctx.db;
  const settings = await settingsOf(db, student.universityId);
  const [[university], [program], [user], memberships] = await Promise.all([
    db.select().from(universities).where(eq(universities.id, student.universityId)),
    student.programId ? db.select().from(programs).where(eq(programs.id, student.programId)) : Promise.resolve([]),
    db.select({ email: users.email }).from(users).where(eq(users.id, student.userId)),
    db
      .select({ groupId: groupMembers.groupId, code: studyGroups.code, leftAt: groupMembers.leftAt })
      .from(groupMembers)
      .innerJoin(studyGroups, eq(studyGroups.id, groupMembers.groupId))
      .where(eq(groupMembers.studentId, student.id))
      .orderBy(asc(studyGroups.code)),
  ]);
  const groupIds = memberships.map((m) => m.groupId);
  const courseRows = groupIds.length
    ? await db
        .select({ course: courses, term: terms })
        .from(courses)
        .innerJoin(terms, eq(terms.id, courses.termId))
        .where(inArray(courses.groupId, groupIds))
        .orderBy(asc(terms.startsOn), asc(courses.code))
    : [];
  const courseIds = courseRows.map((r) => r.course.id);
  const [assessmentRows, gradeRows, markRows, rotationRows, attestationRows] = await Promise.all([
    courseIds.length
      ? db
          .select()
          .from(assessments)
          .where(inArray(assessments.courseId, courseIds))
          .orderBy(asc(assessments.position), asc(assessments.heldOn))
      : Promise.resolve([]),
    db
      .select({
        assessmentId: grades.assessmentId,
        value: grades.value,
        comment: grades.comment,
        updatedAt: grades.updatedAt,
      })
      .from(grades)
      .where(eq(grades.studentId, student.id)),
    db
      .select({
        sessionId: attendance.sessionId,
        status: attendance.status,
        reason: attendance.reason,
        courseId: classSessions.courseId,
        startsAt: classSessions.startsAt,
      })
      .from(attendance)
      .innerJoin(classSessions, eq(classSessions.id, attendance.sessionId))
      .where(eq(attendance.studentId, student.id))
      .orderBy(desc(classSessions.startsAt)),
    db
      .select({ rotation: rotations, supervisor: users.fullName })
      .from(rotations)
      .leftJoin(users, eq(users.id, rotations.supervisorId))
      .where(eq(rotations.studentId, student.id))
      .orderBy(asc(rotations.startsOn)),
    db
      .select()
      .from(attestations)
      .where(eq(attestations.studentId, student.id))
      .orderBy(asc(attestations.heldOn), asc(attestations.recordedAt)),
  ]);

  const gradeOf = new Map(gradeRows.map((g) => [g.assessmentId, g]));
  const courseById = new Map(courseRows.map((r) => [r.course.id, r]));
  const marksByCourse = new Map<string, AttendanceMark[]>();
  for (const m of markRows) {
    const list = marksByCourse.get(m.courseId) ?? [];
    list.push({ sessionId: m.sessionId, startsAt: m.startsAt.toISOString(), status: m.status as AttendanceStatus });
    marksByCourse.set(m.courseId, list);
  }
  const lateOption = { lateCountsAsPresent: settings.lateCountsAsPresent };

  const termViews = new Map<string, TermView>();
  const failing: FailingGrade[] = [];
  const gradesByMonth = new Map<string, number[]>();
  for (const { course, term } of courseRows) {
    const scale = scaleOf(course.scale as ScaleId, settings.passMarks);
    const items = assessmentRows.filter((a) => a.courseId === course.id);
    const values = new Map<string, number>();
    for (const a of items) {
      const g = gradeOf.get(a.id);
      if (!g) continue;
      values.set(a.id, g.value);
      if (!term.closedAt && !isPassing(scale, g.value))
        failing.push({ courseId: course.id, assessmentId: a.id, value: g.value, passMark: scale.passMark });
      const five = toFivePoint(scale.id, g.value);
      if (five !== null) {
        const month = (a.heldOn ?? g.updatedAt.toISOString()).slice(0, 7);
        gradesByMonth.set(month, [...(gradesByMonth.get(month) ?? []), five]);
      }
    }
    const info: AssessmentInfo[] = items.map((a) => ({
      id: a.id,
      kind: a.kind as AssessmentInfo['kind'],
      weight: a.weight,
    }));
    const final = finalGrade(scale, info, values);
    const summary = summarizeAttendance(marksByCourse.get(course.id) ?? [], lateOption);
    const view =
      termViews.get(term.id) ??
      ({
        id: term.id,
        name: term.name,
        academicYear: term.academicYear,
        startsOn: term.startsOn,
        closed: term.closedAt !== null,
        courses: [],
      } satisfies TermView);
    view.courses.push({
      id: course.id,
      code: course.code,
      name: course.name,
      scale: scale.id,
      passMark: scale.passMark,
      hours: course.hours,
      credits: course.credits,
      assessments: items.map((a) => ({
        id: a.id,
        title: a.title,
        kind: a.kind as 'current' | 'exam' | 'final',
        weight: a.weight,
        heldOn: a.heldOn,
        value: gradeOf.get(a.id)?.value ?? null,
        comment: gradeOf.get(a.id)?.comment ?? null,
      })),
      final: {
        average: final.average,
        value: final.value,
        source: final.source,
        passed: final.passed,
        complete: final.complete,
      },
      attendance: {
        present: summary.present,
        late: summary.late,
        absent: summary.absent,
        excused: summary.excused,
        rate: summary.rate,
      },
    });
    termViews.set(term.id, view);
  }

  // Progress: attendance rate and mean 5-point grade per calendar month (UTC).
  const marksByMonth = new Map<string, AttendanceMark[]>();
  for (const m of markRows) {
    const month = m.startsAt.toISOString().slice(0, 7);
    marksByMonth.set(month, [
      ...(marksByMonth.get(month) ?? []),
      { sessionId: m.sessionId, startsAt: m.startsAt.toISOString(), status: m.status as AttendanceStatus },
    ]);
  }
  const months = [...new Set([...marksByMonth.keys(), ...gradesByMonth.keys()])].sort();
  const progress = months.map((month) => {
    const rate = summarizeAttendance(marksByMonth.get(month) ?? [], lateOption).rate;
    const five = gradesByMonth.get(month) ?? [];
    return {
      month,
      attendanceRate: rate === null ? null : round2(rate),
      averageGrade5: five.length ? round2(five.reduce((s, v) => s + v, 0) / five.length) : null,
    };
  });

  // At risk: attendance across the courses of terms still open, and their failing grades.
  const openMarks: AttendanceMark[] = markRows
    .filter((m) => courseById.get(m.courseId)?.term.closedAt === null)
    .map((m) => ({ sessionId: m.sessionId, startsAt: m.startsAt.toISOString(), status: m.status as AttendanceStatus }));
  const risk = riskReasons(summarizeAttendance(openMarks, lateOption), failing, settings);

  return {
    student: {
      ...presentStudentRef(student),
      email: user?.email ?? '',
      university: {
        slug: university?.slug ?? '',
        name: { en: university?.nameEn ?? '', ru: university?.nameRu ?? '' },
      },
      program: program
        ? { id: program.id, slug: program.slug, name: { en: program.titleEn, ru: program.titleRu } }
        : null,
      groups: memberships.filter((m) => m.leftAt === null).map((m) => ({ id: m.groupId, code: m.code })),
    },
    terms: [...termViews.values()],
    attendanceLog: markRows.slice(0, 100).map((m) => ({
      sessionId: m.sessionId,
      courseId: m.courseId,
      courseCode: courseById.get(m.courseId)?.course.code ?? '',
      startsAt: m.startsAt.toISOString(),
      status: m.status as AttendanceStatus,
      reason: m.reason,
    })),
    progress,
    rotations: rotationRows.map(({ rotation, supervisor }) => ({
      id: rotation.id,
      clinicalBase: rotation.clinicalBase,
      department: rotation.department,
      supervisor: supervisor ? { fullName: supervisor } : null,
      startsOn: rotation.startsOn,
      endsOn: rotation.endsOn,
      result: (rotation.result as 'pass' | 'fail' | null) ?? null,
    })),
    attestations: attestationRows.map(presentAttestation),
    risk,
  };
}

/**
 * What leaves the server, per reader. Parents and sponsors get no e-mail address, no teachers'
 * comments and no reasons given for absences (they may be medical); nobody gets document keys.
 */
export function presentStudentView(view: StudentView, viewer: Viewer) {
  const guardian = viewer === 'guardian';
  const { email, ...student } = view.student;
  return {
    student: guardian ? student : { ...student, email },
    terms: view.terms.map((t) => ({
      id: t.id,
      name: t.name,
      academicYear: t.academicYear,
      closed: t.closed,
      courses: t.courses.map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        scale: c.scale,
        passMark: c.passMark,
        assessments: c.assessments.map(({ comment, ...a }) => (guardian ? a : { ...a, comment })),
        final: c.final,
        attendance: c.attendance,
      })),
    })),
    attendanceLog: view.attendanceLog.map((m) => (guardian ? { ...m, reason: null } : m)),
    progress: view.progress,
    rotations: view.rotations,
    attestations: view.attestations,
    risk: view.risk,
  };
}
