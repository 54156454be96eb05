/**
 * A university's register settings (src/domain/register/settings.ts): at-risk thresholds, which
 * alerts go out and when, pass marks. Officers replace them as a whole; each invalid field is named
 * in a 422 answer and nothing is saved. Audited.
 */
import type { ZodError } from 'zod';
import { registerSettings } from '../../db/schema.js';
import { type RegisterSettings, registerSettingsSchema } from '../../domain/register/settings.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { invalidEntries, settingsOf, universityScope } from './register-access.js';

export async function getRegisterSettings(
  ctx: AppContext,
  principal: Principal | null,
  requestedUniversity?: string,
): Promise<RegisterSettings> {
  const universityId = universityScope(principal, requestedUniversity);
  authorize(principal, 'register.manage', { universityId });
  return settingsOf(ctx.db, universityId);
}

/** Zod issues as field problems: `body.atRisk.minAttendanceRate` `too_big`, `body.colour` `unknown_field`. */
function fieldErrors(error: ZodError) {
  return error.issues.flatMap((issue) => {
    const base = ['body', ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({ field: `${base}.${key}`, code: 'unknown_field', message: 'Unknown field.' }));
    return [{ field: base, code: issue.code, message: issue.message }];
  });
}

export async function saveRegisterSettings(
  ctx: AppContext,
  principal: Principal | null,
  body: unknown,
  actor: Actor,
  requestedUniversity?: string,
): Promise<RegisterSettings> {
  const universityId = universityScope(principal, requestedUniversity);
  authorize(principal, 'register.manage', { universityId });
  const parsed = registerSettingsSchema.safeParse(body ?? {});
  if (!parsed.success)
    throw invalidEntries(fieldErrors(parsed.error), 'The settings have invalid fields; nothing was saved.');
  const settings = parsed.data;
  const before = await settingsOf(ctx.db, universityId);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(registerSettings)
      .values({ universityId, settings, updatedBy: principal?.id ?? null, updatedAt: now })
      .onConflictDoUpdate({
        target: registerSettings.universityId,
        set: { settings, updatedBy: principal?.id ?? null, updatedAt: now },
      });
    await recordAudit(tx, ctx.clock, actor, {
      action: 'register.settings.updated',
      subjectType: 'university',
      subjectId: universityId,
      before,
      after: settings,
    });
  });
  return settings;
}
