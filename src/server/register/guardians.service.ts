/**
 * Parents and sponsors: read-only links to one student. A link starts as an invitation the student
 * sends (the guardian accepts by the e-mailed token, registering as a parent if needed) or as a
 * request a signed-in parent makes (the student accepts, or an officer confirms). The student or an
 * officer ends it; reads check the link on every request, so the end takes effect at once. Every
 * step is audited on the student.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { guardianLinks, students, universities, users } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { assertPasswordAcceptable, findUserByEmail, normalizeEmail } from '../services/auth.service.js';
import { incrementCounter } from '../services/rate-limit.service.js';
import { newSecret, sha256 } from '../services/tokens.js';
import { renderGuardianActive, renderGuardianInvitation, renderGuardianRequest } from './people-mail.js';
import { isUuid, universityScope } from './register-access.js';
import { myStudent, presentStudentRef, type StudentRef, type StudentRow } from './student-view.service.js';

export const INVITATION_DAYS = 14;
const INVITES_PER_DAY = 20;
const REQUESTS_PER_DAY = 10;
const DAY_MS = 86_400_000;

type Locale = 'en' | 'ru';
type LinkRow = typeof guardianLinks.$inferSelect;
export type Relation = 'parent' | 'sponsor';
export type LinkStatus = 'invited' | 'requested' | 'active' | 'ended' | 'declined';

const invitationInvalid = () =>
  new ProblemError(404, 'invitation_invalid', 'Invalid invitation', {
    detail: 'This invitation link is not valid, or the student withdrew it.',
  });
const invitationUsed = () =>
  new ProblemError(410, 'invitation_used', 'Invitation already used', {
    detail: 'This invitation was already accepted.',
  });
const invitationExpired = () =>
  new ProblemError(410, 'invitation_expired', 'Invitation expired', {
    detail: 'This invitation has expired; ask the student to send a new one.',
  });
const alreadyLinked = () => problems.conflict('already_linked', 'This person already follows the student’s register.');

export interface GuardianLinkView {
  id: string;
  email: string;
  relation: Relation;
  status: LinkStatus;
  guardian: { fullName: string } | null;
  createdAt: string;
  confirmedAt: string | null;
  endedAt: string | null;
}

export function presentLink(link: LinkRow, guardianName: string | null): GuardianLinkView {
  return {
    id: link.id,
    email: link.email,
    relation: link.relation as Relation,
    status: link.status as LinkStatus,
    guardian: guardianName === null ? null : { fullName: guardianName },
    createdAt: link.createdAt.toISOString(),
    confirmedAt: link.confirmedAt?.toISOString() ?? null,
    endedAt: link.endedAt?.toISOString() ?? null,
  };
}

async function linksWithNames(ctx: AppContext, where: ReturnType<typeof eq>) {
  return ctx.db
    .select({ link: guardianLinks, guardianName: users.fullName })
    .from(guardianLinks)
    .leftJoin(users, eq(users.id, guardianLinks.guardianUserId))
    .where(where)
    .orderBy(desc(guardianLinks.createdAt));
}

async function userOf(ctx: AppContext, id: string) {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, id));
  return user;
}

async function universityOf(ctx: AppContext, id: string) {
  const [u] = await ctx.db.select().from(universities).where(eq(universities.id, id));
  return { slug: u?.slug ?? '', en: u?.nameEn ?? '', ru: u?.nameRu ?? '' };
}

async function send(ctx: AppContext, message: Parameters<AppContext['mailer']['send']>[0]) {
  try {
    await ctx.mailer.send(message);
  } catch (error) {
    // The link is saved; the e-mail can be sent again.
    ctx.log?.error({ err: error }, 'register guardian e-mail');
  }
}

// ---------- The student ----------

export async function listMyGuardians(ctx: AppContext, principal: Principal | null): Promise<GuardianLinkView[]> {
  const student = await myStudent(ctx, principal);
  const rows = await linksWithNames(ctx, eq(guardianLinks.studentId, student.id));
  return rows.map((r) => presentLink(r.link, r.guardianName));
}

/** The student invites a parent or sponsor by e-mail (a 14-day link; inviting the same address again renews it). */
export async function inviteGuardian(
  ctx: AppContext,
  principal: Principal | null,
  input: { email: string; relation: Relation; locale?: Locale | undefined },
  actor: Actor,
): Promise<GuardianLinkView> {
  const student = await myStudent(ctx, principal);
  const me = await userOf(ctx, student.userId);
  const email = normalizeEmail(input.email);
  if (me && normalizeEmail(me.email) === email) {
    throw problems.validation([
      { field: 'body.email', code: 'own_address', message: 'Invite someone else: this is your own address.' },
    ]);
  }
  const sent = await incrementCounter(ctx.db, ctx.clock, `register:guardian-invite:${student.id}`, DAY_MS);
  if (sent > INVITES_PER_DAY) throw problems.tooMany(DAY_MS / 1000, 'Too many invitations today.');
  const invitee = await findUserByEmail(ctx, email);
  const token = newSecret();
  const now = ctx.clock.now();
  const expires = new Date(now.getTime() + INVITATION_DAYS * DAY_MS);
  const link = await ctx.db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(guardianLinks)
      .where(
        and(
          eq(guardianLinks.studentId, student.id),
          sql`lower(${guardianLinks.email}) = ${email}`,
          inArray(guardianLinks.status, ['invited', 'active']),
        ),
      )
      .for('update');
    if (open.some((l) => l.status === 'active')) throw alreadyLinked();
    const pending = open[0];
    const [row] = pending
      ? await tx
          .update(guardianLinks)
          .set({ relation: input.relation, tokenHash: sha256(token), tokenExpiresAt: expires })
          .where(eq(guardianLinks.id, pending.id))
          .returning()
      : await tx
          .insert(guardianLinks)
          .values({
            studentId: student.id,
            email,
            relation: input.relation,
            status: 'invited',
            tokenHash: sha256(token),
            tokenExpiresAt: expires,
            createdBy: principal?.id ?? student.userId,
            createdAt: now,
          })
          .returning();
    const saved = row as LinkRow;
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.guardian.invited',
      subjectType: 'student',
      subjectId: student.id,
      before: pending ? { link: pending.id, status: pending.status } : null,
      after: { link: saved.id, email, relation: input.relation, status: 'invited', expiresAt: expires.toISOString() },
    });
    return saved;
  });
  const university = await universityOf(ctx, student.universityId);
  const locale: Locale = invitee?.locale ?? input.locale ?? me?.locale ?? 'en';
  await send(
    ctx,
    renderGuardianInvitation(
      locale,
      email,
      student,
      input.relation,
      university,
      `${ctx.config.publicUrl}/guardian-invitation?token=${encodeURIComponent(token)}`,
      INVITATION_DAYS,
    ),
  );
  return presentLink(link, invitee && link.guardianUserId ? invitee.fullName : null);
}

async function myLink(ctx: AppContext, principal: Principal | null, linkId: string) {
  const student = await myStudent(ctx, principal);
  const [link] = isUuid(linkId)
    ? await ctx.db
        .select()
        .from(guardianLinks)
        .where(and(eq(guardianLinks.id, linkId), eq(guardianLinks.studentId, student.id)))
    : [];
  if (!link) throw problems.notFound('link');
  return { student, link };
}

/** Makes a requested link active (the student accepting, or an officer confirming). */
async function activate(ctx: AppContext, student: StudentRow, link: LinkRow, byUserId: string, actor: Actor) {
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(guardianLinks)
      .set({ status: 'active', confirmedAt: now, confirmedBy: byUserId })
      .where(and(eq(guardianLinks.id, link.id), eq(guardianLinks.status, 'requested')))
      .returning();
    if (!row) throw problems.conflict('not_requested', 'Only a pending request can be accepted.');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.guardian.confirmed',
      subjectType: 'student',
      subjectId: student.id,
      before: { link: link.id, status: 'requested' },
      after: { link: link.id, status: 'active', guardian: link.guardianUserId },
    });
    return row;
  });
  const guardian = link.guardianUserId ? await userOf(ctx, link.guardianUserId) : undefined;
  if (guardian) {
    await send(
      ctx,
      renderGuardianActive(
        guardian.locale,
        guardian.email,
        guardian.fullName,
        student,
        `${ctx.config.publicUrl}/register/students/${student.id}`,
      ),
    );
  }
  return presentLink(updated, guardian?.fullName ?? null);
}

/** Ends a link (an invitation is withdrawn, a request declined, an active link ended) at once. */
async function endLink(ctx: AppContext, student: StudentRow, link: LinkRow, byUserId: string, actor: Actor) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(guardianLinks).where(eq(guardianLinks.id, link.id)).for('update');
    if (!current) throw problems.notFound('link');
    if (current.status === 'ended' || current.status === 'declined') return current;
    const status = current.status === 'requested' ? 'declined' : 'ended';
    const [row] = await tx
      .update(guardianLinks)
      .set({ status, endedAt: now, endedBy: byUserId })
      .where(eq(guardianLinks.id, link.id))
      .returning();
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.guardian.ended',
      subjectType: 'student',
      subjectId: student.id,
      before: { link: link.id, status: current.status },
      after: { link: link.id, status },
    });
    return row as LinkRow;
  });
}

export async function acceptGuardianRequest(
  ctx: AppContext,
  principal: Principal | null,
  linkId: string,
  actor: Actor,
): Promise<GuardianLinkView> {
  const { student, link } = await myLink(ctx, principal, linkId);
  return activate(ctx, student, link, student.userId, actor);
}

export async function endMyGuardianLink(
  ctx: AppContext,
  principal: Principal | null,
  linkId: string,
  actor: Actor,
): Promise<GuardianLinkView> {
  const { student, link } = await myLink(ctx, principal, linkId);
  const ended = await endLink(ctx, student, link, student.userId, actor);
  const guardian = ended.guardianUserId ? await userOf(ctx, ended.guardianUserId) : undefined;
  return presentLink(ended, guardian?.fullName ?? null);
}

// ---------- The guardian ----------

async function linkByToken(ctx: AppContext, token: string): Promise<LinkRow> {
  const [link] = await ctx.db
    .select()
    .from(guardianLinks)
    .where(eq(guardianLinks.tokenHash, sha256(token)));
  if (!link) throw invitationInvalid();
  if (link.status === 'active' || (link.confirmedAt && link.status === 'ended')) throw invitationUsed();
  if (link.status !== 'invited') throw invitationInvalid();
  if (!link.tokenExpiresAt || link.tokenExpiresAt.getTime() <= ctx.clock.now().getTime()) throw invitationExpired();
  return link;
}

/** What an invitation link shows before the person decides. */
export async function invitationPreview(ctx: AppContext, token: string) {
  const link = await linkByToken(ctx, token);
  const [student] = await ctx.db.select().from(students).where(eq(students.id, link.studentId));
  return {
    studentName: student?.nameLatin ?? '',
    relation: link.relation as Relation,
    email: link.email,
    status: link.status as LinkStatus,
  };
}

export interface AcceptInvitationInput {
  token: string;
  fullName?: string | undefined;
  password?: string | undefined;
  locale?: Locale | undefined;
}

/**
 * Accepts an invitation: a signed-in parent links their account; an anonymous visitor registers a
 * parent account for the invited address (confirmed by the token, so no separate confirmation).
 */
export async function acceptInvitation(
  ctx: AppContext,
  principal: Principal | null,
  input: AcceptInvitationInput,
  actor: Actor,
): Promise<{ studentId: string }> {
  const link = await linkByToken(ctx, input.token);
  if (principal && principal.role !== 'parent') {
    throw problems.forbidden('Only a parent or sponsor account can accept an invitation; sign out first.');
  }
  let passwordHash: string | null = null;
  if (!principal) {
    const missing = [
      ...(input.fullName?.trim() ? [] : [{ field: 'body.fullName', code: 'required', message: 'Enter your name.' }]),
      ...(input.password ? [] : [{ field: 'body.password', code: 'required', message: 'Choose a password.' }]),
    ];
    if (missing.length) throw problems.validation(missing);
    assertPasswordAcceptable(input.password as string, link.email, 'body.password');
    if (await findUserByEmail(ctx, link.email)) {
      throw problems.conflict(
        'email_taken',
        'An account with this e-mail already exists: sign in, then open the link again.',
        'body.email',
      );
    }
    passwordHash = await ctx.passwords.hash(input.password as string);
  }
  const now = ctx.clock.now();
  const studentId = await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(guardianLinks).where(eq(guardianLinks.id, link.id)).for('update');
    if (current?.status !== 'invited') throw invitationUsed();
    let guardianId = principal?.id ?? null;
    if (!guardianId) {
      const [created] = await tx
        .insert(users)
        .values({
          email: link.email,
          passwordHash: passwordHash as string,
          fullName: (input.fullName as string).trim(),
          role: 'parent',
          locale: input.locale ?? 'en',
          emailVerifiedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!created) throw problems.conflict('email_taken', 'An account with this e-mail already exists.', 'body.email');
      guardianId = created.id;
      await recordAudit(
        tx,
        ctx.clock,
        { ...actor, userId: created.id },
        {
          action: 'user.registered',
          subjectType: 'user',
          subjectId: created.id,
          after: { email: link.email, role: 'parent', fullName: created.fullName, via: 'guardian_invitation' },
        },
      );
    }
    const [duplicate] = await tx
      .select({ id: guardianLinks.id })
      .from(guardianLinks)
      .where(
        and(
          eq(guardianLinks.studentId, link.studentId),
          eq(guardianLinks.guardianUserId, guardianId),
          eq(guardianLinks.status, 'active'),
        ),
      );
    if (duplicate) throw alreadyLinked();
    await tx
      .update(guardianLinks)
      .set({ status: 'active', guardianUserId: guardianId, confirmedAt: now, confirmedBy: guardianId })
      .where(eq(guardianLinks.id, link.id));
    await recordAudit(
      tx,
      ctx.clock,
      { ...actor, userId: actor.userId ?? guardianId },
      {
        action: 'register.guardian.accepted',
        subjectType: 'student',
        subjectId: link.studentId,
        before: { link: link.id, status: 'invited' },
        after: { link: link.id, status: 'active', guardian: guardianId },
      },
    );
    return link.studentId;
  });
  return { studentId };
}

/**
 * A signed-in parent asks to follow a student named by number and university. The answer is the
 * same whether or not such a student exists, so nobody can probe the register by guessing numbers.
 * The date of birth is accepted for the student's and officer's information only: the register keeps
 * none to compare it with, so the student's acceptance (or the officer's confirmation) is the check.
 */
export async function requestLink(
  ctx: AppContext,
  principal: Principal | null,
  input: { studentNumber: string; universitySlug: string; dateOfBirth?: string | undefined; relation: Relation },
  actor: Actor,
): Promise<void> {
  if (!principal) throw problems.unauthenticated();
  if (principal.role !== 'parent')
    throw problems.forbidden('Only a parent or sponsor account can ask to follow a student.');
  const count = await incrementCounter(ctx.db, ctx.clock, `register:guardian-request:${principal.id}`, DAY_MS);
  if (count > REQUESTS_PER_DAY) throw problems.tooMany(DAY_MS / 1000, 'Too many requests today.');
  const [found] = await ctx.db
    .select({ student: students })
    .from(students)
    .innerJoin(universities, eq(universities.id, students.universityId))
    .where(and(eq(universities.slug, input.universitySlug), eq(students.number, input.studentNumber.trim())));
  if (!found) return;
  const student = found.student;
  const guardian = await userOf(ctx, principal.id);
  if (!guardian) return;
  const created = await ctx.db.transaction(async (tx) => {
    const existing = await tx
      .select({ id: guardianLinks.id })
      .from(guardianLinks)
      .where(
        and(
          eq(guardianLinks.studentId, student.id),
          eq(guardianLinks.guardianUserId, principal.id),
          inArray(guardianLinks.status, ['requested', 'active']),
        ),
      );
    if (existing.length) return null;
    const [row] = await tx
      .insert(guardianLinks)
      .values({
        studentId: student.id,
        guardianUserId: principal.id,
        email: normalizeEmail(guardian.email),
        relation: input.relation,
        status: 'requested',
        createdBy: principal.id,
        createdAt: ctx.clock.now(),
      })
      .returning();
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.guardian.requested',
      subjectType: 'student',
      subjectId: student.id,
      after: {
        link: row?.id,
        guardian: principal.id,
        relation: input.relation,
        dateOfBirth: input.dateOfBirth ?? null,
      },
    });
    return row ?? null;
  });
  if (!created) return;
  const studentUser = await userOf(ctx, student.userId);
  if (studentUser) {
    await send(
      ctx,
      renderGuardianRequest(
        studentUser.locale,
        studentUser.email,
        studentUser.fullName,
        { fullName: guardian.fullName, email: guardian.email },
        input.relation,
        `${ctx.config.publicUrl}/register`,
      ),
    );
  }
}

/** The students a parent or sponsor follows (active links only). */
export async function listChildren(ctx: AppContext, principal: Principal | null) {
  if (!principal) throw problems.unauthenticated();
  const rows = await ctx.db
    .select({ link: guardianLinks, student: students, university: universities })
    .from(guardianLinks)
    .innerJoin(students, eq(students.id, guardianLinks.studentId))
    .innerJoin(universities, eq(universities.id, students.universityId))
    .where(and(eq(guardianLinks.guardianUserId, principal.id), eq(guardianLinks.status, 'active')))
    .orderBy(desc(guardianLinks.confirmedAt));
  return rows.map((r) => ({
    studentId: r.student.id,
    nameLatin: r.student.nameLatin,
    nameCyrillic: r.student.nameCyrillic,
    university: { name: { en: r.university.nameEn, ru: r.university.nameRu } },
    relation: r.link.relation as Relation,
  }));
}

// ---------- Officers ----------

export async function listLinksForOfficer(
  ctx: AppContext,
  principal: Principal | null,
  filter: { status?: LinkStatus | undefined; universityId?: string | undefined },
): Promise<(GuardianLinkView & { student: StudentRef })[]> {
  const universityId = universityScope(principal, filter.universityId);
  authorize(principal, 'register.manage', { universityId });
  const rows = await ctx.db
    .select({ link: guardianLinks, guardianName: users.fullName, student: students })
    .from(guardianLinks)
    .innerJoin(students, eq(students.id, guardianLinks.studentId))
    .leftJoin(users, eq(users.id, guardianLinks.guardianUserId))
    .where(
      and(eq(students.universityId, universityId), filter.status ? eq(guardianLinks.status, filter.status) : undefined),
    )
    .orderBy(desc(guardianLinks.createdAt))
    .limit(500);
  return rows.map((r) => ({ ...presentLink(r.link, r.guardianName), student: presentStudentRef(r.student) }));
}

async function linkForOfficer(ctx: AppContext, principal: Principal | null, linkId: string) {
  if (!principal) throw problems.unauthenticated();
  const [row] = isUuid(linkId)
    ? await ctx.db
        .select({ link: guardianLinks, student: students })
        .from(guardianLinks)
        .innerJoin(students, eq(students.id, guardianLinks.studentId))
        .where(eq(guardianLinks.id, linkId))
    : [];
  if (!row) throw problems.notFound('link');
  authorize(principal, 'register.manage', { universityId: row.student.universityId }, { hideExistence: true });
  return row;
}

export async function confirmLink(ctx: AppContext, principal: Principal | null, linkId: string, actor: Actor) {
  const { link, student } = await linkForOfficer(ctx, principal, linkId);
  return { ...(await activate(ctx, student, link, principal?.id ?? '', actor)), student: presentStudentRef(student) };
}

export async function endLinkAsOfficer(ctx: AppContext, principal: Principal | null, linkId: string, actor: Actor) {
  const { link, student } = await linkForOfficer(ctx, principal, linkId);
  const ended = await endLink(ctx, student, link, principal?.id ?? '', actor);
  const guardian = ended.guardianUserId ? await userOf(ctx, ended.guardianUserId) : undefined;
  return { ...presentLink(ended, guardian?.fullName ?? null), student: presentStudentRef(student) };
}
