import { and, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  admissions,
  agencyNotes,
  agencyTasks,
  applications,
  appMeta,
  attendance,
  consents,
  documents,
  documentVersions,
  dossiers,
  emailTokens,
  leads,
  sessions,
  students,
  users,
  visaCases,
} from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../services/audit.service.js';

/** Admission states that keep a person's data: the university still needs it. */
const ACTIVE_ADMISSION = ['offered', 'confirmed', 'enrolled'];
const DAY_MS = 86_400_000;

export const ERASED_NAME = 'Erased';
export const erasedEmail = (id: string) => `erased-${id}@invalid`;

/** What one erasure removed (or would remove): counts only, never contents. */
export interface ErasureCounts {
  documents: number;
  versions: number;
  files: number;
  dossier: number;
  applicationSnapshots: number;
  visaRequests: number;
  consents: number;
  agencyNotes: number;
  agencyTasks: number;
  inquiries: number;
  sessions: number;
}

export type ErasureBlocker = 'active_admission' | 'student_record' | 'not_applicant' | 'already_erased';

/** Why a person's data must stay for now; empty when it may be erased. */
async function blockersOf(db: Db, user: typeof users.$inferSelect): Promise<ErasureBlocker[]> {
  const out: ErasureBlocker[] = [];
  if (user.erasedAt) out.push('already_erased');
  if (user.role !== 'applicant') out.push('not_applicant');
  const [active] = await db
    .select({ n: count() })
    .from(admissions)
    .where(and(eq(admissions.applicantId, user.id), inArray(admissions.status, ACTIVE_ADMISSION)));
  if ((active?.n ?? 0) > 0) out.push('active_admission');
  const [student] = await db.select({ n: count() }).from(students).where(eq(students.userId, user.id));
  if ((student?.n ?? 0) > 0) out.push('student_record');
  return out;
}

/** The instant before which a person's last activity makes them due for erasure. */
export function retentionCutoff(ctx: AppContext): Date {
  return new Date(ctx.clock.now().getTime() - ctx.config.retentionDays * DAY_MS);
}

/**
 * Applicants whose last activity (sign-in or own write; else the account's last change) is older
 * than the retention period, and who have no active admission and no student record.
 */
export async function findExpired(ctx: AppContext): Promise<string[]> {
  const cutoff = retentionCutoff(ctx);
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.role, 'applicant'),
        isNull(users.erasedAt),
        sql`coalesce(${users.lastActiveAt}, ${users.updatedAt}) < ${cutoff}`,
        sql`not exists (select 1 from ${admissions} where ${admissions.applicantId} = ${users.id} and ${inArray(admissions.status, ACTIVE_ADMISSION)})`,
        sql`not exists (select 1 from ${students} where ${students.userId} = ${users.id})`,
      ),
    )
    .orderBy(users.id);
  return rows.map((r) => r.id);
}

/** Counts what an erasure of this person would remove, changing nothing (dry run). */
async function countFor(db: Db, userId: string): Promise<Omit<ErasureCounts, 'files'> & { blobKeys: string[] }> {
  const num = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? 0;
  const keys = await db
    .selectDistinct({ key: documentVersions.blobKey })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(eq(documents.ownerId, userId));
  return {
    blobKeys: keys.map((k) => k.key),
    documents: await num(db.select({ n: count() }).from(documents).where(eq(documents.ownerId, userId))),
    versions: await num(
      db
        .select({ n: count() })
        .from(documentVersions)
        .innerJoin(documents, eq(documents.id, documentVersions.documentId))
        .where(eq(documents.ownerId, userId)),
    ),
    dossier: await num(db.select({ n: count() }).from(dossiers).where(eq(dossiers.userId, userId))),
    applicationSnapshots: await num(
      db
        .select({ n: count() })
        .from(applications)
        .where(and(eq(applications.applicantId, userId), isNotNull(applications.snapshot))),
    ),
    visaRequests: await num(db.select({ n: count() }).from(visaCases).where(eq(visaCases.applicantId, userId))),
    consents: await num(
      db
        .select({ n: count() })
        .from(consents)
        .where(and(eq(consents.userId, userId), isNotNull(consents.ip))),
    ),
    agencyNotes: await num(db.select({ n: count() }).from(agencyNotes).where(eq(agencyNotes.applicantId, userId))),
    agencyTasks: await num(db.select({ n: count() }).from(agencyTasks).where(eq(agencyTasks.applicantId, userId))),
    inquiries: await num(db.select({ n: count() }).from(leads).where(eq(leads.applicantId, userId))),
    sessions: await num(db.select({ n: count() }).from(sessions).where(eq(sessions.userId, userId))),
  };
}

/** Blob keys no document version and no attendance justification refers to any more. */
async function unreferenced(db: Db, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const used = new Set([
    ...(
      await db
        .selectDistinct({ key: documentVersions.blobKey })
        .from(documentVersions)
        .where(inArray(documentVersions.blobKey, keys))
    ).map((r) => r.key),
    ...(
      await db
        .selectDistinct({ key: attendance.documentKey })
        .from(attendance)
        .where(inArray(attendance.documentKey, keys))
    ).map((r) => r.key ?? ''),
  ]);
  return keys.filter((k) => !used.has(k));
}

export interface ErasureOptions {
  trigger: 'retention' | 'request';
  /** Retention run: erase only if the person is still inactive since before this instant. */
  inactiveBefore?: Date;
}

/**
 * Erases one person's personal data in one transaction and leaves a tombstone: the account row stays
 * (name 'Erased', address erased-<id>@invalid, disabled, erased_at set) so ids elsewhere still
 * resolve, and one audit entry person.erased records the counts (no personal data). Files no other
 * row refers to are removed after the commit. The audit log keeps its rows: they hold ids, not data.
 * Returns null when the person is no longer due (became active, got an admission) on a retention run.
 */
export async function erasePerson(
  ctx: AppContext,
  userId: string,
  actor: Actor,
  options: ErasureOptions,
): Promise<ErasureCounts | null> {
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw problems.notFound('user');
    const blockers = await blockersOf(tx, user);
    if (options.inactiveBefore) {
      const last = user.lastActiveAt ?? user.updatedAt;
      if (blockers.length > 0 || last >= options.inactiveBefore) return null;
    } else if (blockers.length > 0) {
      throw new ProblemError(409, 'erasure_blocked', 'Erasure refused', {
        detail: `This person's data cannot be erased now: ${blockers.join(', ')}.`,
        errors: blockers.map((code) => ({ field: 'params.id', code, message: BLOCKER_TEXT[code] })),
      });
    }
    const { blobKeys, ...counts } = await countFor(tx, userId);
    await tx.delete(documents).where(eq(documents.ownerId, userId));
    await tx.delete(dossiers).where(eq(dossiers.userId, userId));
    await tx
      .update(applications)
      .set({ snapshot: null, updatedAt: now })
      .where(and(eq(applications.applicantId, userId), isNotNull(applications.snapshot)));
    await tx.update(visaCases).set({ request: {}, updatedAt: now }).where(eq(visaCases.applicantId, userId));
    await tx.update(consents).set({ ip: null }).where(eq(consents.userId, userId));
    await tx.delete(agencyNotes).where(eq(agencyNotes.applicantId, userId));
    await tx.delete(agencyTasks).where(eq(agencyTasks.applicantId, userId));
    await tx
      .update(leads)
      .set({
        name: ERASED_NAME,
        email: erasedEmail(userId),
        phone: null,
        citizenship: null,
        message: '',
        inviteTokenHash: null,
        updatedAt: now,
      })
      .where(eq(leads.applicantId, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(emailTokens).where(eq(emailTokens.userId, userId));
    await tx
      .update(users)
      .set({
        email: erasedEmail(userId),
        fullName: ERASED_NAME,
        // Not a hash: no password ever matches it.
        passwordHash: '!erased',
        disabledAt: user.disabledAt ?? now,
        erasedAt: now,
        updatedAt: now,
      })
      .where(eq(users.id, userId));
    const orphans = await unreferenced(tx, blobKeys);
    const full: ErasureCounts = { ...counts, files: orphans.length };
    await recordAudit(tx, ctx.clock, actor, {
      action: 'person.erased',
      subjectType: 'user',
      subjectId: userId,
      after: { trigger: options.trigger, ...full },
    });
    return { counts: full, orphans };
  });
  if (!result) return null;
  for (const key of result.orphans) {
    // Checked again after the commit: identical content uploaded meanwhile reuses the same file.
    if ((await unreferenced(ctx.db, [key])).length === 1) await ctx.blobs.remove(key);
  }
  return result.counts;
}

const BLOCKER_TEXT: Record<ErasureBlocker, string> = {
  active_admission: 'The person has an active admission (offered, confirmed or enrolled).',
  student_record: 'The person is a student of a university; the register keeps their records.',
  not_applicant: 'Only applicant accounts are erased this way.',
  already_erased: "The person's data has already been erased.",
};

export interface ExpiredRun {
  cutoff: string;
  dryRun: boolean;
  people: { userId: string; counts: ErasureCounts | null }[];
  erased: number;
}

/** Erases everyone due (or, with dryRun, lists them with what would go, changing nothing). */
export async function eraseExpired(ctx: AppContext, options: { dryRun: boolean }): Promise<ExpiredRun> {
  const cutoff = retentionCutoff(ctx);
  const ids = ctx.config.retentionDays > 0 ? await findExpired(ctx) : [];
  const people: ExpiredRun['people'] = [];
  for (const userId of ids) {
    if (options.dryRun) {
      const { blobKeys, ...counts } = await countFor(ctx.db, userId);
      people.push({ userId, counts: { ...counts, files: blobKeys.length } });
    } else {
      const counts = await erasePerson(ctx, userId, SYSTEM_ACTOR, { trigger: 'retention', inactiveBefore: cutoff });
      people.push({ userId, counts });
    }
  }
  return {
    cutoff: cutoff.toISOString(),
    dryRun: options.dryRun,
    people,
    erased: options.dryRun ? 0 : people.filter((p) => p.counts).length,
  };
}

/**
 * The server's daily run: the first call of each UTC day claims the day (shared by every instance
 * through app_meta) and erases what is due; later calls that day do nothing.
 */
export async function runDailyErasure(ctx: AppContext): Promise<ExpiredRun | null> {
  if (ctx.config.retentionDays <= 0) return null;
  const day = ctx.clock.now().toISOString().slice(0, 10);
  const claimed = await ctx.db
    .insert(appMeta)
    .values({ key: 'erasure.last_day', value: day })
    .onConflictDoUpdate({
      target: appMeta.key,
      set: { value: day },
      setWhere: sql`${appMeta.value} <> ${JSON.stringify(day)}::jsonb`,
    })
    .returning({ key: appMeta.key });
  if (claimed.length === 0) return null;
  const run = await eraseExpired(ctx, { dryRun: false });
  if (run.erased > 0) ctx.log?.info({ erased: run.erased, cutoff: run.cutoff }, 'expired personal data erased');
  return run;
}
