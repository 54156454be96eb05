/**
 * What an agency may do for an applicant: nothing without the applicant's active grant; "view" or
 * "act" with it. Checked on every request (a revocation takes effect at once) and, for actions,
 * again inside the action's transaction under a share lock on the grant row, so that a revocation
 * either waits for an action already running or cancels it.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { agencyGrants } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';

export type GrantScope = 'view' | 'act';
export type GrantRow = typeof agencyGrants.$inferSelect;

export async function activeGrant(db: Db, agencyId: string, applicantId: string): Promise<GrantRow | undefined> {
  const [grant] = await db
    .select()
    .from(agencyGrants)
    .where(
      and(
        eq(agencyGrants.agencyId, agencyId),
        eq(agencyGrants.applicantId, applicantId),
        isNull(agencyGrants.revokedAt),
      ),
    );
  return grant;
}

const allows = (grant: GrantRow | undefined, need: GrantScope) => !!grant && (need === 'view' || grant.scope === 'act');

/**
 * The consultant's access to one applicant. A missing grant (or a "view" grant for an action)
 * answers 404 — never revealing that the applicant exists — and the attempt is audited.
 */
export async function agencyAccess(
  ctx: AppContext,
  principal: Principal | null,
  applicantId: string,
  need: GrantScope,
  actor: Actor,
): Promise<{ principal: Principal; agencyId: string; grant: GrantRow }> {
  authorize(principal, 'agency.work', { agencyId: principal?.agencyId ?? null });
  const agencyId = principal.agencyId as string;
  const grant = /^[0-9a-f-]{36}$/.test(applicantId) ? await activeGrant(ctx.db, agencyId, applicantId) : undefined;
  if (!allows(grant, need)) {
    await recordAudit(ctx.db, ctx.clock, actor, {
      action: 'agency.access_refused',
      subjectType: 'user',
      subjectId: applicantId.slice(0, 60),
      after: { agency: agencyId, need, grant: grant?.scope ?? null },
    });
    throw problems.notFound('applicant');
  }
  return { principal, agencyId, grant: grant as GrantRow };
}

/**
 * Inside an action's transaction: the grant must still be active (share-locked until commit, so a
 * concurrent revocation waits). A revoked grant cancels the action with 404.
 */
export async function holdGrant(tx: Db, grantId: string, need: GrantScope): Promise<void> {
  const rows = (
    await tx.execute(sql`select scope from agency_grants where id = ${grantId}::uuid and revoked_at is null for share`)
  ).rows as { scope: string }[];
  if (!allows(rows[0] as GrantRow | undefined, need)) throw problems.notFound('applicant');
}

/** The actor of something a consultant does for an applicant: "consultant X on behalf of applicant Y". */
export function onBehalf(actor: Actor, applicantId: string): Actor {
  return { ...actor, onBehalfOfUserId: applicantId };
}
