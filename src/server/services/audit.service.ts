import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { auditLog } from '../../db/schema.js';
import type { Clock } from '../../domain/clock.js';

export interface Actor {
  userId: string | null;
  /** Set when someone acts for another person (a consultant for an applicant). */
  onBehalfOfUserId?: string | null;
  ip?: string | null;
}

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null };

/** Appends one entry; call it inside the transaction that makes the change, so both land or neither. */
export async function recordAudit(db: Db, clock: Clock, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    at: clock.now(),
    actorUserId: actor.userId,
    onBehalfOfUserId: actor.onBehalfOfUserId ?? null,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    before: entry.before ?? null,
    after: entry.after ?? null,
    reason: entry.reason ?? null,
    ip: actor.ip ?? null,
  });
}

/** Appends many entries in one statement (set-based writes such as a register sheet); same rules as recordAudit. */
export async function recordAuditMany(
  db: Db,
  clock: Clock,
  actor: Actor,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const at = clock.now();
  await db.insert(auditLog).values(
    entries.map((entry) => ({
      at,
      actorUserId: actor.userId,
      onBehalfOfUserId: actor.onBehalfOfUserId ?? null,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId,
      before: entry.before ?? null,
      after: entry.after ?? null,
      reason: entry.reason ?? null,
      ip: actor.ip ?? null,
    })),
  );
}

export async function listAudit(db: Db, filter: { subjectType?: string; subjectId?: string; limit: number }) {
  const conditions = [
    filter.subjectType ? eq(auditLog.subjectType, filter.subjectType) : undefined,
    filter.subjectId ? eq(auditLog.subjectId, filter.subjectId) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(filter.limit);
}
