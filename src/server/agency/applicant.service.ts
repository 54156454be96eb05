/**
 * One applicant as a consultant of an agency with the applicant's grant sees them: who they are, the
 * scope of the grant, and the agency's consultant in charge of their case.
 */
import { and, eq } from 'drizzle-orm';
import { agencyCases, users } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import type { Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import type { Actor } from '../services/audit.service.js';
import { agencyAccess } from './access.js';

export async function agencyApplicant(ctx: AppContext, principal: Principal | null, applicantId: string, actor: Actor) {
  const { grant, agencyId } = await agencyAccess(ctx, principal, applicantId, 'view', actor);
  const [user] = await ctx.db
    .select({ id: users.id, fullName: users.fullName, email: users.email })
    .from(users)
    .where(eq(users.id, applicantId));
  if (!user) throw problems.notFound('applicant');
  const [row] = await ctx.db
    .select({ id: users.id, fullName: users.fullName })
    .from(agencyCases)
    .innerJoin(users, eq(users.id, agencyCases.consultantId))
    .where(and(eq(agencyCases.agencyId, agencyId), eq(agencyCases.applicantId, applicantId)));
  return { user, scope: grant.scope, consultant: row ?? null };
}
