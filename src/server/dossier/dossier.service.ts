import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { applications, campaigns, dossiers } from '../../db/schema.js';
import { type TDossier, ZDossier } from '../../domain/dossier/dossier.schema.js';
import type { AppContext } from '../context.js';
import { type Actor, recordAudit } from '../services/audit.service.js';

/** Universities whose campaigns have a submitted (or withdrawn) application of this applicant. */
export async function appliedUniversities(db: Db, applicantId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ universityId: campaigns.universityId })
    .from(applications)
    .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
    .where(and(eq(applications.applicantId, applicantId), isNotNull(applications.submittedAt)));
  return rows.map((r) => r.universityId);
}

export async function getDossier(
  ctx: AppContext,
  userId: string,
): Promise<{ dossier: TDossier | null; updatedAt: Date | null }> {
  const [row] = await ctx.db.select().from(dossiers).where(eq(dossiers.userId, userId));
  if (!row) return { dossier: null, updatedAt: null };
  // Stored dossiers were valid when saved; parsing again fills defaults added by later versions.
  const parsed = ZDossier.safeParse(row.data);
  return { dossier: parsed.success ? parsed.data : (row.data as TDossier), updatedAt: row.updatedAt };
}

/** Saves the whole dossier; the audit entry names the sections that changed, not their contents. */
export async function saveDossier(ctx: AppContext, userId: string, dossier: TDossier, actor: Actor): Promise<TDossier> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(dossiers).where(eq(dossiers.userId, userId));
    const previous = (before?.data ?? {}) as Record<string, unknown>;
    const changed = Object.keys(dossier).filter(
      (key) => JSON.stringify(previous[key]) !== JSON.stringify((dossier as Record<string, unknown>)[key]),
    );
    await tx
      .insert(dossiers)
      .values({ userId, data: dossier, updatedAt: now })
      .onConflictDoUpdate({ target: dossiers.userId, set: { data: dossier, updatedAt: now } });
    if (changed.length > 0) {
      await recordAudit(tx, ctx.clock, actor, {
        action: before ? 'dossier.updated' : 'dossier.created',
        subjectType: 'dossier',
        subjectId: userId,
        after: { sections: changed },
      });
    }
  });
  return dossier;
}

export async function dossiersOf(ctx: AppContext, userIds: string[]): Promise<Map<string, TDossier>> {
  if (userIds.length === 0) return new Map();
  const rows = await ctx.db.select().from(dossiers).where(inArray(dossiers.userId, userIds));
  return new Map(rows.map((r) => [r.userId, r.data as TDossier]));
}
