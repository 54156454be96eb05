import { asc, eq } from 'drizzle-orm';
import { agencies, sessions, universities, users } from '../../db/schema.js';
import { AGENCY_ROLES, type Role, UNIVERSITY_ROLES } from '../../domain/roles.js';
import type { AppContext } from '../context.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from './audit.service.js';
import { assertPasswordAcceptable, findUserByEmail, type Locale, normalizeEmail } from './auth.service.js';
import { destroyUserSessions, type UserRow } from './session.service.js';

export interface CreateUserInput {
  email: string;
  password: string;
  fullName: string;
  role: Role;
  locale?: Locale;
  universityId?: string | null;
  agencyId?: string | null;
  /** Accounts made by an administrator are trusted to have a working address. */
  emailVerified?: boolean;
}

async function assertAffiliation(
  ctx: AppContext,
  input: Pick<CreateUserInput, 'role' | 'universityId' | 'agencyId'>,
): Promise<void> {
  if (UNIVERSITY_ROLES.includes(input.role)) {
    if (!input.universityId) {
      throw problems.validation([
        { field: 'body.universityId', code: 'required', message: `A ${input.role} must belong to a university.` },
      ]);
    }
    const [found] = await ctx.db
      .select({ id: universities.id })
      .from(universities)
      .where(eq(universities.id, input.universityId));
    if (!found) {
      throw problems.validation([{ field: 'body.universityId', code: 'unknown', message: 'No such university.' }]);
    }
  } else if (input.universityId) {
    throw problems.validation([
      { field: 'body.universityId', code: 'not_allowed', message: `A ${input.role} does not belong to a university.` },
    ]);
  }
  if (AGENCY_ROLES.includes(input.role)) {
    if (!input.agencyId) {
      throw problems.validation([
        { field: 'body.agencyId', code: 'required', message: `A ${input.role} must belong to an agency.` },
      ]);
    }
    const [found] = await ctx.db.select({ id: agencies.id }).from(agencies).where(eq(agencies.id, input.agencyId));
    if (!found) throw problems.validation([{ field: 'body.agencyId', code: 'unknown', message: 'No such agency.' }]);
  } else if (input.agencyId) {
    throw problems.validation([
      { field: 'body.agencyId', code: 'not_allowed', message: `A ${input.role} does not belong to an agency.` },
    ]);
  }
}

export async function createUser(ctx: AppContext, input: CreateUserInput, actor: Actor): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  assertPasswordAcceptable(input.password, email, 'body.password');
  await assertAffiliation(ctx, input);
  if (await findUserByEmail(ctx, email)) {
    throw problems.conflict('email_taken', 'An account with this e-mail already exists.', 'body.email');
  }
  const passwordHash = await ctx.passwords.hash(input.password);
  return ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({
        email,
        passwordHash,
        fullName: input.fullName.trim(),
        role: input.role,
        locale: input.locale ?? 'en',
        universityId: input.universityId ?? null,
        agencyId: input.agencyId ?? null,
        emailVerifiedAt: input.emailVerified === false ? null : ctx.clock.now(),
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw problems.conflict('email_taken', 'An account with this e-mail already exists.', 'body.email');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'user.created',
      subjectType: 'user',
      subjectId: created.id,
      after: { email, role: created.role, universityId: created.universityId, agencyId: created.agencyId },
    });
    return created;
  });
}

export async function getUser(ctx: AppContext, id: string): Promise<UserRow> {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, id));
  if (!user) throw problems.notFound('user');
  return user;
}

export async function listUsers(ctx: AppContext, filter: { role?: Role; limit: number; offset: number }) {
  return ctx.db
    .select()
    .from(users)
    .where(filter.role ? eq(users.role, filter.role) : undefined)
    .orderBy(asc(users.email))
    .limit(filter.limit)
    .offset(filter.offset);
}

export async function updateProfile(
  ctx: AppContext,
  user: UserRow,
  changes: { fullName?: string | undefined; locale?: Locale | undefined },
  actor: Actor,
): Promise<UserRow> {
  const next = {
    fullName: changes.fullName?.trim() ?? user.fullName,
    locale: changes.locale ?? user.locale,
  };
  if (next.fullName === user.fullName && next.locale === user.locale) return user;
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ ...next, updatedAt: ctx.clock.now() })
      .where(eq(users.id, user.id))
      .returning();
    await recordAudit(tx, ctx.clock, actor, {
      action: 'user.profile_updated',
      subjectType: 'user',
      subjectId: user.id,
      before: { fullName: user.fullName, locale: user.locale },
      after: next,
    });
    return updated ?? user;
  });
}

export async function setUserDisabled(
  ctx: AppContext,
  id: string,
  disabled: boolean,
  reason: string,
  actor: Actor,
): Promise<UserRow> {
  const user = await getUser(ctx, id);
  const updated = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ disabledAt: disabled ? (user.disabledAt ?? ctx.clock.now()) : null, updatedAt: ctx.clock.now() })
      .where(eq(users.id, id))
      .returning();
    await recordAudit(tx, ctx.clock, actor, {
      action: disabled ? 'user.disabled' : 'user.enabled',
      subjectType: 'user',
      subjectId: id,
      before: { disabled: user.disabledAt !== null },
      after: { disabled },
      reason,
    });
    return row ?? user;
  });
  if (disabled) await destroyUserSessions(ctx, id);
  return updated;
}

export interface RoleChange {
  role: Role;
  universityId?: string | null;
  agencyId?: string | null;
  reason: string;
}

/**
 * An administrator changes what a person is (role, university, agency): audited with before and
 * after, and every session of the person ends in the same transaction, so nothing keeps acting
 * with the old rights; they sign in again and get a new session.
 */
export async function changeUserRole(ctx: AppContext, id: string, change: RoleChange, actor: Actor): Promise<UserRow> {
  const user = await getUser(ctx, id);
  const next = { role: change.role, universityId: change.universityId ?? null, agencyId: change.agencyId ?? null };
  await assertAffiliation(ctx, next);
  if (next.role === user.role && next.universityId === user.universityId && next.agencyId === user.agencyId)
    return user;
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(users)
      .set({ ...next, agencyAdmin: next.agencyId === user.agencyId && user.agencyAdmin, updatedAt: ctx.clock.now() })
      .where(eq(users.id, id))
      .returning();
    const ended = await tx.delete(sessions).where(eq(sessions.userId, id)).returning({ id: sessions.id });
    await recordAudit(tx, ctx.clock, actor, {
      action: 'user.role_changed',
      subjectType: 'user',
      subjectId: id,
      before: { role: user.role, universityId: user.universityId, agencyId: user.agencyId },
      after: { ...next, sessionsEnded: ended.length },
      reason: change.reason,
    });
    return updated ?? user;
  });
}
