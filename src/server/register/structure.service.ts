/**
 * The register's academic structure: terms (closed terms refuse edits without an officer's
 * override), study groups with their members and staff. Officers of the university manage it;
 * every change is audited in its transaction.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  courses,
  courseTeachers,
  groupMembers,
  groupStaff,
  programs,
  students,
  studyGroups,
  terms,
  users,
} from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { authorize, can, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { courseRefs, invalidEntries, isUuid, universityScope } from './register-access.js';

type Text = { en: string; ru: string };
type TermRow = typeof terms.$inferSelect;

export function presentTerm(t: TermRow) {
  return {
    id: t.id,
    academicYear: t.academicYear,
    name: t.name,
    startsOn: t.startsOn,
    endsOn: t.endsOn,
    closedAt: t.closedAt?.toISOString() ?? null,
  };
}

export async function listTerms(ctx: AppContext, principal: Principal | null, universityId?: string) {
  const university = universityScope(principal, universityId);
  const rows = await ctx.db
    .select()
    .from(terms)
    .where(eq(terms.universityId, university))
    .orderBy(asc(terms.startsOn), asc(terms.createdAt));
  return { items: rows.map(presentTerm) };
}

export interface TermInput {
  academicYear: string;
  name: Text;
  startsOn: string;
  endsOn: string;
  universityId?: string | undefined;
}

export async function createTerm(ctx: AppContext, principal: Principal | null, input: TermInput, actor: Actor) {
  const universityId = universityScope(principal, input.universityId);
  authorize(principal, 'register.manage', { universityId });
  if (input.endsOn < input.startsOn)
    throw invalidEntries([{ field: 'endsOn', code: 'before_start', message: 'The term ends before it starts.' }]);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(terms)
      .values({
        universityId,
        academicYear: input.academicYear,
        name: input.name,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        createdAt: ctx.clock.now(),
      })
      .returning();
    if (!row) throw new Error('term insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.term.created',
      subjectType: 'term',
      subjectId: row.id,
      after: presentTerm(row),
    });
    return presentTerm(row);
  });
}

async function ownTerm(ctx: AppContext, principal: Principal | null, id: string): Promise<TermRow> {
  if (!principal) throw problems.unauthenticated();
  const [term] = isUuid(id) ? await ctx.db.select().from(terms).where(eq(terms.id, id)) : [];
  if (!term) throw problems.notFound('term');
  authorize(principal, 'register.manage', { universityId: term.universityId }, { hideExistence: true });
  return term;
}

/** Closes (reason optional) or reopens (reason required by the route) a term; audited. */
export async function setTermClosed(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  closed: boolean,
  reason: string | null,
  actor: Actor,
) {
  const term = await ownTerm(ctx, principal, id);
  if (closed === (term.closedAt !== null)) return presentTerm(term);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(terms)
      .set(closed ? { closedAt: ctx.clock.now(), closedBy: actor.userId } : { closedAt: null, closedBy: null })
      .where(eq(terms.id, id))
      .returning();
    if (!row) throw problems.notFound('term');
    await recordAudit(tx, ctx.clock, actor, {
      action: closed ? 'register.term.closed' : 'register.term.reopened',
      subjectType: 'term',
      subjectId: id,
      before: { closedAt: term.closedAt?.toISOString() ?? null },
      after: { closedAt: row.closedAt?.toISOString() ?? null },
      reason,
    });
    return presentTerm(row);
  });
}

// ---------- Groups ----------

type GroupRow = typeof studyGroups.$inferSelect;

async function programRefs(ctx: AppContext, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  const rows = wanted.length
    ? await ctx.db
        .select({ id: programs.id, slug: programs.slug, en: programs.titleEn, ru: programs.titleRu })
        .from(programs)
        .where(inArray(programs.id, wanted))
    : [];
  return new Map(rows.map((p) => [p.id, { id: p.id, slug: p.slug, name: { en: p.en, ru: p.ru } }]));
}

/** Groups of the university (officers); the groups a teacher curates or teaches otherwise. */
export async function listGroups(ctx: AppContext, principal: Principal | null, universityId?: string) {
  const university = universityScope(principal, universityId);
  const p = principal as Principal;
  const manages = can(p, 'register.manage', { universityId: university });
  const mine = manages
    ? undefined
    : sql`(${studyGroups.id} in (select ${groupStaff.groupId} from ${groupStaff} where ${groupStaff.userId} = ${p.id})
        or ${studyGroups.id} in (select ${courses.groupId} from ${courses} join ${courseTeachers} on ${courseTeachers.courseId} = ${courses.id} where ${courseTeachers.userId} = ${p.id}))`;
  const rows = await ctx.db
    .select({
      group: studyGroups,
      studentCount: sql<number>`(select count(*)::int from ${groupMembers} where ${groupMembers.groupId} = ${studyGroups.id} and ${groupMembers.leftAt} is null)`,
    })
    .from(studyGroups)
    .where(and(eq(studyGroups.universityId, university), mine))
    .orderBy(asc(studyGroups.academicYear), asc(studyGroups.code));
  const programMap = await programRefs(
    ctx,
    rows.map((r) => r.group.programId),
  );
  return {
    items: rows.map(({ group, studentCount }) => ({
      id: group.id,
      code: group.code,
      faculty: group.faculty,
      academicYear: group.academicYear,
      program: group.programId ? (programMap.get(group.programId) ?? null) : null,
      studentCount: Number(studentCount),
    })),
  };
}

export interface GroupInput {
  code: string;
  faculty: Text;
  academicYear: string;
  programId?: string | undefined;
  universityId?: string | undefined;
}

async function assertProgramOf(ctx: AppContext, universityId: string, programId: string | undefined, field: string) {
  if (!programId) return;
  const [program] = isUuid(programId)
    ? await ctx.db
        .select({ id: programs.id })
        .from(programs)
        .where(and(eq(programs.id, programId), eq(programs.universityId, universityId)))
    : [];
  if (!program)
    throw invalidEntries([{ field, code: 'unknown_program', message: 'No such program at this university.' }]);
}

export async function createGroup(ctx: AppContext, principal: Principal | null, input: GroupInput, actor: Actor) {
  const universityId = universityScope(principal, input.universityId);
  authorize(principal, 'register.manage', { universityId });
  await assertProgramOf(ctx, universityId, input.programId, 'programId');
  const row = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(studyGroups)
      .values({
        universityId,
        programId: input.programId ?? null,
        code: input.code,
        faculty: input.faculty,
        academicYear: input.academicYear,
        createdAt: ctx.clock.now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!created)
      throw problems.conflict('group_code_taken', 'A group with this code exists in this academic year.', 'code');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.group.created',
      subjectType: 'group',
      subjectId: created.id,
      after: { code: created.code, faculty: created.faculty, academicYear: created.academicYear },
    });
    return created;
  });
  return getGroup(ctx, principal, row.id);
}

/** The group when the principal manages the register, curates the group or teaches one of its courses. */
export async function groupForReading(ctx: AppContext, principal: Principal | null, id: string): Promise<GroupRow> {
  if (!principal) throw problems.unauthenticated();
  const [group] = isUuid(id) ? await ctx.db.select().from(studyGroups).where(eq(studyGroups.id, id)) : [];
  if (!group) throw problems.notFound('group');
  if (can(principal, 'register.manage', { universityId: group.universityId })) return group;
  const staff = await ctx.db.select({ userId: groupStaff.userId }).from(groupStaff).where(eq(groupStaff.groupId, id));
  const teachers = await ctx.db
    .select({ userId: courseTeachers.userId })
    .from(courseTeachers)
    .innerJoin(courses, eq(courses.id, courseTeachers.courseId))
    .where(and(eq(courses.groupId, id), eq(courseTeachers.userId, principal.id)));
  const subject = {
    universityId: group.universityId,
    groupStaffIds: staff.map((s) => s.userId),
    courseTeacherIds: teachers.map((t) => t.userId),
  };
  if (can(principal, 'register.dashboard', subject) || can(principal, 'register.teach', subject)) return group;
  throw problems.notFound('group');
}

export async function groupStudents(ctx: AppContext, groupId: string) {
  return ctx.db
    .select({
      id: students.id,
      number: students.number,
      nameLatin: students.nameLatin,
      nameCyrillic: students.nameCyrillic,
      status: students.status,
    })
    .from(groupMembers)
    .innerJoin(students, eq(students.id, groupMembers.studentId))
    .where(and(eq(groupMembers.groupId, groupId), isNull(groupMembers.leftAt)))
    .orderBy(asc(students.nameLatin), asc(students.number));
}

export async function getGroup(ctx: AppContext, principal: Principal | null, id: string) {
  const group = await groupForReading(ctx, principal, id);
  const [members, staff, courseIds, programMap] = await Promise.all([
    groupStudents(ctx, id),
    ctx.db
      .select({ userId: groupStaff.userId, fullName: users.fullName, role: groupStaff.role })
      .from(groupStaff)
      .innerJoin(users, eq(users.id, groupStaff.userId))
      .where(eq(groupStaff.groupId, id))
      .orderBy(asc(users.fullName)),
    ctx.db.select({ id: courses.id }).from(courses).where(eq(courses.groupId, id)),
    programRefs(ctx, [group.programId]),
  ]);
  return {
    id: group.id,
    code: group.code,
    faculty: group.faculty,
    academicYear: group.academicYear,
    program: group.programId ? (programMap.get(group.programId) ?? null) : null,
    students: members,
    staff: staff.map((s) => ({ ...s, role: s.role === 'teacher' ? ('teacher' as const) : ('curator' as const) })),
    courses: await courseRefs(
      ctx.db,
      courseIds.map((c) => c.id),
    ),
  };
}

async function groupForManaging(ctx: AppContext, principal: Principal | null, id: string): Promise<GroupRow> {
  if (!principal) throw problems.unauthenticated();
  const [group] = isUuid(id) ? await ctx.db.select().from(studyGroups).where(eq(studyGroups.id, id)) : [];
  if (!group) throw problems.notFound('group');
  authorize(principal, 'register.manage', { universityId: group.universityId }, { hideExistence: true });
  return group;
}

/**
 * Sets the members of a group: new ones join, missing ones leave (left_at; their marks stay),
 * returning ones join again. Students must belong to the group's university.
 */
export async function setGroupMembers(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  studentIds: string[],
  actor: Actor,
) {
  const group = await groupForManaging(ctx, principal, id);
  const wanted = [...new Set(studentIds)];
  const known = wanted.length
    ? await ctx.db
        .select({ id: students.id })
        .from(students)
        .where(and(inArray(students.id, wanted.filter(isUuid)), eq(students.universityId, group.universityId)))
    : [];
  const knownIds = new Set(known.map((s) => s.id));
  const errors = studentIds
    .map((sid, i) => ({ sid, i }))
    .filter(({ sid }) => !knownIds.has(sid))
    .map(({ i }) => ({ field: `studentIds[${i}]`, code: 'unknown_student', message: 'No such student here.' }));
  if (errors.length) throw invalidEntries(errors);
  await ctx.db.transaction(async (tx) => {
    const current = await tx
      .select({ studentId: groupMembers.studentId, leftAt: groupMembers.leftAt })
      .from(groupMembers)
      .where(eq(groupMembers.groupId, id));
    const active = new Set(current.filter((m) => !m.leftAt).map((m) => m.studentId));
    const joining = wanted.filter((sid) => !active.has(sid));
    const leaving = [...active].filter((sid) => !knownIds.has(sid));
    const now = ctx.clock.now();
    if (joining.length)
      await tx
        .insert(groupMembers)
        .values(joining.map((studentId) => ({ groupId: id, studentId, joinedAt: now })))
        .onConflictDoUpdate({
          target: [groupMembers.groupId, groupMembers.studentId],
          set: { joinedAt: now, leftAt: null },
        });
    if (leaving.length)
      await tx
        .update(groupMembers)
        .set({ leftAt: now })
        .where(and(eq(groupMembers.groupId, id), inArray(groupMembers.studentId, leaving)));
    if (joining.length || leaving.length)
      await recordAudit(tx, ctx.clock, actor, {
        action: 'register.group.members_set',
        subjectType: 'group',
        subjectId: id,
        before: { members: [...active] },
        after: { joined: joining, left: leaving },
      });
  });
  return getGroup(ctx, principal, id);
}

/** Sets the staff of a group (curators, teachers): people of the university with role teacher or officer. */
export async function setGroupStaff(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  staff: { userId: string; role: 'curator' | 'teacher' }[],
  actor: Actor,
) {
  const group = await groupForManaging(ctx, principal, id);
  await assertStaffOf(
    ctx,
    group.universityId,
    staff.map((s) => s.userId),
    'staff',
    '.userId',
  );
  await ctx.db.transaction(async (tx) => {
    const before = await tx
      .select({ userId: groupStaff.userId, role: groupStaff.role })
      .from(groupStaff)
      .where(eq(groupStaff.groupId, id));
    await tx.delete(groupStaff).where(eq(groupStaff.groupId, id));
    const unique = [...new Map(staff.map((s) => [s.userId, s])).values()];
    if (unique.length) await tx.insert(groupStaff).values(unique.map((s) => ({ groupId: id, ...s })));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.group.staff_set',
      subjectType: 'group',
      subjectId: id,
      before: { staff: before },
      after: { staff: unique },
    });
  });
  return getGroup(ctx, principal, id);
}

/** Every id names a teacher or officer of the university (422 naming the entry otherwise). */
export async function assertStaffOf(
  ctx: AppContext,
  universityId: string,
  userIds: string[],
  field: string,
  suffix = '',
): Promise<void> {
  const valid = userIds.filter(isUuid);
  const found = valid.length
    ? await ctx.db
        .select({ id: users.id })
        .from(users)
        .where(
          and(
            inArray(users.id, valid),
            eq(users.universityId, universityId),
            inArray(users.role, ['teacher', 'officer']),
          ),
        )
    : [];
  const ok = new Set(found.map((u) => u.id));
  const errors = userIds
    .map((uid, i) => ({ uid, i }))
    .filter(({ uid }) => !ok.has(uid))
    .map(({ i }) => ({
      field: `${field}[${i}]${suffix}`,
      code: 'unknown_teacher',
      message: 'Not a teacher or officer of this university.',
    }));
  if (errors.length) throw invalidEntries(errors);
}

/**
 * The university's teaching staff (teachers and officers, active accounts) for assigning courses and
 * groups: register managers only; names, e-mails and roles, nothing else.
 */
export async function listStaff(ctx: AppContext, principal: Principal | null, universityId?: string) {
  const university = universityScope(principal, universityId);
  authorize(principal, 'register.manage', { universityId: university });
  const rows = await ctx.db
    .select({ id: users.id, fullName: users.fullName, email: users.email, role: users.role })
    .from(users)
    .where(
      and(eq(users.universityId, university), inArray(users.role, ['teacher', 'officer']), isNull(users.disabledAt)),
    )
    .orderBy(asc(users.fullName));
  return { items: rows };
}
