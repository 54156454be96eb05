/**
 * What every register service needs: the university a principal works in, a course with its term
 * and teachers behind the `register.teach` policy (404 for courses the caller may not know about),
 * the university's register settings, and CourseRef, the course as it leaves the server.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { courses, courseTeachers, registerSettings, studyGroups, terms, users } from '../../db/schema.js';
import type { ScaleId } from '../../domain/register/scales.js';
import { type RegisterSettings, resolveRegisterSettings } from '../../domain/register/settings.js';
import type { AppContext } from '../context.js';
import { authorize, can, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';

type Text = { en: string; ru: string };

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** A 422 answer listing every invalid entry; nothing was saved. */
export function invalidEntries(errors: { field: string; code: string; message: string }[], detail?: string) {
  return new ProblemError(422, 'invalid_entries', 'Invalid entries', {
    detail: detail ?? `${errors.length} entr${errors.length === 1 ? 'y is' : 'ies are'} invalid; nothing was saved.`,
    errors,
  });
}

/**
 * The university a request is about: staff act in their own; administrators name one. Anyone
 * else has no university in the register (403).
 */
export function universityScope(principal: Principal | null, requested?: string): string {
  if (!principal) throw problems.unauthenticated();
  if (principal.role === 'administrator') {
    if (!requested || !isUuid(requested))
      throw problems.validation([
        { field: 'universityId', code: 'required', message: 'Administrators name the university.' },
      ]);
    return requested;
  }
  if (!principal.universityId || !['officer', 'teacher', 'reviewer'].includes(principal.role))
    throw problems.forbidden();
  if (requested && requested !== principal.universityId) throw problems.notFound('university');
  return principal.universityId;
}

export interface CourseRecord {
  id: string;
  universityId: string;
  termId: string;
  groupId: string;
  parentId: string | null;
  code: string;
  name: Text;
  scale: ScaleId;
  hours: number | null;
  credits: number | null;
  termName: Text;
  termClosedAt: Date | null;
  groupCode: string;
  teacherIds: string[];
}

/** One course with its term, group and teachers (three indexed look-ups). */
export async function loadCourse(db: Db, id: string): Promise<CourseRecord | null> {
  if (!isUuid(id)) return null;
  const [row] = await db
    .select({
      course: courses,
      termName: terms.name,
      termClosedAt: terms.closedAt,
      groupCode: studyGroups.code,
    })
    .from(courses)
    .innerJoin(terms, eq(terms.id, courses.termId))
    .innerJoin(studyGroups, eq(studyGroups.id, courses.groupId))
    .where(eq(courses.id, id));
  if (!row) return null;
  const teachers = await db
    .select({ userId: courseTeachers.userId })
    .from(courseTeachers)
    .where(eq(courseTeachers.courseId, id));
  return {
    ...row.course,
    scale: row.course.scale as ScaleId,
    termName: row.termName,
    termClosedAt: row.termClosedAt,
    groupCode: row.groupCode,
    teacherIds: teachers.map((t) => t.userId),
  };
}

/** The course when the principal teaches it (or manages the register of its university); 404 otherwise. */
export async function courseForTeaching(ctx: AppContext, principal: Principal | null, id: string) {
  if (!principal) throw problems.unauthenticated();
  const course = await loadCourse(ctx.db, id);
  if (!course) throw problems.notFound('course');
  authorize(
    principal,
    'register.teach',
    { universityId: course.universityId, courseTeacherIds: course.teacherIds },
    { hideExistence: true },
  );
  return course;
}

/** The course when the principal manages the register of its university; 404 otherwise. */
export async function courseForManaging(ctx: AppContext, principal: Principal | null, id: string) {
  if (!principal) throw problems.unauthenticated();
  const course = await loadCourse(ctx.db, id);
  if (!course) throw problems.notFound('course');
  authorize(principal, 'register.manage', { universityId: course.universityId }, { hideExistence: true });
  return course;
}

export function canOverride(principal: Principal, universityId: string): boolean {
  return can(principal, 'register.manage', { universityId });
}

export async function settingsOf(db: Db, universityId: string): Promise<RegisterSettings> {
  const [row] = await db
    .select({ settings: registerSettings.settings })
    .from(registerSettings)
    .where(eq(registerSettings.universityId, universityId));
  return resolveRegisterSettings(row?.settings);
}

export interface CourseRef {
  id: string;
  code: string;
  name: Text;
  scale: ScaleId;
  hours: number | null;
  credits: number | null;
  term: { id: string; name: Text; closedAt: string | null };
  group: { id: string; code: string };
  teachers: { id: string; fullName: string }[];
  parentId: string | null;
}

/** CourseRefs of many courses with two queries (courses with term and group, then teachers). */
export async function courseRefs(db: Db, ids: readonly string[]): Promise<CourseRef[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ course: courses, termName: terms.name, termClosedAt: terms.closedAt, groupCode: studyGroups.code })
    .from(courses)
    .innerJoin(terms, eq(terms.id, courses.termId))
    .innerJoin(studyGroups, eq(studyGroups.id, courses.groupId))
    .where(inArray(courses.id, [...ids]))
    .orderBy(asc(terms.startsOn), asc(studyGroups.code), asc(courses.code));
  const teachers = await db
    .select({ courseId: courseTeachers.courseId, id: users.id, fullName: users.fullName })
    .from(courseTeachers)
    .innerJoin(users, eq(users.id, courseTeachers.userId))
    .where(inArray(courseTeachers.courseId, [...ids]))
    .orderBy(asc(users.fullName));
  return rows.map(({ course, termName, termClosedAt, groupCode }) => ({
    id: course.id,
    code: course.code,
    name: course.name,
    scale: course.scale as ScaleId,
    hours: course.hours,
    credits: course.credits,
    term: { id: course.termId, name: termName, closedAt: termClosedAt?.toISOString() ?? null },
    group: { id: course.groupId, code: groupCode },
    teachers: teachers.filter((t) => t.courseId === course.id).map((t) => ({ id: t.id, fullName: t.fullName })),
    parentId: course.parentId,
  }));
}

/** CourseRef of a loaded course (one query for the teachers' names). */
export async function courseRefOf(db: Db, course: CourseRecord): Promise<CourseRef> {
  const teachers = course.teacherIds.length
    ? await db
        .select({ id: users.id, fullName: users.fullName })
        .from(users)
        .where(inArray(users.id, course.teacherIds))
        .orderBy(asc(users.fullName))
    : [];
  return {
    id: course.id,
    code: course.code,
    name: course.name,
    scale: course.scale,
    hours: course.hours,
    credits: course.credits,
    term: { id: course.termId, name: course.termName, closedAt: course.termClosedAt?.toISOString() ?? null },
    group: { id: course.groupId, code: course.groupCode },
    teachers,
    parentId: course.parentId,
  };
}

/**
 * Edits to a closed term: refused with 409 `term_closed` unless someone who manages the register
 * gives a reason, which goes into every audit entry of the change.
 */
export function assertTermOpen(
  principal: Principal,
  course: Pick<CourseRecord, 'termClosedAt' | 'universityId'>,
  override: { reason: string } | undefined,
): string | null {
  if (!course.termClosedAt) return null;
  if (override && canOverride(principal, course.universityId)) return override.reason;
  throw problems.conflict(
    'term_closed',
    override
      ? 'The term is closed; only an officer of the university can override it.'
      : 'The term is closed; an officer can change it with a reason (override).',
  );
}
