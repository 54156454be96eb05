/**
 * Courses (and modules of a course) of a group in a term, their class sessions and graded
 * assessments. Officers create courses and assign teachers; a course's teachers add sessions and
 * assessments. Closed terms refuse changes unless an officer overrides them with a reason.
 */
import { and, asc, count, eq, inArray, max } from 'drizzle-orm';
import { assessments, classSessions, courses, courseTeachers, grades, studyGroups, terms } from '../../db/schema.js';
import type { ScaleId } from '../../domain/register/scales.js';
import type { AppContext } from '../context.js';
import { authorize, can, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import {
  assertTermOpen,
  type CourseRecord,
  courseForManaging,
  courseForTeaching,
  courseRefOf,
  courseRefs,
  invalidEntries,
  isUuid,
  loadCourse,
  universityScope,
} from './register-access.js';
import { assertStaffOf } from './structure.service.js';

type Text = { en: string; ru: string };

export interface CourseInput {
  termId: string;
  groupId: string;
  code: string;
  name: Text;
  scale: ScaleId;
  hours?: number | undefined;
  credits?: number | undefined;
  parentId?: string | undefined;
  teacherIds: string[];
}

export async function createCourse(ctx: AppContext, principal: Principal | null, input: CourseInput, actor: Actor) {
  if (!principal) throw problems.unauthenticated();
  const [term] = isUuid(input.termId) ? await ctx.db.select().from(terms).where(eq(terms.id, input.termId)) : [];
  const [group] = isUuid(input.groupId)
    ? await ctx.db.select().from(studyGroups).where(eq(studyGroups.id, input.groupId))
    : [];
  const universityId = term?.universityId ?? group?.universityId ?? universityScope(principal);
  authorize(principal, 'register.manage', { universityId });
  const errors = [];
  if (!term || term.universityId !== universityId)
    errors.push({ field: 'termId', code: 'unknown_term', message: 'No such term at this university.' });
  if (!group || group.universityId !== universityId)
    errors.push({ field: 'groupId', code: 'unknown_group', message: 'No such group at this university.' });
  if (input.parentId) {
    const parent = await loadCourse(ctx.db, input.parentId);
    if (!parent || parent.groupId !== input.groupId || parent.termId !== input.termId)
      errors.push({
        field: 'parentId',
        code: 'unknown_course',
        message: 'The parent course is not of this group and term.',
      });
  }
  if (errors.length) throw invalidEntries(errors);
  if (term?.closedAt) throw problems.conflict('term_closed', 'The term is closed.');
  await assertStaffOf(ctx, universityId, input.teacherIds, 'teacherIds');
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(courses)
      .values({
        universityId,
        termId: input.termId,
        groupId: input.groupId,
        parentId: input.parentId ?? null,
        code: input.code,
        name: input.name,
        scale: input.scale,
        hours: input.hours ?? null,
        credits: input.credits ?? null,
        createdAt: ctx.clock.now(),
      })
      .returning();
    if (!row) throw new Error('course insert returned nothing');
    const teacherIds = [...new Set(input.teacherIds)];
    if (teacherIds.length)
      await tx.insert(courseTeachers).values(teacherIds.map((userId) => ({ courseId: row.id, userId })));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.course.created',
      subjectType: 'course',
      subjectId: row.id,
      after: { ...input, teacherIds },
    });
    return row.id;
  });
  const [ref] = await courseRefs(ctx.db, [id]);
  return ref as NonNullable<typeof ref>;
}

export interface CoursePatch {
  code?: string | undefined;
  name?: Text | undefined;
  scale?: ScaleId | undefined;
  hours?: number | null | undefined;
  credits?: number | null | undefined;
  teacherIds?: string[] | undefined;
}

export async function updateCourse(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  patch: CoursePatch,
  actor: Actor,
) {
  const course = await courseForManaging(ctx, principal, id);
  if (patch.scale && patch.scale !== course.scale) {
    const [graded] = await ctx.db
      .select({ n: count() })
      .from(grades)
      .innerJoin(assessments, eq(assessments.id, grades.assessmentId))
      .where(eq(assessments.courseId, id));
    if (Number(graded?.n ?? 0) > 0)
      throw problems.conflict('course_has_grades', 'The scale cannot change once grades are recorded.', 'scale');
  }
  if (patch.teacherIds) await assertStaffOf(ctx, course.universityId, patch.teacherIds, 'teacherIds');
  const { teacherIds, ...fields } = patch;
  const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  await ctx.db.transaction(async (tx) => {
    if (Object.keys(changes).length) await tx.update(courses).set(changes).where(eq(courses.id, id));
    if (teacherIds) {
      await tx.delete(courseTeachers).where(eq(courseTeachers.courseId, id));
      const unique = [...new Set(teacherIds)];
      if (unique.length) await tx.insert(courseTeachers).values(unique.map((userId) => ({ courseId: id, userId })));
    }
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.course.updated',
      subjectType: 'course',
      subjectId: id,
      before: {
        code: course.code,
        name: course.name,
        scale: course.scale,
        hours: course.hours,
        credits: course.credits,
        teacherIds: course.teacherIds,
      },
      after: patch,
    });
  });
  return courseRefOf(ctx.db, (await loadCourse(ctx.db, id)) as CourseRecord);
}

/** Courses the signed-in person teaches; officers (and administrators naming one) get the university's. */
export async function listTeaching(
  ctx: AppContext,
  principal: Principal | null,
  filter: { termId?: string | undefined; universityId?: string | undefined },
) {
  if (!principal) throw problems.unauthenticated();
  const termFilter = filter.termId && isUuid(filter.termId) ? eq(courses.termId, filter.termId) : undefined;
  let ids: { id: string }[];
  if (
    principal.role === 'administrator' ||
    (principal.role === 'officer' && can(principal, 'register.manage', { universityId: principal.universityId }))
  ) {
    const universityId = universityScope(principal, filter.universityId);
    ids = await ctx.db
      .select({ id: courses.id })
      .from(courses)
      .where(and(eq(courses.universityId, universityId), termFilter));
  } else {
    ids = await ctx.db
      .select({ id: courses.id })
      .from(courseTeachers)
      .innerJoin(courses, eq(courses.id, courseTeachers.courseId))
      .where(and(eq(courseTeachers.userId, principal.id), termFilter));
  }
  return {
    items: await courseRefs(
      ctx.db,
      ids.map((c) => c.id),
    ),
  };
}

// ---------- Sessions ----------

export type SessionsInput =
  | { sessions: { startsAt: string; kind?: string | undefined; topic?: string | undefined }[] }
  | {
      weekly: {
        from: string;
        to: string;
        weekdays: number[];
        time: string;
        kind?: string | undefined;
        timeZone?: string | undefined;
      };
    };

/** Minutes east of UTC of a time zone at an instant (Intl, no extra dependency). */
function offsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - at.getTime()) / 60_000);
}

/** Dates from `from` to `to` (inclusive) on the given ISO weekdays (1 = Monday) at a local time. */
export function weeklyDates(input: {
  from: string;
  to: string;
  weekdays: number[];
  time: string;
  timeZone?: string | undefined;
}): Date[] {
  const [h, m] = input.time.split(':').map(Number);
  const zone = input.timeZone ?? 'UTC';
  const days = new Set(input.weekdays);
  const out: Date[] = [];
  const end = Date.parse(`${input.to}T00:00:00Z`);
  for (let day = Date.parse(`${input.from}T00:00:00Z`); day <= end; day += 86_400_000) {
    const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
    if (!days.has(weekday)) continue;
    const naive = day + ((h ?? 0) * 60 + (m ?? 0)) * 60_000;
    out.push(new Date(naive - offsetMinutes(zone, new Date(naive)) * 60_000));
  }
  return out;
}

export async function addSessions(
  ctx: AppContext,
  principal: Principal | null,
  courseId: string,
  input: SessionsInput,
  actor: Actor,
) {
  const course = await courseForTeaching(ctx, principal, courseId);
  const reason = assertTermOpen(principal as Principal, course, undefined);
  let rows: { startsAt: Date; kind: string; topic: string | null }[];
  if ('sessions' in input) {
    rows = input.sessions.map((s) => ({
      startsAt: new Date(s.startsAt),
      kind: s.kind ?? 'practical',
      topic: s.topic ?? null,
    }));
  } else {
    const w = input.weekly;
    if (w.to < w.from)
      throw invalidEntries([
        { field: 'weekly.to', code: 'before_start', message: 'The last day is before the first.' },
      ]);
    if (w.timeZone) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: w.timeZone });
      } catch {
        throw invalidEntries([{ field: 'weekly.timeZone', code: 'unknown_time_zone', message: 'Unknown time zone.' }]);
      }
    }
    rows = weeklyDates(w).map((startsAt) => ({ startsAt, kind: w.kind ?? 'practical', topic: null }));
    if (rows.length > 400)
      throw invalidEntries([{ field: 'weekly', code: 'too_many_sessions', message: 'At most 400 sessions at once.' }]);
  }
  if (rows.length === 0) return { created: 0 };
  await ctx.db.transaction(async (tx) => {
    await tx.insert(classSessions).values(rows.map((r) => ({ courseId, ...r })));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.sessions.created',
      subjectType: 'course',
      subjectId: courseId,
      after: { count: rows.length, first: rows[0]?.startsAt, last: rows.at(-1)?.startsAt },
      reason,
    });
  });
  return { created: rows.length };
}

export async function listSessions(ctx: AppContext, courseId: string) {
  return ctx.db
    .select({
      id: classSessions.id,
      startsAt: classSessions.startsAt,
      kind: classSessions.kind,
      topic: classSessions.topic,
    })
    .from(classSessions)
    .where(eq(classSessions.courseId, courseId))
    .orderBy(asc(classSessions.startsAt), asc(classSessions.id));
}

// ---------- Assessments ----------

type AssessmentRow = typeof assessments.$inferSelect;

export function presentAssessment(a: AssessmentRow) {
  return {
    id: a.id,
    title: a.title,
    kind: a.kind as 'current' | 'exam' | 'final',
    weight: Number(a.weight),
    heldOn: a.heldOn,
  };
}

export interface AssessmentInput {
  title: string;
  kind: 'current' | 'exam' | 'final';
  weight: number;
  heldOn?: string | null | undefined;
}

export async function createAssessment(
  ctx: AppContext,
  principal: Principal | null,
  courseId: string,
  input: AssessmentInput & { override?: { reason: string } | undefined },
  actor: Actor,
) {
  const course = await courseForTeaching(ctx, principal, courseId);
  const reason = assertTermOpen(principal as Principal, course, input.override);
  return ctx.db.transaction(async (tx) => {
    const [last] = await tx
      .select({ position: max(assessments.position) })
      .from(assessments)
      .where(eq(assessments.courseId, courseId));
    const [row] = await tx
      .insert(assessments)
      .values({
        courseId,
        title: input.title,
        kind: input.kind,
        weight: input.weight,
        heldOn: input.heldOn ?? null,
        position: Number(last?.position ?? 0) + 1,
      })
      .returning();
    if (!row) throw new Error('assessment insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.assessment.created',
      subjectType: 'course',
      subjectId: courseId,
      after: presentAssessment(row),
      reason,
    });
    return presentAssessment(row);
  });
}

async function assessmentForTeaching(ctx: AppContext, principal: Principal | null, id: string) {
  if (!principal) throw problems.unauthenticated();
  const [row] = isUuid(id) ? await ctx.db.select().from(assessments).where(eq(assessments.id, id)) : [];
  if (!row) throw problems.notFound('assessment');
  const course = await courseForTeaching(ctx, principal, row.courseId).catch(() => {
    throw problems.notFound('assessment');
  });
  return { row, course };
}

export async function updateAssessment(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  patch: Partial<AssessmentInput> & { override?: { reason: string } | undefined },
  actor: Actor,
) {
  const { row, course } = await assessmentForTeaching(ctx, principal, id);
  const reason = assertTermOpen(principal as Principal, course, patch.override);
  const { override: _, ...fields } = patch;
  const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  return ctx.db.transaction(async (tx) => {
    const [updated] = Object.keys(changes).length
      ? await tx.update(assessments).set(changes).where(eq(assessments.id, id)).returning()
      : [row];
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.assessment.updated',
      subjectType: 'course',
      subjectId: course.id,
      before: presentAssessment(row),
      after: presentAssessment(updated ?? row),
      reason,
    });
    return presentAssessment(updated ?? row);
  });
}

/** Deletes an assessment that has no grades (409 `assessment_has_grades` otherwise). */
export async function deleteAssessment(ctx: AppContext, principal: Principal | null, id: string, actor: Actor) {
  const { row, course } = await assessmentForTeaching(ctx, principal, id);
  assertTermOpen(principal as Principal, course, undefined);
  await ctx.db.transaction(async (tx) => {
    const [graded] = await tx.select({ n: count() }).from(grades).where(eq(grades.assessmentId, id));
    if (Number(graded?.n ?? 0) > 0)
      throw problems.conflict('assessment_has_grades', 'Remove its grades before deleting an assessment.');
    await tx.delete(assessments).where(eq(assessments.id, id));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.assessment.deleted',
      subjectType: 'course',
      subjectId: course.id,
      before: presentAssessment(row),
    });
  });
}

export async function listAssessments(ctx: AppContext, courseIds: string[]) {
  if (courseIds.length === 0) return [];
  return ctx.db
    .select()
    .from(assessments)
    .where(inArray(assessments.courseId, courseIds))
    .orderBy(asc(assessments.position), asc(assessments.id));
}
