import { createHash } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { consents } from '../../db/schema.js';
import {
  type ConsentLocale,
  type ConsentPurpose,
  consentTextShown,
  consentTextVersion,
  currentConsentText,
} from '../../domain/consent/texts.js';
import type { AppContext } from '../context.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';

export type ConsentRow = typeof consents.$inferSelect;

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function listConsents(db: Db, userId: string): Promise<ConsentRow[]> {
  return db.select().from(consents).where(eq(consents.userId, userId)).orderBy(asc(consents.givenAt));
}

export async function activeConsent(db: Db, userId: string, purpose: ConsentPurpose): Promise<ConsentRow | undefined> {
  const [row] = await db
    .select()
    .from(consents)
    .where(and(eq(consents.userId, userId), eq(consents.purpose, purpose), isNull(consents.withdrawnAt)))
    .limit(1);
  return row;
}

/** Refuses the processing of health data (a medical report upload) without the person's active consent. */
export async function requireHealthConsent(db: Db, userId: string): Promise<void> {
  if (await activeConsent(db, userId, 'health_data')) return;
  throw new ProblemError(409, 'health_consent_required', 'Consent required', {
    detail: 'Uploading a medical report needs your consent to the processing of health data (purpose health_data).',
  });
}

/**
 * Records that the person agreed to the current text of a purpose, as shown in `locale`: the version,
 * the SHA-256 of those exact words, the time and the address. Agreeing again to the same version while
 * the consent is active changes nothing (the existing record is returned).
 */
export async function giveConsent(
  ctx: AppContext,
  userId: string,
  input: { purpose: ConsentPurpose; textVersion: string; locale: ConsentLocale },
  actor: Actor,
): Promise<{ consent: ConsentRow; created: boolean }> {
  const current = currentConsentText(input.purpose);
  if (input.textVersion !== current.version) {
    const known = consentTextVersion(input.purpose, input.textVersion);
    throw problems.validation([
      {
        field: 'body.textVersion',
        code: known ? 'outdated' : 'unknown_value',
        message: `Agree to the current text, version ${current.version}.`,
      },
    ]);
  }
  return ctx.db.transaction(async (tx) => {
    const existing = await activeConsent(tx, userId, input.purpose);
    if (existing && existing.textVersion === current.version) return { consent: existing, created: false };
    const [consent] = await tx
      .insert(consents)
      .values({
        userId,
        purpose: input.purpose,
        textVersion: current.version,
        textSha256: sha256Text(consentTextShown(current, input.locale)),
        locale: input.locale,
        givenAt: ctx.clock.now(),
        ip: actor.ip ?? null,
      })
      .returning();
    if (!consent) throw new Error('consent insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'consent.given',
      subjectType: 'consent',
      subjectId: consent.id,
      after: { userId, purpose: consent.purpose, textVersion: consent.textVersion, textSha256: consent.textSha256 },
    });
    return { consent, created: true };
  });
}

/** Withdraws one of the person's consents (others' answer 404); the record stays, with the time. */
export async function withdrawConsent(ctx: AppContext, userId: string, id: string, actor: Actor): Promise<ConsentRow> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(consents)
      .where(and(eq(consents.id, id), eq(consents.userId, userId)))
      .for('update');
    if (!row) throw problems.notFound('consent');
    if (row.withdrawnAt) return row;
    const [updated] = await tx
      .update(consents)
      .set({ withdrawnAt: ctx.clock.now() })
      .where(eq(consents.id, id))
      .returning();
    if (!updated) throw problems.notFound('consent');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'consent.withdrawn',
      subjectType: 'consent',
      subjectId: id,
      before: { withdrawn: false },
      after: { userId, purpose: row.purpose, textVersion: row.textVersion, withdrawn: true },
    });
    return updated;
  });
}
