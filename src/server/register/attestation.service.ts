/**
 * Final results: the state attestation with the specialist qualification it awards (S2-6, S0-9) and
 * the completion of the preparatory faculty (S1-2). A passed state attestation makes the student a
 * graduate, a passed preparatory completion "completed"; a failed one changes no status. Audited.
 */
import { eq } from 'drizzle-orm';
import { attestations, students } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { invalidEntries, isUuid } from './register-access.js';
import { type AttestationView, presentAttestation } from './student-view.service.js';

export interface AttestationInput {
  kind: 'state_attestation' | 'preparatory_completion';
  heldOn: string;
  result: 'passed' | 'failed';
  grade?: number | null | undefined;
  qualification?: { en: string; ru: string } | null | undefined;
  protocolNumber?: string | null | undefined;
}

/** The status a passed result gives the student. */
const STATUS_AFTER_PASS: Record<AttestationInput['kind'], string> = {
  state_attestation: 'graduated',
  preparatory_completion: 'completed',
};

export async function recordAttestation(
  ctx: AppContext,
  principal: Principal | null,
  studentId: string,
  input: AttestationInput,
  actor: Actor,
): Promise<AttestationView> {
  if (!principal) throw problems.unauthenticated();
  const [student] = isUuid(studentId) ? await ctx.db.select().from(students).where(eq(students.id, studentId)) : [];
  if (!student) throw problems.notFound('student');
  authorize(principal, 'register.manage', { universityId: student.universityId }, { hideExistence: true });

  const errors: { field: string; code: string; message: string }[] = [];
  const qualification =
    input.qualification && (input.qualification.en.trim() || input.qualification.ru.trim())
      ? { en: input.qualification.en.trim(), ru: input.qualification.ru.trim() }
      : null;
  if (input.kind === 'state_attestation' && input.result === 'passed') {
    if (!qualification?.en)
      errors.push({ field: 'body.qualification.en', code: 'required', message: 'Name the qualification awarded.' });
    if (!qualification?.ru)
      errors.push({ field: 'body.qualification.ru', code: 'required', message: 'Name the qualification in Russian.' });
  }
  if (input.heldOn > ctx.clock.now().toISOString().slice(0, 10))
    errors.push({ field: 'body.heldOn', code: 'in_future', message: 'The date is in the future.' });
  if (errors.length) throw invalidEntries(errors, 'The attestation has invalid fields; nothing was saved.');

  const now = ctx.clock.now();
  const nextStatus = input.result === 'passed' ? STATUS_AFTER_PASS[input.kind] : student.status;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(attestations)
      .values({
        studentId: student.id,
        kind: input.kind,
        heldOn: input.heldOn,
        result: input.result,
        grade: input.grade ?? null,
        qualification,
        protocolNumber: input.protocolNumber?.trim() || null,
        recordedBy: principal.id,
        recordedAt: now,
      })
      .returning();
    if (!row) throw new Error('attestation not saved');
    if (nextStatus !== student.status)
      await tx.update(students).set({ status: nextStatus }).where(eq(students.id, student.id));
    const view = presentAttestation(row);
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.attestation.recorded',
      subjectType: 'student',
      subjectId: student.id,
      before: { status: student.status },
      after: { attestation: view, status: nextStatus },
    });
    return view;
  });
}
