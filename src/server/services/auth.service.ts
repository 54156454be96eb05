import { and, eq, sql } from 'drizzle-orm';
import { emailTokens, users } from '../../db/schema.js';
import { checkPassword } from '../../domain/password-policy.js';
import type { AppContext } from '../context.js';
import { renderTokenMail } from '../mail/templates.js';
import { markActive } from '../privacy/activity.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from './audit.service.js';
import { incrementCounter, peekCounter, resetCounter } from './rate-limit.service.js';
import { createSession, destroySession, destroyUserSessions, type UserRow } from './session.service.js';
import { newSecret, sha256 } from './tokens.js';

const VERIFY_TTL_HOURS = 48;
const RESET_TTL_HOURS = 1;
const MAILS_PER_HOUR = 5;

export type Locale = 'en' | 'ru';
type TokenPurpose = 'verify_email' | 'reset_password';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function assertPasswordAcceptable(password: string, email: string, field: string): void {
  const problem = checkPassword(password, email);
  if (!problem) return;
  const messages = {
    too_short: 'The password must have at least 10 characters.',
    too_long: 'The password must have at most 256 characters.',
    too_common: 'This password is too common; choose another.',
    contains_email: 'The password must not contain your e-mail address.',
  } as const;
  throw problems.validation([{ field, code: `password_${problem}`, message: messages[problem] }]);
}

export async function findUserByEmail(ctx: AppContext, email: string): Promise<UserRow | undefined> {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${normalizeEmail(email)}`);
  return user;
}

async function issueToken(ctx: AppContext, user: UserRow, purpose: TokenPurpose): Promise<void> {
  const key = `mail:${purpose}:${user.id}`;
  if ((await incrementCounter(ctx.db, ctx.clock, key, 3_600_000)) > MAILS_PER_HOUR) return;
  const token = newSecret();
  const hours = purpose === 'verify_email' ? VERIFY_TTL_HOURS : RESET_TTL_HOURS;
  const now = ctx.clock.now();
  await ctx.db.insert(emailTokens).values({
    userId: user.id,
    purpose,
    tokenHash: sha256(token),
    expiresAt: new Date(now.getTime() + hours * 3_600_000),
    createdAt: now,
  });
  const page = purpose === 'verify_email' ? 'verify-email' : 'reset-password';
  const link = `${ctx.config.publicUrl}/${page}?token=${encodeURIComponent(token)}`;
  try {
    await ctx.mailer.send(renderTokenMail(purpose, user.locale, user.email, user.fullName, link, hours));
  } catch (error) {
    // The account is saved; the person can ask for the message again.
    ctx.log?.error({ err: error, purpose }, 'could not send e-mail');
  }
}

export interface RegisterInput {
  email: string;
  password: string;
  fullName: string;
  locale: Locale;
}

export async function registerApplicant(ctx: AppContext, input: RegisterInput, actor: Actor): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  assertPasswordAcceptable(input.password, email, 'body.password');
  if (await findUserByEmail(ctx, email)) {
    throw problems.conflict('email_taken', 'An account with this e-mail already exists.', 'body.email');
  }
  const passwordHash = await ctx.passwords.hash(input.password);
  const user = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({ email, passwordHash, fullName: input.fullName.trim(), role: 'applicant', locale: input.locale })
      .onConflictDoNothing()
      .returning();
    if (!created) throw problems.conflict('email_taken', 'An account with this e-mail already exists.', 'body.email');
    await recordAudit(
      tx,
      ctx.clock,
      { ...actor, userId: created.id },
      {
        action: 'user.registered',
        subjectType: 'user',
        subjectId: created.id,
        after: { email, role: 'applicant', fullName: created.fullName },
      },
    );
    return created;
  });
  await issueToken(ctx, user, 'verify_email');
  return user;
}

/** Marks a token used and returns its user; the same error for unknown tokens of any purpose. */
async function consumeToken(ctx: AppContext, token: string, purpose: TokenPurpose): Promise<UserRow> {
  const [row] = await ctx.db
    .select({ token: emailTokens, user: users })
    .from(emailTokens)
    .innerJoin(users, eq(users.id, emailTokens.userId))
    .where(and(eq(emailTokens.tokenHash, sha256(token)), eq(emailTokens.purpose, purpose)));
  const field = [{ field: 'body.token', code: 'token_invalid', message: 'This link is not valid.' }];
  if (!row)
    throw new ProblemError(400, 'token_invalid', 'Invalid link', { detail: 'This link is not valid.', errors: field });
  if (row.token.usedAt) {
    throw new ProblemError(400, 'token_used', 'Link already used', {
      detail: 'This link has already been used.',
      errors: [{ field: 'body.token', code: 'token_used', message: 'This link has already been used.' }],
    });
  }
  if (row.token.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    throw new ProblemError(400, 'token_expired', 'Link expired', {
      detail: 'This link has expired; ask for a new one.',
      errors: [{ field: 'body.token', code: 'token_expired', message: 'This link has expired; ask for a new one.' }],
    });
  }
  const updated = await ctx.db
    .update(emailTokens)
    .set({ usedAt: ctx.clock.now() })
    .where(and(eq(emailTokens.id, row.token.id), sql`${emailTokens.usedAt} IS NULL`))
    .returning({ id: emailTokens.id });
  if (updated.length === 0) {
    throw new ProblemError(400, 'token_used', 'Link already used', { detail: 'This link has already been used.' });
  }
  return row.user;
}

export async function verifyEmail(ctx: AppContext, token: string, actor: Actor): Promise<UserRow> {
  return ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const user = await consumeToken(txCtx, token, 'verify_email');
    if (user.emailVerifiedAt) return user;
    const [updated] = await tx
      .update(users)
      .set({ emailVerifiedAt: ctx.clock.now(), updatedAt: ctx.clock.now() })
      .where(eq(users.id, user.id))
      .returning();
    await recordAudit(
      tx,
      ctx.clock,
      { ...actor, userId: actor.userId ?? user.id },
      {
        action: 'user.email_verified',
        subjectType: 'user',
        subjectId: user.id,
        before: { emailVerified: false },
        after: { emailVerified: true },
      },
    );
    return updated ?? user;
  });
}

export async function resendVerification(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx, email);
  if (user && !user.emailVerifiedAt && !user.disabledAt) await issueToken(ctx, user, 'verify_email');
}

export interface LoginInput {
  email: string;
  password: string;
  ip: string;
  userAgent?: string;
  /** The session cookie the browser already had; it is ended so each login gets a fresh id. */
  previousSessionId?: string;
}

export async function login(ctx: AppContext, input: LoginInput) {
  const email = normalizeEmail(input.email);
  const windowMs = ctx.config.loginWindowMinutes * 60_000;
  const accountKey = `login:account:${email}`;
  const addressKey = `login:address:${input.ip}`;
  const [account, address] = await Promise.all([
    peekCounter(ctx.db, ctx.clock, accountKey, windowMs),
    peekCounter(ctx.db, ctx.clock, addressKey, windowMs),
  ]);
  if (account.count >= ctx.config.loginMaxPerAccount || address.count >= ctx.config.loginMaxPerAddress) {
    const wait = Math.max(
      account.count >= ctx.config.loginMaxPerAccount ? account.retryAfterSeconds : 0,
      address.count >= ctx.config.loginMaxPerAddress ? address.retryAfterSeconds : 0,
    );
    throw problems.tooMany(wait, 'Too many failed sign-in attempts. Try again later.');
  }
  const user = await findUserByEmail(ctx, email);
  const valid = user ? await ctx.passwords.verify(user.passwordHash, input.password) : false;
  if (!user) await ctx.passwords.burn(input.password);
  if (!user || !valid) {
    await incrementCounter(ctx.db, ctx.clock, accountKey, windowMs);
    await incrementCounter(ctx.db, ctx.clock, addressKey, windowMs);
    throw new ProblemError(401, 'invalid_credentials', 'Sign-in failed', {
      detail: 'The e-mail or the password is wrong.',
    });
  }
  if (user.disabledAt) {
    throw new ProblemError(403, 'account_disabled', 'Account disabled', { detail: 'This account has been disabled.' });
  }
  if (!user.emailVerifiedAt) {
    throw new ProblemError(403, 'email_not_verified', 'E-mail not confirmed', {
      detail: 'Confirm your e-mail address first: follow the link we sent you.',
    });
  }
  await resetCounter(ctx.db, accountKey);
  if (input.previousSessionId) await destroySession(ctx, input.previousSessionId);
  const created = await createSession(ctx, user.id, {
    ip: input.ip,
    ...(input.userAgent ? { userAgent: input.userAgent } : {}),
  });
  // Retention of personal data counts from the last sign-in or own change (privacy/erasure.service.ts).
  await markActive(ctx, user.id);
  return { user, ...created };
}

export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx, email);
  if (user && !user.disabledAt) await issueToken(ctx, user, 'reset_password');
}

export async function resetPassword(ctx: AppContext, token: string, password: string, actor: Actor): Promise<void> {
  const user = await ctx.db.transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    const owner = await consumeToken(txCtx, token, 'reset_password');
    assertPasswordAcceptable(password, owner.email, 'body.password');
    const passwordHash = await ctx.passwords.hash(password);
    const now = ctx.clock.now();
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: now, emailVerifiedAt: owner.emailVerifiedAt ?? now })
      .where(eq(users.id, owner.id));
    await recordAudit(
      tx,
      ctx.clock,
      { ...actor, userId: actor.userId ?? owner.id },
      {
        action: 'user.password_reset',
        subjectType: 'user',
        subjectId: owner.id,
      },
    );
    return owner;
  });
  await destroyUserSessions(ctx, user.id);
}

export async function changePassword(
  ctx: AppContext,
  user: UserRow,
  sessionId: string,
  currentPassword: string,
  newPassword: string,
  actor: Actor,
): Promise<void> {
  if (!(await ctx.passwords.verify(user.passwordHash, currentPassword))) {
    throw problems.validation([
      { field: 'body.currentPassword', code: 'wrong_password', message: 'The current password is wrong.' },
    ]);
  }
  assertPasswordAcceptable(newPassword, user.email, 'body.newPassword');
  const passwordHash = await ctx.passwords.hash(newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: ctx.clock.now() }).where(eq(users.id, user.id));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'user.password_changed',
      subjectType: 'user',
      subjectId: user.id,
    });
  });
  await destroyUserSessions(ctx, user.id, sessionId);
}
