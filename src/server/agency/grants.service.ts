/**
 * The applicant's side of the agency relationship: an invitation (from a lead) or an agency chosen
 * by name, an explicit grant with a scope ("view", or "view and act"), and revocation at any time.
 * A revocation waits for an action already holding the grant and takes effect for every later one.
 */
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { agencies, agencyCases, agencyGrants, leads } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { sha256 } from '../services/tokens.js';
import type { GrantScope } from './access.js';

const invitationUsed = () =>
  new ProblemError(410, 'invitation_used', 'Invitation already used', {
    detail: 'This invitation was already used. Access granted through it is listed on the applicant’s account page.',
  });

/**
 * The lead behind an invitation link. The token's hash stays on the lead after it is used, so that
 * reopening the link says "already used" (410) rather than "no such invitation" (404).
 */
async function leadByToken(ctx: AppContext, token: string) {
  const [lead] = await ctx.db
    .select()
    .from(leads)
    .where(eq(leads.inviteTokenHash, sha256(token)));
  if (!lead?.agencyId || lead.status === 'closed') throw problems.notFound('invitation');
  if (lead.status === 'converted') throw invitationUsed();
  return lead;
}

/** What an invitation link shows before the applicant decides: the agency only. */
export async function invitationPreview(ctx: AppContext, token: string) {
  const lead = await leadByToken(ctx, token);
  const [agency] = await ctx.db
    .select()
    .from(agencies)
    .where(eq(agencies.id, lead.agencyId as string));
  if (!agency) throw problems.notFound('invitation');
  return { agency: { slug: agency.slug, name: { en: agency.nameEn, ru: agency.nameRu } } };
}

export async function listMyGrants(ctx: AppContext, applicantId: string) {
  return ctx.db
    .select({ grant: agencyGrants, agency: agencies })
    .from(agencyGrants)
    .innerJoin(agencies, eq(agencies.id, agencyGrants.agencyId))
    .where(eq(agencyGrants.applicantId, applicantId))
    .orderBy(desc(agencyGrants.grantedAt));
}

/** Grants (or changes the scope of) an agency's access; with an invitation token, the lead is linked. */
export async function grantAccess(
  ctx: AppContext,
  principal: Principal | null,
  input: { invitation?: string | undefined; agency?: string | undefined; scope: GrantScope },
  actor: Actor,
) {
  authorize(principal, 'dossier.write', { userId: principal?.id ?? '' });
  const lead = input.invitation ? await leadByToken(ctx, input.invitation) : null;
  const [agency] = lead
    ? await ctx.db
        .select()
        .from(agencies)
        .where(eq(agencies.id, lead.agencyId as string))
    : input.agency
      ? await ctx.db.select().from(agencies).where(eq(agencies.slug, input.agency))
      : [];
  if (!agency) {
    throw problems.validation([
      {
        field: input.invitation ? 'body.invitation' : 'body.agency',
        code: 'unknown_value',
        message: 'No such agency.',
      },
    ]);
  }
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(agencyGrants)
      .where(
        and(
          eq(agencyGrants.agencyId, agency.id),
          eq(agencyGrants.applicantId, principal.id),
          isNull(agencyGrants.revokedAt),
        ),
      )
      .for('update');
    if (current) await tx.update(agencyGrants).set({ revokedAt: now }).where(eq(agencyGrants.id, current.id));
    const [grant] = await tx
      .insert(agencyGrants)
      .values({ agencyId: agency.id, applicantId: principal.id, scope: input.scope, grantedAt: now })
      .returning();
    await tx
      .insert(agencyCases)
      .values({
        agencyId: agency.id,
        applicantId: principal.id,
        consultantId: lead?.consultantId ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing();
    if (lead) {
      // Guarded by the status, so two people racing with the same link cannot both convert it.
      const converted = await tx
        .update(leads)
        .set({ status: 'converted', applicantId: principal.id, updatedAt: now })
        .where(and(eq(leads.id, lead.id), ne(leads.status, 'converted')))
        .returning({ id: leads.id });
      if (converted.length === 0) throw invitationUsed();
    }
    await recordAudit(tx, ctx.clock, actor, {
      action: 'agency.granted',
      subjectType: 'user',
      subjectId: principal.id,
      before: current ? { agency: agency.id, scope: current.scope } : null,
      after: { agency: agency.id, scope: input.scope, lead: lead?.id ?? null },
    });
    return { grant: grant as typeof agencyGrants.$inferSelect, agency };
  });
}

/** Revokes a grant at once: the agency loses access for every request that starts after this. */
export async function revokeGrant(ctx: AppContext, principal: Principal | null, grantId: string, actor: Actor) {
  authorize(principal, 'dossier.write', { userId: principal?.id ?? '' });
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [grant] = /^[0-9a-f-]{36}$/.test(grantId)
      ? await tx
          .select()
          .from(agencyGrants)
          .where(and(eq(agencyGrants.id, grantId), eq(agencyGrants.applicantId, principal.id)))
          .for('update')
      : [];
    if (!grant) throw problems.notFound('grant');
    if (grant.revokedAt) return;
    await tx.update(agencyGrants).set({ revokedAt: now }).where(eq(agencyGrants.id, grant.id));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'agency.revoked',
      subjectType: 'user',
      subjectId: principal.id,
      before: { agency: grant.agencyId, scope: grant.scope },
      after: { revokedAt: now.toISOString() },
    });
  });
}
