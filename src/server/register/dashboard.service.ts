/**
 * Dashboards for the administration (per university, faculty, group, course) and a group's curator:
 * attendance rates, grade distributions of final grades, failing counts and the at-risk list by the
 * university's thresholds. Figures are grouped in SQL (register-stats.ts) — one row per student and
 * course — so a group's dashboard reads a few hundred rows; the rules are the domain's.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { courses, groupMembers, groupStaff, students, studyGroups, terms } from '../../db/schema.js';
import { type FailingGrade, type RiskReason, riskReasons } from '../../domain/register/at-risk.js';
import { type AssessmentInfo, finalGrade } from '../../domain/register/final-grade.js';
import { gradeDistribution, type Scale, type ScaleId, scaleOf } from '../../domain/register/scales.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { isUuid, settingsOf, universityScope } from './register-access.js';
import {
  addCounts,
  countsByStudentCourse,
  currentStreaks,
  type FinalAggregate,
  gradeFigures,
  type MarkCounts,
  NO_MARKS,
  rateOf,
  type Streak,
  summaryOf,
} from './register-stats.js';
import { presentStudentRef, type StudentRef, toFivePoint } from './student-view.service.js';

type Text = { en: string; ru: string };

export interface DashboardFilter {
  termId?: string | undefined;
  groupId?: string | undefined;
  courseId?: string | undefined;
  faculty?: string | undefined;
  universityId?: string | undefined;
}

export interface Dashboard {
  summary: { students: number; attendanceRate: number | null; atRisk: number };
  groups: {
    id: string;
    code: string;
    faculty: Text;
    students: number;
    attendanceRate: number | null;
    averageGrade5: number | null;
    atRisk: number;
  }[];
  courses: {
    id: string;
    code: string;
    name: Text;
    group: { id: string; code: string };
    attendanceRate: number | null;
    distribution: { label: string; count: number }[];
    failing: number;
  }[];
  atRisk: { student: StudentRef; group: { id: string; code: string }; reasons: RiskReason[] }[];
}

const round3 = (n: number | null) => (n === null ? null : Math.round(n * 1000) / 1000);
const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

type GroupRow = typeof studyGroups.$inferSelect;

/** Which groups the dashboard covers, after the policy: a group (its curator may see it), or a university. */
async function scopeOf(ctx: AppContext, principal: Principal | null, filter: DashboardFilter) {
  if (!principal) throw problems.unauthenticated();
  let groupId = filter.groupId;
  if (filter.courseId) {
    const [course] = isUuid(filter.courseId)
      ? await ctx.db.select({ groupId: courses.groupId }).from(courses).where(eq(courses.id, filter.courseId))
      : [];
    if (!course || (groupId && groupId !== course.groupId)) throw problems.notFound('course');
    groupId = course.groupId;
  }
  let universityId: string;
  let groups: GroupRow[];
  if (groupId) {
    const [group] = isUuid(groupId) ? await ctx.db.select().from(studyGroups).where(eq(studyGroups.id, groupId)) : [];
    if (!group) throw problems.notFound('group');
    const staff = await ctx.db
      .select({ userId: groupStaff.userId })
      .from(groupStaff)
      .where(eq(groupStaff.groupId, group.id));
    authorize(
      principal,
      'register.dashboard',
      { universityId: group.universityId, groupStaffIds: staff.map((s) => s.userId) },
      { hideExistence: true },
    );
    universityId = group.universityId;
    groups = [group];
  } else {
    universityId = universityScope(principal, filter.universityId);
    authorize(principal, 'register.dashboard', { universityId });
    groups = await ctx.db
      .select()
      .from(studyGroups)
      .where(eq(studyGroups.universityId, universityId))
      .orderBy(asc(studyGroups.code));
  }
  if (filter.faculty) {
    const wanted = filter.faculty.trim().toLowerCase();
    groups = groups.filter((g) => g.faculty.en.toLowerCase() === wanted || g.faculty.ru.toLowerCase() === wanted);
  }
  if (filter.termId) {
    const [term] = isUuid(filter.termId)
      ? await ctx.db
          .select({ id: terms.id })
          .from(terms)
          .where(and(eq(terms.id, filter.termId), eq(terms.universityId, universityId)))
      : [];
    if (!term) throw problems.notFound('term');
  }
  return { universityId, groups };
}

/** The final grade from grouped figures, by the domain's rule (a recorded final, else the rounded mean). */
function finalOf(scale: Scale, agg: FinalAggregate) {
  const items: AssessmentInfo[] = [];
  const values = new Map<string, number>();
  // Pass/fail passes only when every item passed: its lowest item decides.
  const mean = scale.id === 'pass_fail' ? agg.lowest : agg.average;
  if (mean !== null) {
    items.push({ id: 'mean', kind: 'current', weight: 1 });
    values.set('mean', mean);
  }
  if (agg.final !== null) {
    items.push({ id: 'final', kind: 'final', weight: 0 });
    values.set('final', agg.final);
  }
  return finalGrade(scale, items, values);
}

export async function buildDashboard(
  ctx: AppContext,
  principal: Principal | null,
  filter: DashboardFilter,
): Promise<Dashboard> {
  const { universityId, groups } = await scopeOf(ctx, principal, filter);
  const empty: Dashboard = {
    summary: { students: 0, attendanceRate: null, atRisk: 0 },
    groups: [],
    courses: [],
    atRisk: [],
  };
  if (groups.length === 0) return empty;
  const groupIds = groups.map((g) => g.id);
  const settings = await settingsOf(ctx.db, universityId);
  const late = settings.lateCountsAsPresent;

  const courseRows = await ctx.db
    .select({ id: courses.id, code: courses.code, name: courses.name, scale: courses.scale, groupId: courses.groupId })
    .from(courses)
    .innerJoin(terms, eq(terms.id, courses.termId))
    .where(
      and(
        inArray(courses.groupId, groupIds),
        filter.termId ? eq(courses.termId, filter.termId) : isNull(terms.closedAt),
        filter.courseId ? eq(courses.id, filter.courseId) : undefined,
      ),
    )
    .orderBy(asc(courses.code));
  const members = await ctx.db
    .select({ studentId: groupMembers.studentId, groupId: groupMembers.groupId })
    .from(groupMembers)
    .where(and(inArray(groupMembers.groupId, groupIds), isNull(groupMembers.leftAt)));
  const courseIds = courseRows.map((c) => c.id);
  const scope = { courseIds };
  const [counts, streaks, finals] = courseIds.length
    ? [
        await countsByStudentCourse(ctx.db, scope),
        await currentStreaks(ctx.db, scope),
        await gradeFigures(ctx.db, courseIds, settings.passMarks),
      ]
    : [[], new Map<string, Streak>(), []];

  const memberOf = new Map<string, Set<string>>();
  for (const m of members) memberOf.set(m.groupId, (memberOf.get(m.groupId) ?? new Set()).add(m.studentId));
  const isMember = (groupId: string, studentId: string) => memberOf.get(groupId)?.has(studentId) ?? false;
  const courseById = new Map(courseRows.map((c) => [c.id, c]));

  // Attendance: per student (all courses in scope), per group, per course — members only.
  const perStudent = new Map<string, MarkCounts>();
  const perGroup = new Map<string, MarkCounts>();
  const perCourse = new Map<string, MarkCounts>();
  for (const c of counts) {
    if (!isMember(c.groupId, c.studentId)) continue;
    perStudent.set(c.studentId, addCounts(perStudent.get(c.studentId) ?? NO_MARKS, c));
    perGroup.set(c.groupId, addCounts(perGroup.get(c.groupId) ?? NO_MARKS, c));
    perCourse.set(c.courseId, addCounts(perCourse.get(c.courseId) ?? NO_MARKS, c));
  }

  // Final grades per course (distribution, failing) and the 5-point mean per group.
  const finalsByCourse = new Map<string, { value: number | null; passed: boolean | null }[]>();
  const fiveByGroup = new Map<string, number[]>();
  for (const agg of finals) {
    const course = courseById.get(agg.courseId);
    if (!course || !isMember(course.groupId, agg.studentId)) continue;
    const scale = scaleOf(course.scale as ScaleId, settings.passMarks);
    const final = finalOf(scale, agg);
    finalsByCourse.set(course.id, [...(finalsByCourse.get(course.id) ?? []), final]);
    const five = final.value === null ? null : toFivePoint(scale.id, final.value);
    if (five !== null) fiveByGroup.set(course.groupId, [...(fiveByGroup.get(course.groupId) ?? []), five]);
  }

  // At risk, by the university's thresholds.
  const failingByStudent = new Map<string, FailingGrade[]>();
  for (const agg of finals) {
    const course = courseById.get(agg.courseId);
    if (!course || agg.failing.length === 0 || !isMember(course.groupId, agg.studentId)) continue;
    const { passMark } = scaleOf(course.scale as ScaleId, settings.passMarks);
    const list = failingByStudent.get(agg.studentId) ?? [];
    for (const f of agg.failing)
      list.push({ courseId: agg.courseId, assessmentId: f.assessmentId, value: f.value, passMark });
    failingByStudent.set(agg.studentId, list);
  }
  const studentIds = [...new Set(members.map((m) => m.studentId))];
  const reasons = new Map<string, RiskReason[]>();
  for (const id of studentIds) {
    const r = riskReasons(
      summaryOf(perStudent.get(id) ?? NO_MARKS, streaks.get(id), late),
      failingByStudent.get(id) ?? [],
      settings,
    );
    if (r.length) reasons.set(id, r);
  }

  const total = [...perStudent.values()].reduce(addCounts, NO_MARKS);
  const groupView = groups.map((g) => {
    const ids = [...(memberOf.get(g.id) ?? [])];
    const five = fiveByGroup.get(g.id) ?? [];
    return {
      id: g.id,
      code: g.code,
      faculty: g.faculty,
      students: ids.length,
      attendanceRate: round3(rateOf(perGroup.get(g.id) ?? NO_MARKS, late)),
      averageGrade5: five.length ? round2(five.reduce((s, v) => s + v, 0) / five.length) : null,
      atRisk: ids.filter((id) => reasons.has(id)).length,
    };
  });
  const groupCode = new Map(groups.map((g) => [g.id, g.code]));
  const courseView = courseRows.map((c) => {
    const scale = scaleOf(c.scale as ScaleId, settings.passMarks);
    const list = finalsByCourse.get(c.id) ?? [];
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      group: { id: c.groupId, code: groupCode.get(c.groupId) ?? '' },
      attendanceRate: round3(rateOf(perCourse.get(c.id) ?? NO_MARKS, late)),
      distribution: gradeDistribution(
        scale,
        list.map((f) => f.value).filter((v): v is number => v !== null),
      ),
      failing: list.filter((f) => f.passed === false).length,
    };
  });

  const atRiskIds = [...reasons.keys()];
  const refs = atRiskIds.length ? await ctx.db.select().from(students).where(inArray(students.id, atRiskIds)) : [];
  const firstGroup = new Map<string, string>();
  for (const m of members) if (!firstGroup.has(m.studentId)) firstGroup.set(m.studentId, m.groupId);
  const atRisk = refs
    .map((s) => {
      const groupId = firstGroup.get(s.id) ?? '';
      return {
        student: presentStudentRef(s),
        group: { id: groupId, code: groupCode.get(groupId) ?? '' },
        reasons: reasons.get(s.id) ?? [],
      };
    })
    .sort((a, b) => b.reasons.length - a.reasons.length || a.student.nameLatin.localeCompare(b.student.nameLatin));

  return {
    summary: { students: studentIds.length, attendanceRate: round3(rateOf(total, late)), atRisk: atRisk.length },
    groups: groupView,
    courses: courseView,
    atRisk,
  };
}

// ---------- XLSX ----------

const XLSX_TEXT = {
  en: {
    summary: 'Summary',
    groups: 'Groups',
    courses: 'Courses',
    atRisk: 'At risk',
    students: 'Students',
    attendance: 'Attendance rate',
    atRiskCount: 'At risk',
    groupHeaders: ['Group', 'Faculty', 'Students', 'Attendance rate', 'Average grade (5-point)', 'At risk'],
    courseHeaders: ['Course', 'Name', 'Group', 'Attendance rate', 'Final grades', 'Failing'],
    riskHeaders: ['Student number', 'Name (Latin)', 'Name (Cyrillic)', 'Group', 'Reasons'],
    reason: (r: RiskReason, course: (id: string) => string) =>
      r.kind === 'low_attendance'
        ? `attendance ${Math.round(r.rate * 100)} % < ${Math.round(r.threshold * 100)} %`
        : r.kind === 'absence_streak'
          ? `${r.length} absences in a row`
          : `failing grade ${r.value} < ${r.passMark} (${course(r.courseId)})`,
  },
  ru: {
    summary: 'Сводка',
    groups: 'Группы',
    courses: 'Дисциплины',
    atRisk: 'Группа риска',
    students: 'Студентов',
    attendance: 'Посещаемость',
    atRiskCount: 'В группе риска',
    groupHeaders: [
      'Группа',
      'Факультет',
      'Студентов',
      'Посещаемость',
      'Средний балл (5-балльная шкала)',
      'В группе риска',
    ],
    courseHeaders: ['Дисциплина', 'Название', 'Группа', 'Посещаемость', 'Итоговые оценки', 'Неудовлетворительно'],
    riskHeaders: ['Номер студента', 'ФИО (латиницей)', 'ФИО (кириллицей)', 'Группа', 'Причины'],
    reason: (r: RiskReason, course: (id: string) => string) =>
      r.kind === 'low_attendance'
        ? `посещаемость ${Math.round(r.rate * 100)} % < ${Math.round(r.threshold * 100)} %`
        : r.kind === 'absence_streak'
          ? `пропусков подряд: ${r.length}`
          : `неудовлетворительная оценка ${r.value} < ${r.passMark} (${course(r.courseId)})`,
  },
} as const;

function headerRow(sheet: ExcelJS.Worksheet, headers: readonly string[]) {
  const row = sheet.addRow([...headers]);
  row.font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  headers.forEach((h, i) => {
    sheet.getColumn(i + 1).width = Math.max(12, Math.min(40, h.length + 4));
  });
}

export async function renderDashboardXlsx(dashboard: Dashboard, locale: 'en' | 'ru'): Promise<Buffer> {
  const t = XLSX_TEXT[locale];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'MedAdmit';
  const percent = (rate: number | null) => (rate === null ? null : rate);

  const summary = workbook.addWorksheet(t.summary);
  summary.addRow([t.students, dashboard.summary.students]);
  summary.addRow([t.attendance, percent(dashboard.summary.attendanceRate)]).getCell(2).numFmt = '0.0%';
  summary.addRow([t.atRiskCount, dashboard.summary.atRisk]);
  summary.getColumn(1).width = 24;

  const groups = workbook.addWorksheet(t.groups);
  headerRow(groups, t.groupHeaders);
  for (const g of dashboard.groups) {
    const row = groups.addRow([
      g.code,
      g.faculty[locale],
      g.students,
      percent(g.attendanceRate),
      g.averageGrade5,
      g.atRisk,
    ]);
    row.getCell(4).numFmt = '0.0%';
  }

  const courseSheet = workbook.addWorksheet(t.courses);
  headerRow(courseSheet, t.courseHeaders);
  for (const c of dashboard.courses) {
    const row = courseSheet.addRow([
      c.code,
      c.name[locale],
      c.group.code,
      percent(c.attendanceRate),
      c.distribution.map((d) => `${d.label}: ${d.count}`).join(', '),
      c.failing,
    ]);
    row.getCell(4).numFmt = '0.0%';
  }

  const courseCode = new Map(dashboard.courses.map((c) => [c.id, c.code]));
  const risk = workbook.addWorksheet(t.atRisk);
  headerRow(risk, t.riskHeaders);
  for (const r of dashboard.atRisk) {
    risk.addRow([
      r.student.number,
      r.student.nameLatin,
      r.student.nameCyrillic ?? '',
      r.group.code,
      r.reasons.map((reason) => t.reason(reason, (id) => courseCode.get(id) ?? '')).join('; '),
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
