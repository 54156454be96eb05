import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { rateLimitCounters } from '../../db/schema.js';
import type { Clock } from '../../domain/clock.js';

export interface WindowState {
  count: number;
  retryAfterSeconds: number;
}

/** Fixed-window counters kept in the database so that every app instance shares them. */
export async function peekCounter(db: Db, clock: Clock, key: string, windowMs: number): Promise<WindowState> {
  const [row] = await db.select().from(rateLimitCounters).where(eq(rateLimitCounters.key, key));
  const now = clock.now().getTime();
  if (!row || row.windowStartedAt.getTime() + windowMs <= now) return { count: 0, retryAfterSeconds: 0 };
  return { count: row.count, retryAfterSeconds: (row.windowStartedAt.getTime() + windowMs - now) / 1000 };
}

export async function incrementCounter(db: Db, clock: Clock, key: string, windowMs: number): Promise<number> {
  const now = clock.now();
  const expired = new Date(now.getTime() - windowMs);
  const [row] = await db
    .insert(rateLimitCounters)
    .values({ key, windowStartedAt: now, count: 1 })
    .onConflictDoUpdate({
      target: rateLimitCounters.key,
      set: {
        count: sql`CASE WHEN ${rateLimitCounters.windowStartedAt} <= ${expired} THEN 1 ELSE ${rateLimitCounters.count} + 1 END`,
        windowStartedAt: sql`CASE WHEN ${rateLimitCounters.windowStartedAt} <= ${expired} THEN ${now} ELSE ${rateLimitCounters.windowStartedAt} END`,
      },
    })
    .returning({ count: rateLimitCounters.count });
  return row?.count ?? 1;
}

export async function resetCounter(db: Db, key: string): Promise<void> {
  await db.delete(rateLimitCounters).where(eq(rateLimitCounters.key, key));
}
