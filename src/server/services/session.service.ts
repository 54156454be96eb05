import { and, eq, ne } from 'drizzle-orm';
import { sessions, users } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { newSecret, sha256 } from './tokens.js';

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export interface ResolvedSession {
  session: SessionRow;
  user: UserRow;
}

// Writing last_seen_at on every request would make each read a write; a minute of slack is enough.
const TOUCH_AFTER_MS = 60_000;

/** Creates a session and returns the cookie value (only its hash is stored). */
export async function createSession(
  ctx: AppContext,
  userId: string,
  meta: { ip?: string; userAgent?: string },
): Promise<{ token: string; session: SessionRow }> {
  const token = newSecret();
  const now = ctx.clock.now();
  const [session] = await ctx.db
    .insert(sessions)
    .values({
      id: sha256(token),
      userId,
      csrfToken: newSecret(),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ctx.config.sessionAbsoluteHours * 3_600_000),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .returning();
  if (!session) throw new Error('session insert returned nothing');
  return { token, session };
}

/** Finds a live session for a cookie value; ends it if the idle or absolute timeout has passed. */
export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | null> {
  const id = sha256(token);
  const [row] = await ctx.db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row) return null;
  const now = ctx.clock.now().getTime();
  const idleLimit = row.session.lastSeenAt.getTime() + ctx.config.sessionIdleMinutes * 60_000;
  if (now >= row.session.expiresAt.getTime() || now >= idleLimit || row.user.disabledAt) {
    await ctx.db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (now - row.session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    const lastSeenAt = new Date(now);
    await ctx.db.update(sessions).set({ lastSeenAt }).where(eq(sessions.id, id));
    row.session.lastSeenAt = lastSeenAt;
  }
  return row;
}

export async function destroySession(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, optionally keeping one (the one that changed the password). */
export async function destroyUserSessions(ctx: AppContext, userId: string, keepSessionId?: string): Promise<void> {
  await ctx.db
    .delete(sessions)
    .where(
      keepSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)) : eq(sessions.userId, userId),
    );
}
