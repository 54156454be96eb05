/**
 * Clinical rotations of residents: clinical base, department, supervisor, dates and result.
 * Officers create them; the supervisor (or an officer) records the result. Audited.
 */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { rotations, students, users } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { authorize, can, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { invalidEntries, isUuid, universityScope } from './register-access.js';
import { assertStaffOf } from './structure.service.js';

type RotationRow = typeof rotations.$inferSelect;

export interface RotationView {
  id: string;
  student: { id: string; number: string; nameLatin: string };
  termId: string | null;
  clinicalBase: string;
  department: string | null;
  supervisor: { id: string; fullName: string } | null;
  startsOn: string;
  endsOn: string;
  result: 'pass' | 'fail' | null;
}

async function present(ctx: AppContext, where: SQL | undefined): Promise<RotationView[]> {
  const rows = await ctx.db
    .select({
      rotation: rotations,
      number: students.number,
      nameLatin: students.nameLatin,
      supervisorName: users.fullName,
    })
    .from(rotations)
    .innerJoin(students, eq(students.id, rotations.studentId))
    .leftJoin(users, eq(users.id, rotations.supervisorId))
    .where(where)
    .orderBy(asc(rotations.startsOn), asc(students.nameLatin))
    .limit(1000);
  return rows.map(({ rotation: r, number, nameLatin, supervisorName }) => ({
    id: r.id,
    student: { id: r.studentId, number, nameLatin },
    termId: r.termId,
    clinicalBase: r.clinicalBase,
    department: r.department,
    supervisor: r.supervisorId ? { id: r.supervisorId, fullName: supervisorName ?? '' } : null,
    startsOn: r.startsOn,
    endsOn: r.endsOn,
    result: (r.result as 'pass' | 'fail' | null) ?? null,
  }));
}

export interface RotationInput {
  studentId: string;
  termId?: string | undefined;
  clinicalBase: string;
  department?: string | undefined;
  supervisorId?: string | undefined;
  startsOn: string;
  endsOn: string;
}

export async function createRotation(ctx: AppContext, principal: Principal | null, input: RotationInput, actor: Actor) {
  if (!principal) throw problems.unauthenticated();
  const [student] = isUuid(input.studentId)
    ? await ctx.db.select().from(students).where(eq(students.id, input.studentId))
    : [];
  if (!student) throw invalidEntries([{ field: 'studentId', code: 'unknown_student', message: 'No such student.' }]);
  authorize(principal, 'register.manage', { universityId: student.universityId });
  if (input.endsOn < input.startsOn)
    throw invalidEntries([{ field: 'endsOn', code: 'before_start', message: 'The rotation ends before it starts.' }]);
  if (input.supervisorId) await assertStaffOf(ctx, student.universityId, [input.supervisorId], 'supervisorId');
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(rotations)
      .values({
        studentId: input.studentId,
        termId: input.termId && isUuid(input.termId) ? input.termId : null,
        clinicalBase: input.clinicalBase,
        department: input.department ?? null,
        supervisorId: input.supervisorId ?? null,
        startsOn: input.startsOn,
        endsOn: input.endsOn,
        createdAt: ctx.clock.now(),
      })
      .returning();
    if (!row) throw new Error('rotation insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.rotation.created',
      subjectType: 'student',
      subjectId: input.studentId,
      after: { rotationId: row.id, ...input },
    });
    return row.id;
  });
  return (await present(ctx, eq(rotations.id, id)))[0] as RotationView;
}

/** The supervisor or an officer of the student's university records the result (audited). */
export async function setRotationResult(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  result: 'pass' | 'fail' | null,
  actor: Actor,
) {
  if (!principal) throw problems.unauthenticated();
  const [found] = isUuid(id)
    ? await ctx.db
        .select({ rotation: rotations, universityId: students.universityId })
        .from(rotations)
        .innerJoin(students, eq(students.id, rotations.studentId))
        .where(eq(rotations.id, id))
    : [];
  if (!found) throw problems.notFound('rotation');
  const r: RotationRow = found.rotation;
  const supervisor = r.supervisorId === principal.id;
  if (!supervisor && !can(principal, 'register.manage', { universityId: found.universityId }))
    throw problems.notFound('rotation');
  if ((r.result ?? null) !== result)
    await ctx.db.transaction(async (tx) => {
      await tx.update(rotations).set({ result }).where(eq(rotations.id, id));
      await recordAudit(tx, ctx.clock, actor, {
        action: 'register.rotation.result',
        subjectType: 'student',
        subjectId: r.studentId,
        before: { rotationId: id, result: r.result },
        after: { rotationId: id, result },
      });
    });
  return (await present(ctx, eq(rotations.id, id)))[0] as RotationView;
}

/** `supervisor=me`: the rotations I supervise; otherwise the university's (officers). */
export async function listRotations(
  ctx: AppContext,
  principal: Principal | null,
  filter: { supervisor?: string | undefined; studentId?: string | undefined; universityId?: string | undefined },
) {
  if (!principal) throw problems.unauthenticated();
  if (filter.supervisor === 'me') return { items: await present(ctx, eq(rotations.supervisorId, principal.id)) };
  const universityId = universityScope(principal, filter.universityId);
  authorize(principal, 'register.manage', { universityId });
  return {
    items: await present(
      ctx,
      and(
        eq(students.universityId, universityId),
        filter.studentId && isUuid(filter.studentId) ? eq(rotations.studentId, filter.studentId) : undefined,
      ),
    ),
  };
}
