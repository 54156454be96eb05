import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { users } from '../../db/schema.js';
import type { AppContext } from '../context.js';

// One write an hour per person is precise enough for a retention counted in days, and keeps the
// deadline bursts (many writes per person per minute) free of extra statements.
const MARK_AFTER_MS = 3_600_000;
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Records that the person was active now (sign-in, own write): retention counts from it. */
export async function markActive(ctx: AppContext, userId: string): Promise<void> {
  await ctx.db.update(users).set({ lastActiveAt: ctx.clock.now() }).where(eq(users.id, userId));
}

/**
 * After a signed-in person's successful write, and before the answer leaves, moves their last
 * activity forward (at most once an hour, judged from the row the session already loaded).
 */
export function registerActivityTracking(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const user = request.auth?.user;
    if (!user || !UNSAFE.has(request.method) || reply.statusCode >= 400) return payload;
    const now = ctx.clock.now().getTime();
    if (user.lastActiveAt && now - user.lastActiveAt.getTime() < MARK_AFTER_MS) return payload;
    try {
      await markActive(ctx, user.id);
      user.lastActiveAt = new Date(now);
    } catch (error) {
      request.log.error({ err: error }, 'could not record the last activity');
    }
    return payload;
  });
}
