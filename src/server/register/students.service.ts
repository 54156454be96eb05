/**
 * Students of a university: created by an officer (a new account with role student and an e-mailed
 * link to choose a password, or an existing student account attached), from the enrolled admissions
 * of a campaign (idempotent: the applicant's account becomes a student's), or imported from CSV/XLSX
 * all or nothing.
 */
import { and, asc, eq, ilike, inArray, isNull, or, sql } from 'drizzle-orm';
import {
  admissions,
  applications,
  campaigns,
  competitions,
  emailTokens,
  groupMembers,
  programs,
  students,
  studyGroups,
  universities,
  users,
} from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit, recordAuditMany } from '../services/audit.service.js';
import { normalizeEmail } from '../services/auth.service.js';
import { newSecret, sha256 } from '../services/tokens.js';
import { invalidEntries, isUuid, universityScope } from './register-access.js';
import { renderStudentWelcomeMail } from './register-mail.js';

/** Accounts made by the register have no password until the student chooses one by the e-mailed link. */
const NO_PASSWORD = '!register:no-password';
const SET_PASSWORD_DAYS = 7;

type Tx = AppContext['db'];

export async function listStudents(
  ctx: AppContext,
  principal: Principal | null,
  filter: { q?: string | undefined; groupId?: string | undefined; universityId?: string | undefined },
) {
  const universityId = universityScope(principal, filter.universityId);
  authorize(principal, 'register.manage', { universityId });
  const q = filter.q?.trim();
  const conditions = [
    eq(students.universityId, universityId),
    q
      ? or(
          ilike(students.nameLatin, `%${q.replace(/[%_\\]/g, '\\$&')}%`),
          ilike(students.nameCyrillic, `%${q.replace(/[%_\\]/g, '\\$&')}%`),
          eq(students.number, q),
        )
      : undefined,
    filter.groupId
      ? isUuid(filter.groupId)
        ? sql`${students.id} in (select ${groupMembers.studentId} from ${groupMembers} where ${groupMembers.groupId} = ${filter.groupId} and ${groupMembers.leftAt} is null)`
        : sql`false`
      : undefined,
  ];
  const rows = await ctx.db
    .select({
      id: students.id,
      number: students.number,
      nameLatin: students.nameLatin,
      nameCyrillic: students.nameCyrillic,
      status: students.status,
    })
    .from(students)
    .where(and(...conditions))
    .orderBy(asc(students.nameLatin), asc(students.number))
    .limit(500);
  const memberships = rows.length
    ? await ctx.db
        .select({ studentId: groupMembers.studentId, id: studyGroups.id, code: studyGroups.code })
        .from(groupMembers)
        .innerJoin(studyGroups, eq(studyGroups.id, groupMembers.groupId))
        .where(
          and(
            inArray(
              groupMembers.studentId,
              rows.map((r) => r.id),
            ),
            isNull(groupMembers.leftAt),
          ),
        )
        .orderBy(asc(studyGroups.code))
    : [];
  return {
    items: rows.map((r) => ({
      ...r,
      groups: memberships.filter((m) => m.studentId === r.id).map((m) => ({ id: m.id, code: m.code })),
    })),
  };
}

export interface StudentInput {
  email: string;
  nameLatin: string;
  nameCyrillic?: string | null | undefined;
  number: string;
  programId?: string | undefined;
  groupId?: string | undefined;
  locale?: 'en' | 'ru' | undefined;
}

interface PendingMail {
  userId: string;
  email: string;
  name: string;
  locale: 'en' | 'ru';
}

/**
 * Writes one student inside a transaction: the account (new, or an existing student account),
 * the student row, the group membership and the audit entry. Returns the mail to send after the
 * commit when an account was created. Conflicts throw with the given field names.
 */
async function insertStudent(
  tx: Tx,
  ctx: AppContext,
  universityId: string,
  input: StudentInput,
  actor: Actor,
  fields: { email: string; number: string },
): Promise<{ id: string; mail: PendingMail | null }> {
  const email = normalizeEmail(input.email);
  const [existing] = await tx.select().from(users).where(sql`lower(${users.email}) = ${email}`);
  let userId: string;
  let mail: PendingMail | null = null;
  if (existing) {
    if (existing.role !== 'student')
      throw problems.conflict('email_taken', 'This e-mail belongs to an account that is not a student.', fields.email);
    userId = existing.id;
  } else {
    const [created] = await tx
      .insert(users)
      .values({
        email,
        passwordHash: NO_PASSWORD,
        fullName: input.nameLatin,
        role: 'student',
        locale: input.locale ?? 'en',
      })
      .returning({ id: users.id });
    if (!created) throw new Error('user insert returned nothing');
    userId = created.id;
    mail = { userId, email, name: input.nameLatin, locale: input.locale ?? 'en' };
  }
  const [row] = await tx
    .insert(students)
    .values({
      userId,
      universityId,
      programId: input.programId ?? null,
      number: input.number,
      nameLatin: input.nameLatin,
      nameCyrillic: input.nameCyrillic ?? null,
      createdAt: ctx.clock.now(),
    })
    .onConflictDoNothing()
    .returning({ id: students.id });
  if (!row) {
    const [sameUser] = await tx
      .select({ id: students.id })
      .from(students)
      .where(and(eq(students.userId, userId), eq(students.universityId, universityId)));
    throw sameUser
      ? problems.conflict('already_student', 'This person is already a student of this university.', fields.email)
      : problems.conflict('student_number_taken', 'Another student of this university has this number.', fields.number);
  }
  if (input.groupId)
    await tx
      .insert(groupMembers)
      .values({ groupId: input.groupId, studentId: row.id, joinedAt: ctx.clock.now() })
      .onConflictDoNothing();
  await recordAudit(tx, ctx.clock, actor, {
    action: 'register.student.created',
    subjectType: 'student',
    subjectId: row.id,
    after: { email, number: input.number, nameLatin: input.nameLatin, groupId: input.groupId ?? null },
  });
  return { id: row.id, mail };
}

/** The set-password e-mails of new accounts, after the commit (a failed send never undoes the student). */
async function sendWelcomeMails(ctx: AppContext, universityId: string, mails: PendingMail[]): Promise<void> {
  if (mails.length === 0) return;
  const [university] = await ctx.db
    .select({ en: universities.nameEn, ru: universities.nameRu })
    .from(universities)
    .where(eq(universities.id, universityId));
  const now = ctx.clock.now();
  for (const m of mails) {
    const token = newSecret();
    await ctx.db.insert(emailTokens).values({
      userId: m.userId,
      purpose: 'reset_password',
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + SET_PASSWORD_DAYS * 86_400_000),
      createdAt: now,
    });
    const link = `${ctx.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    try {
      await ctx.mailer.send(
        renderStudentWelcomeMail(m.locale, m.email, m.name, university ?? { en: '', ru: '' }, link, SET_PASSWORD_DAYS),
      );
    } catch (error) {
      ctx.log?.error({ err: error }, 'could not send the set-password e-mail');
    }
  }
}

async function assertGroupAndProgram(
  ctx: AppContext,
  universityId: string,
  input: { groupId?: string | undefined; programId?: string | undefined },
) {
  const errors = [];
  if (input.groupId) {
    const [group] = isUuid(input.groupId)
      ? await ctx.db
          .select({ id: studyGroups.id })
          .from(studyGroups)
          .where(and(eq(studyGroups.id, input.groupId), eq(studyGroups.universityId, universityId)))
      : [];
    if (!group) errors.push({ field: 'groupId', code: 'unknown_group', message: 'No such group at this university.' });
  }
  if (input.programId) {
    const [program] = isUuid(input.programId)
      ? await ctx.db
          .select({ id: programs.id })
          .from(programs)
          .where(and(eq(programs.id, input.programId), eq(programs.universityId, universityId)))
      : [];
    if (!program)
      errors.push({ field: 'programId', code: 'unknown_program', message: 'No such program at this university.' });
  }
  if (errors.length) throw invalidEntries(errors);
}

export async function createStudent(
  ctx: AppContext,
  principal: Principal | null,
  input: StudentInput & { universityId?: string | undefined },
  actor: Actor,
) {
  const universityId = universityScope(principal, input.universityId);
  authorize(principal, 'register.manage', { universityId });
  await assertGroupAndProgram(ctx, universityId, input);
  const { id, mail } = await ctx.db.transaction((tx) =>
    insertStudent(tx, ctx, universityId, input, actor, { email: 'email', number: 'number' }),
  );
  await sendWelcomeMails(ctx, universityId, mail ? [mail] : []);
  const [row] = await ctx.db
    .select({
      id: students.id,
      number: students.number,
      nameLatin: students.nameLatin,
      nameCyrillic: students.nameCyrillic,
      status: students.status,
    })
    .from(students)
    .where(eq(students.id, id));
  return row as NonNullable<typeof row>;
}

/**
 * Every enrolled admission of a campaign of the officer's university becomes a student: the
 * applicant's account turns into a student's (audited), the student number is the application
 * number, names come from the submitted dossier. Admissions already turned into students are
 * skipped, so running it again changes nothing.
 */
export async function studentsFromEnrollment(
  ctx: AppContext,
  principal: Principal | null,
  input: { campaignId: string; groupId?: string | undefined },
  actor: Actor,
): Promise<{ created: number; skipped: number }> {
  if (!principal) throw problems.unauthenticated();
  const [campaign] = isUuid(input.campaignId)
    ? await ctx.db.select().from(campaigns).where(eq(campaigns.id, input.campaignId))
    : [];
  if (!campaign) throw problems.notFound('campaign');
  authorize(principal, 'register.manage', { universityId: campaign.universityId }, { hideExistence: true });
  await assertGroupAndProgram(ctx, campaign.universityId, { groupId: input.groupId });
  return ctx.db.transaction(async (tx) => {
    // One campaign at a time: a second run waits and then skips everything the first one created.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`register-enrollment:${campaign.id}`}))`);
    const enrolled = await tx
      .select({
        admissionId: admissions.id,
        userId: admissions.applicantId,
        role: users.role,
        fullName: users.fullName,
        number: applications.number,
        snapshot: applications.snapshot,
        programId: competitions.programId,
        studentId: students.id,
      })
      .from(admissions)
      .innerJoin(applications, eq(applications.id, admissions.applicationId))
      .innerJoin(competitions, eq(competitions.id, admissions.competitionId))
      .innerJoin(users, eq(users.id, admissions.applicantId))
      .leftJoin(
        students,
        and(eq(students.userId, admissions.applicantId), eq(students.universityId, campaign.universityId)),
      )
      .where(and(eq(admissions.campaignId, campaign.id), eq(admissions.status, 'enrolled')))
      .orderBy(asc(applications.number));
    const fresh = enrolled.filter((e) => !e.studentId);
    const now = ctx.clock.now();
    const created: { id: string; userId: string }[] = [];
    if (fresh.length) {
      const rows = fresh.map((e) => {
        const dossier = (e.snapshot as { dossier?: Record<string, unknown> } | null)?.dossier ?? {};
        const latin = dossier.latinName as { surname?: string; givenNames?: string } | undefined;
        const cyr = dossier.cyrillicName as {
          surname?: string;
          givenNames?: string;
          patronymic?: string | null;
        } | null;
        return {
          userId: e.userId,
          universityId: campaign.universityId,
          programId: e.programId,
          admissionId: e.admissionId,
          number: e.number ?? `A-${e.admissionId.slice(0, 8)}`,
          nameLatin: latin?.surname ? `${latin.surname} ${latin.givenNames ?? ''}`.trim() : e.fullName,
          nameCyrillic: cyr?.surname
            ? [cyr.surname, cyr.givenNames, cyr.patronymic].filter((p) => !!p).join(' ')
            : null,
          createdAt: now,
        };
      });
      created.push(
        ...(await tx
          .insert(students)
          .values(rows)
          .onConflictDoNothing()
          .returning({ id: students.id, userId: students.userId })),
      );
      const applicantIds = fresh.filter((e) => e.role === 'applicant').map((e) => e.userId);
      if (applicantIds.length)
        await tx.update(users).set({ role: 'student', updatedAt: now }).where(inArray(users.id, applicantIds));
      if (input.groupId && created.length)
        await tx
          .insert(groupMembers)
          .values(created.map((s) => ({ groupId: input.groupId as string, studentId: s.id, joinedAt: now })))
          .onConflictDoNothing();
      const byUser = new Map(rows.map((r) => [r.userId, r]));
      await recordAuditMany(
        tx,
        ctx.clock,
        actor,
        created.map((s) => ({
          action: 'register.student.created',
          subjectType: 'student',
          subjectId: s.id,
          after: {
            from: 'enrollment',
            admissionId: byUser.get(s.userId)?.admissionId,
            number: byUser.get(s.userId)?.number,
            groupId: input.groupId ?? null,
            roleChanged: applicantIds.includes(s.userId) ? { from: 'applicant', to: 'student' } : null,
          },
        })),
      );
    }
    return { created: created.length, skipped: enrolled.length - created.length };
  });
}

export interface ImportRow {
  email: string;
  name_latin: string;
  name_cyrillic: string;
  number: string;
  group_code: string;
}

/**
 * Imports students all or nothing. Every row is checked first (required columns, e-mail format,
 * duplicates within the file and against the university, known group codes); any problem answers
 * 422 naming `row N column X` and nothing is written.
 */
export async function importStudents(
  ctx: AppContext,
  principal: Principal | null,
  rows: ImportRow[],
  options: { universityId?: string | undefined; locale?: 'en' | 'ru' | undefined },
  actor: Actor,
): Promise<{ created: number }> {
  const universityId = universityScope(principal, options.universityId);
  authorize(principal, 'register.manage', { universityId });
  const errors: { field: string; code: string; message: string }[] = [];
  const at = (i: number, column: string, code: string, message: string) =>
    errors.push({ field: `row ${i + 2} column ${column}`, code, message });
  if (rows.length === 0) errors.push({ field: 'file', code: 'empty', message: 'The file has no rows.' });
  if (rows.length > 5000) errors.push({ field: 'file', code: 'too_many_rows', message: 'At most 5,000 rows.' });
  const groups = await ctx.db
    .select({ id: studyGroups.id, code: studyGroups.code, year: studyGroups.academicYear })
    .from(studyGroups)
    .where(eq(studyGroups.universityId, universityId))
    .orderBy(asc(studyGroups.academicYear));
  // The latest academic year wins when a code repeats across years.
  const groupByCode = new Map(groups.map((g) => [g.code, g.id]));
  const emails = rows.map((r) => normalizeEmail(r.email ?? ''));
  const numbers = rows.map((r) => (r.number ?? '').trim());
  const [takenNumbers, accounts] = await Promise.all([
    numbers.length
      ? ctx.db
          .select({ number: students.number })
          .from(students)
          .where(and(eq(students.universityId, universityId), inArray(students.number, numbers.filter(Boolean))))
      : [],
    emails.length
      ? ctx.db
          .select({ email: sql<string>`lower(${users.email})`, role: users.role, studentId: students.id })
          .from(users)
          .leftJoin(students, and(eq(students.userId, users.id), eq(students.universityId, universityId)))
          .where(inArray(sql`lower(${users.email})`, emails.filter(Boolean)))
      : [],
  ]);
  const taken = new Set(takenNumbers.map((t) => t.number));
  const account = new Map(accounts.map((a) => [a.email, a]));
  const seenEmail = new Map<string, number>();
  const seenNumber = new Map<string, number>();
  rows.forEach((r, i) => {
    const email = emails[i] ?? '';
    const number = numbers[i] ?? '';
    if (!email) at(i, 'email', 'required', 'The e-mail is missing.');
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
      at(i, 'email', 'invalid_format', 'Not a valid e-mail address.');
    else if (seenEmail.has(email))
      at(i, 'email', 'duplicate', `The same e-mail as row ${(seenEmail.get(email) as number) + 2}.`);
    else {
      const known = account.get(email);
      if (known && known.role !== 'student') at(i, 'email', 'email_taken', 'An account that is not a student has it.');
      else if (known?.studentId) at(i, 'email', 'already_student', 'Already a student of this university.');
    }
    seenEmail.set(email, seenEmail.get(email) ?? i);
    const name = (r.name_latin ?? '').trim();
    if (!name) at(i, 'name_latin', 'required', 'The name in Latin letters is missing.');
    else if (name.length > 200) at(i, 'name_latin', 'too_big', 'At most 200 characters.');
    if ((r.name_cyrillic ?? '').trim().length > 200) at(i, 'name_cyrillic', 'too_big', 'At most 200 characters.');
    if (!number) at(i, 'number', 'required', 'The student number is missing.');
    else if (number.length > 40) at(i, 'number', 'too_big', 'At most 40 characters.');
    else if (taken.has(number)) at(i, 'number', 'student_number_taken', 'Another student has this number.');
    else if (seenNumber.has(number))
      at(i, 'number', 'duplicate', `The same number as row ${(seenNumber.get(number) as number) + 2}.`);
    seenNumber.set(number, seenNumber.get(number) ?? i);
    const code = (r.group_code ?? '').trim();
    if (code && !groupByCode.has(code)) at(i, 'group_code', 'unknown_group', `No group ${code} at this university.`);
  });
  if (errors.length)
    throw invalidEntries(errors.slice(0, 200), `${errors.length} problem(s) in the file; nothing was imported.`);
  const mails = await ctx.db.transaction(async (tx) => {
    const pending: PendingMail[] = [];
    for (const [i, r] of rows.entries()) {
      const code = (r.group_code ?? '').trim();
      const { mail } = await insertStudent(
        tx,
        ctx,
        universityId,
        {
          email: emails[i] ?? '',
          nameLatin: r.name_latin.trim(),
          nameCyrillic: r.name_cyrillic?.trim() || null,
          number: numbers[i] ?? '',
          groupId: code ? groupByCode.get(code) : undefined,
          locale: options.locale,
        },
        actor,
        { email: `row ${i + 2} column email`, number: `row ${i + 2} column number` },
      );
      if (mail) pending.push(mail);
    }
    return pending;
  });
  await sendWelcomeMails(ctx, universityId, mails);
  return { created: rows.length };
}
