/**
 * The public "ask a consultant" form (S0-8) and the leads it creates: protected against automated
 * spam without third-party services (a signed form token that must be at least a few seconds old,
 * a honeypot field, a link limit, rate limits per address and per e-mail), routed to an agency that
 * partners with the university (the one with the fewest open leads), or to the default queue that
 * administrators route. The person gets an acknowledgment e-mail in their language.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { agencies, agencyUniversities, appMeta, leads, programs, universities } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import type { MailMessage } from '../mail/mailer.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { incrementCounter } from '../services/rate-limit.service.js';
import { newSecret, sha256 } from '../services/tokens.js';

export type LeadRow = typeof leads.$inferSelect;

/** A form must be open this long before it is sent (people take longer; scripts do not). */
export const FORM_MIN_AGE_MS = 3_000;
export const FORM_MAX_AGE_MS = 2 * 3_600_000;
export const LEADS_PER_ADDRESS_PER_HOUR = 5;
export const LEADS_PER_EMAIL_PER_DAY = 3;
const MAX_LINKS = 2;

export interface LeadInput {
  name: string;
  email: string;
  phone?: string | undefined;
  citizenship?: string | undefined;
  level?: string | undefined;
  specialty?: string | undefined;
  message: string;
  locale: 'en' | 'ru';
  university?: string | undefined;
  program?: string | undefined;
  formToken: string;
  /** Honeypot: hidden from people, filled by bots. */
  website?: string | undefined;
}

let secretCache: Buffer | null = null;

/** The key that signs form tokens, shared by every instance through the database. */
async function formSecret(ctx: AppContext): Promise<Buffer> {
  if (secretCache) return secretCache;
  await ctx.db
    .insert(appMeta)
    .values({ key: 'lead_form_secret', value: randomBytes(32).toString('hex') })
    .onConflictDoNothing();
  const [row] = await ctx.db.select().from(appMeta).where(eq(appMeta.key, 'lead_form_secret'));
  secretCache = Buffer.from(String(row?.value), 'hex');
  return secretCache;
}

function sign(secret: Buffer, issuedAt: number): string {
  return createHmac('sha256', secret).update(`lead-form:${issuedAt}`).digest('base64url');
}

/** A token for one form: the time it was issued, signed. */
export async function issueFormToken(ctx: AppContext): Promise<string> {
  const issuedAt = ctx.clock.now().getTime();
  return `${issuedAt}.${sign(await formSecret(ctx), issuedAt)}`;
}

async function checkFormToken(ctx: AppContext, token: string): Promise<void> {
  const [at, mac] = token.split('.');
  const issuedAt = Number(at);
  const expected = Number.isFinite(issuedAt) ? sign(await formSecret(ctx), issuedAt) : '';
  const valid = !!mac && expected.length === mac.length && timingSafeEqual(Buffer.from(expected), Buffer.from(mac));
  const age = ctx.clock.now().getTime() - issuedAt;
  if (!valid || age > FORM_MAX_AGE_MS) {
    throw problems.validation([
      {
        field: 'body.formToken',
        code: 'form_expired',
        message: 'The form expired; reload the page and send it again.',
      },
    ]);
  }
  if (age < FORM_MIN_AGE_MS) {
    throw problems.validation([
      { field: 'body.formToken', code: 'form_too_fast', message: 'The form was sent too quickly; wait a moment.' },
    ]);
  }
}

async function throttle(ctx: AppContext, key: string, limit: number, windowMs: number, what: string) {
  const n = await incrementCounter(ctx.db, ctx.clock, key, windowMs);
  if (n > limit) {
    const retryAfter = Math.ceil(windowMs / 1000);
    throw new ProblemError(429, 'too_many_questions', 'Too many questions', {
      detail: `${what} You can ask again later.`,
      headers: { 'retry-after': String(retryAfter) },
    });
  }
}

/** The partner agency with the fewest open leads, or null (the default queue). */
async function routeTo(ctx: AppContext, universityId: string | null): Promise<string | null> {
  if (!universityId) return null;
  const partners = await ctx.db
    .select({ id: agencyUniversities.agencyId })
    .from(agencyUniversities)
    .innerJoin(agencies, eq(agencies.id, agencyUniversities.agencyId))
    .where(eq(agencyUniversities.universityId, universityId))
    .orderBy(asc(agencies.slug));
  if (partners.length === 0) return null;
  const open = await ctx.db
    .select({ agencyId: leads.agencyId, n: count() })
    .from(leads)
    .where(
      and(
        inArray(
          leads.agencyId,
          partners.map((p) => p.id),
        ),
        inArray(leads.status, ['new', 'contacted', 'invited']),
      ),
    )
    .groupBy(leads.agencyId);
  const load = new Map(open.map((o) => [o.agencyId, o.n]));
  return [...partners].sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0))[0]?.id ?? null;
}

function ackMail(lead: LeadRow, agencyName: string | null): MailMessage {
  if (lead.locale === 'ru') {
    return {
      to: lead.email,
      subject: 'Ваш вопрос получен — MedAdmit',
      text: `Здравствуйте, ${lead.name}!\n\nМы получили ваш вопрос${agencyName ? ` и передали его консультантам агентства «${agencyName}»` : ''}. Консультант ответит вам по электронной почте.\n\nВаш вопрос:\n${lead.message}\n\nЕсли вы не отправляли этот вопрос, просто проигнорируйте письмо.\n\nMedAdmit`,
    };
  }
  return {
    to: lead.email,
    subject: 'We received your question — MedAdmit',
    text: `Hello ${lead.name},\n\nwe received your question${agencyName ? ` and passed it to the consultants of ${agencyName}` : ''}. A consultant will answer you by e-mail.\n\nYour question:\n${lead.message}\n\nIf you did not send this question, ignore this message.\n\nMedAdmit`,
  };
}

export async function createLead(ctx: AppContext, input: LeadInput, ip: string): Promise<LeadRow> {
  // A filled honeypot is answered like a success (the bot learns nothing) but nothing is stored.
  await checkFormToken(ctx, input.formToken);
  const links = input.message.match(/https?:\/\/|www\./gi)?.length ?? 0;
  if (links > MAX_LINKS) {
    throw problems.validation([
      { field: 'body.message', code: 'too_many_links', message: `At most ${MAX_LINKS} links in a question.` },
    ]);
  }
  await throttle(ctx, `lead:ip:${ip}`, LEADS_PER_ADDRESS_PER_HOUR, 3_600_000, 'Too many questions from your address.');
  await throttle(
    ctx,
    `lead:email:${input.email.toLowerCase()}`,
    LEADS_PER_EMAIL_PER_DAY,
    86_400_000,
    'Too many questions from this e-mail address today.',
  );
  let universityId: string | null = null;
  let programId: string | null = null;
  if (input.program) {
    const [p] = await ctx.db.select().from(programs).where(eq(programs.slug, input.program));
    if (!p) throw problems.validation([{ field: 'body.program', code: 'unknown_value', message: 'No such program.' }]);
    programId = p.id;
    universityId = p.universityId;
  } else if (input.university) {
    const [u] = await ctx.db.select().from(universities).where(eq(universities.slug, input.university));
    if (!u)
      throw problems.validation([{ field: 'body.university', code: 'unknown_value', message: 'No such university.' }]);
    universityId = u.id;
  }
  const now = ctx.clock.now();
  const base = {
    name: input.name,
    email: input.email,
    phone: input.phone ?? null,
    citizenship: input.citizenship ?? null,
    level: input.level ?? null,
    specialty: input.specialty ?? null,
    message: input.message,
    locale: input.locale,
    universityId,
    programId,
    source: input.program ? `program:${input.program}` : input.university ? `university:${input.university}` : 'site',
    createdAt: now,
    updatedAt: now,
  };
  if (input.website)
    return {
      id: '00000000-0000-0000-0000-000000000000',
      agencyId: null,
      status: 'new',
      consultantId: null,
      applicantId: null,
      inviteTokenHash: null,
      invitedAt: null,
      ...base,
    };
  const agencyId = await routeTo(ctx, universityId);
  const lead = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(leads)
      .values({ ...base, agencyId })
      .returning();
    if (!row) throw new Error('lead insert returned nothing');
    await recordAudit(
      tx,
      ctx.clock,
      { userId: null, ip },
      {
        action: 'lead.created',
        subjectType: 'lead',
        subjectId: row.id,
        after: { agency: agencyId, university: universityId, program: programId },
      },
    );
    return row;
  });
  const [agency] = agencyId ? await ctx.db.select().from(agencies).where(eq(agencies.id, agencyId)) : [];
  try {
    await ctx.mailer.send(ackMail(lead, agency ? (lead.locale === 'ru' ? agency.nameRu : agency.nameEn) : null));
  } catch (error) {
    ctx.log?.error({ err: error }, 'could not send the lead acknowledgment');
  }
  return lead;
}

/** The leads of the consultant's agency (administrators: the default queue, or any agency's). */
export async function listLeads(
  ctx: AppContext,
  principal: Principal | null,
  filter: { status?: string | undefined; queue?: 'default' | undefined },
) {
  if (principal?.role === 'administrator') {
    return ctx.db
      .select()
      .from(leads)
      .where(
        and(
          filter.queue === 'default' ? isNull(leads.agencyId) : undefined,
          filter.status ? eq(leads.status, filter.status) : undefined,
        ),
      )
      .orderBy(sql`${leads.createdAt} desc`)
      .limit(500);
  }
  authorize(principal, 'agency.work', { agencyId: principal?.agencyId ?? null });
  return ctx.db
    .select()
    .from(leads)
    .where(
      and(
        eq(leads.agencyId, principal.agencyId as string),
        filter.status ? eq(leads.status, filter.status) : undefined,
      ),
    )
    .orderBy(sql`${leads.createdAt} desc`)
    .limit(500);
}

export interface LeadOrigin {
  program: { slug: string; name: { en: string; ru: string } } | null;
  university: { slug: string; name: { en: string; ru: string } } | null;
}

/** The program and university pages the leads were asked on, by lead id (names to show instead of slugs). */
export async function leadOrigins(ctx: AppContext, rows: readonly LeadRow[]): Promise<Map<string, LeadOrigin>> {
  const programIds = [...new Set(rows.map((r) => r.programId).filter((id): id is string => !!id))];
  const universityIds = [...new Set(rows.map((r) => r.universityId).filter((id): id is string => !!id))];
  const [programRows, universityRows] = await Promise.all([
    programIds.length
      ? ctx.db
          .select({ id: programs.id, slug: programs.slug, en: programs.titleEn, ru: programs.titleRu })
          .from(programs)
          .where(inArray(programs.id, programIds))
      : [],
    universityIds.length
      ? ctx.db
          .select({ id: universities.id, slug: universities.slug, en: universities.nameEn, ru: universities.nameRu })
          .from(universities)
          .where(inArray(universities.id, universityIds))
      : [],
  ]);
  const program = new Map(programRows.map((p) => [p.id, { slug: p.slug, name: { en: p.en, ru: p.ru } }]));
  const university = new Map(universityRows.map((u) => [u.id, { slug: u.slug, name: { en: u.en, ru: u.ru } }]));
  return new Map(
    rows.map((r) => [
      r.id,
      {
        program: (r.programId && program.get(r.programId)) || null,
        university: (r.universityId && university.get(r.universityId)) || null,
      },
    ]),
  );
}

/** A lead of the principal's agency (404 for any other, never revealing it exists). */
export async function ownLead(ctx: AppContext, principal: Principal | null, id: string): Promise<LeadRow> {
  const [lead] = /^[0-9a-f-]{36}$/.test(id) ? await ctx.db.select().from(leads).where(eq(leads.id, id)) : [];
  authorize(principal, 'agency.work', { agencyId: lead?.agencyId ?? '' }, { hideExistence: true });
  if (!lead) throw problems.notFound('lead');
  return lead;
}

export async function updateLead(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  input: { status?: 'new' | 'contacted' | 'closed' | undefined; consultantId?: string | null | undefined },
  actor: Actor,
): Promise<LeadRow> {
  const lead = await ownLead(ctx, principal, id);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(leads)
      .set({
        ...(input.status ? { status: input.status } : {}),
        ...(input.consultantId !== undefined ? { consultantId: input.consultantId } : {}),
        updatedAt: now,
      })
      .where(eq(leads.id, lead.id))
      .returning();
    await recordAudit(tx, ctx.clock, actor, {
      action: 'lead.updated',
      subjectType: 'lead',
      subjectId: lead.id,
      before: { status: lead.status, consultantId: lead.consultantId },
      after: { status: row?.status, consultantId: row?.consultantId },
    });
    return row as LeadRow;
  });
}

/** Administrators send a default-queue lead (or any lead) to an agency. */
export async function routeLead(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  agencySlug: string,
  actor: Actor,
): Promise<LeadRow> {
  authorize(principal, 'lead.route');
  const [agency] = await ctx.db.select().from(agencies).where(eq(agencies.slug, agencySlug));
  if (!agency) throw problems.validation([{ field: 'body.agency', code: 'unknown_value', message: 'No such agency.' }]);
  const [lead] = /^[0-9a-f-]{36}$/.test(id) ? await ctx.db.select().from(leads).where(eq(leads.id, id)) : [];
  if (!lead) throw problems.notFound('lead');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(leads)
      .set({ agencyId: agency.id, updatedAt: ctx.clock.now() })
      .where(eq(leads.id, id))
      .returning();
    await recordAudit(tx, ctx.clock, actor, {
      action: 'lead.routed',
      subjectType: 'lead',
      subjectId: id,
      before: { agency: lead.agencyId },
      after: { agency: agency.id },
    });
    return row as LeadRow;
  });
}

/**
 * A consultant invites the person behind a lead: an e-mail with a link to register (or sign in) and
 * grant the agency access. Only the token's hash is stored; a new invitation replaces the old one.
 */
export async function inviteLead(ctx: AppContext, principal: Principal | null, id: string, actor: Actor) {
  const lead = await ownLead(ctx, principal, id);
  if (lead.status === 'converted' || lead.status === 'closed') {
    throw problems.conflict('lead_closed', `This lead is ${lead.status}.`);
  }
  const token = newSecret();
  const now = ctx.clock.now();
  const [agency] = await ctx.db
    .select()
    .from(agencies)
    .where(eq(agencies.id, lead.agencyId as string));
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(leads)
      .set({ inviteTokenHash: sha256(token), invitedAt: now, status: 'invited', updatedAt: now })
      .where(eq(leads.id, lead.id));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'lead.invited',
      subjectType: 'lead',
      subjectId: lead.id,
      before: { status: lead.status },
      after: { status: 'invited' },
    });
  });
  const link = `${ctx.config.publicUrl}/agency-invitation?token=${token}`;
  const name = lead.locale === 'ru' ? agency?.nameRu : agency?.nameEn;
  await ctx.mailer.send(
    lead.locale === 'ru'
      ? {
          to: lead.email,
          subject: `Приглашение от агентства «${name}» — MedAdmit`,
          text: `Здравствуйте, ${lead.name}!\n\nКонсультант агентства «${name}» предлагает сопровождать ваше поступление. Зарегистрируйтесь или войдите в MedAdmit и решите, какой доступ к вашим данным дать агентству (только просмотр или просмотр и действия от вашего имени). Доступ можно отозвать в любой момент.\n\n${link}\n\nMedAdmit`,
        }
      : {
          to: lead.email,
          subject: `An invitation from ${name} — MedAdmit`,
          text: `Hello ${lead.name},\n\na consultant of ${name} offers to guide your admission. Register or sign in to MedAdmit and decide what access to your data the agency gets (view only, or view and act for you). You can revoke it at any time.\n\n${link}\n\nMedAdmit`,
        },
  );
  return { invitedAt: now };
}
