/**
 * The adaptation checklist after arrival. Universities configure templates per citizenship ('*' for
 * everyone else; a built-in default, to verify, when none is set). A student's items are created
 * when their visa case reaches "arrived" (lazily: the first time anything looks, or by the reminder
 * job), or when a consultant or an officer starts them with an arrival date. Due dates count from
 * the arrival (working days where the item says so).
 */
import { and, asc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  adaptationItems,
  adaptationTemplates,
  admissions,
  agencyCases,
  campaigns,
  dossiers,
  universities,
  users,
  visaCases,
} from '../../db/schema.js';
import {
  DEFAULT_ADAPTATION_ITEMS,
  itemDueAt,
  pickTemplate,
  storedItems,
  type TAdaptationItem,
  type TAdaptationTemplate,
} from '../../domain/agency/adaptation.js';
import { ACTIVE_ADMISSION_STATUSES } from '../../domain/agency/stages.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit, SYSTEM_ACTOR } from '../services/audit.service.js';
import { agencyAccess, holdGrant, onBehalf } from './access.js';

type ItemRow = typeof adaptationItems.$inferSelect;
type UniversityRow = typeof universities.$inferSelect;

export const DEFAULT_TEMPLATE_NOTE =
  'Built-in default: the university has not configured its adaptation checklist. Verify every deadline with its international office.';

async function universityBySlug(db: Db, slug: string): Promise<UniversityRow> {
  const [u] = await db
    .select()
    .from(universities)
    .where(
      /^[0-9a-f-]{36}$/.test(slug)
        ? or(eq(universities.slug, slug), eq(universities.id, slug))
        : eq(universities.slug, slug),
    );
  if (!u) throw problems.notFound('university');
  return u;
}

async function templatesOf(db: Db, universityIds: readonly string[]) {
  if (universityIds.length === 0) return [];
  const rows = await db
    .select()
    .from(adaptationTemplates)
    .where(inArray(adaptationTemplates.universityId, [...universityIds]))
    .orderBy(asc(adaptationTemplates.country));
  return rows.map((r) => ({ ...r, items: storedItems(r.items) }));
}

// ---------- Templates (officers of the university, administrators) ----------

export async function getTemplates(ctx: AppContext, principal: Principal | null, slug: string) {
  const university = await universityBySlug(ctx.db, slug);
  authorize(principal, 'adaptation.configure', { universityId: university.id });
  const rows = await templatesOf(ctx.db, [university.id]);
  return {
    templates: rows.map((r) => ({ country: r.country, items: r.items, updatedAt: r.updatedAt.toISOString() })),
    default: { note: DEFAULT_TEMPLATE_NOTE, items: [...DEFAULT_ADAPTATION_ITEMS] },
  };
}

/** Replaces every template of the university (audited). Items already created for students keep their dates. */
export async function saveTemplates(
  ctx: AppContext,
  principal: Principal | null,
  slug: string,
  templates: TAdaptationTemplate[],
  actor: Actor,
) {
  const university = await universityBySlug(ctx.db, slug);
  authorize(principal, 'adaptation.configure', { universityId: university.id });
  const countries = new Set<string>();
  templates.forEach((t, i) => {
    if (countries.has(t.country)) {
      throw problems.validation([
        {
          field: `body.templates.${i}.country`,
          code: 'invalid_value',
          message: 'One template per country.',
        },
      ]);
    }
    countries.add(t.country);
  });
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const before = await tx
      .select()
      .from(adaptationTemplates)
      .where(eq(adaptationTemplates.universityId, university.id))
      .for('update');
    await tx.delete(adaptationTemplates).where(eq(adaptationTemplates.universityId, university.id));
    if (templates.length > 0) {
      await tx
        .insert(adaptationTemplates)
        .values(
          templates.map((t) => ({ universityId: university.id, country: t.country, items: t.items, updatedAt: now })),
        );
    }
    await recordAudit(tx, ctx.clock, actor, {
      action: 'adaptation.templates_saved',
      subjectType: 'university',
      subjectId: university.id,
      before: before.map((b) => ({ country: b.country, items: b.items })),
      after: templates,
    });
  });
  return getTemplates(ctx, principal, slug);
}

// ---------- Creating a student's items ----------

async function citizenshipOf(db: Db, applicantId: string): Promise<string | null> {
  const [row] = await db
    .select({ citizenship: sql<string | null>`${dossiers.data}->>'citizenship'` })
    .from(dossiers)
    .where(eq(dossiers.userId, applicantId));
  return row?.citizenship ?? null;
}

/**
 * Creates the student's items for a university from its template, due from `arrivedAt`. With
 * `restart`, items not yet done are re-dated (and will be reminded again); otherwise existing items stay.
 */
export async function instantiateItems(
  tx: Db,
  applicantId: string,
  universityId: string,
  arrivedAt: Date,
  restart: boolean,
): Promise<number> {
  const [templates, citizenship] = await Promise.all([templatesOf(tx, [universityId]), citizenshipOf(tx, applicantId)]);
  const { items } = pickTemplate(templates, citizenship);
  const values = items.map((item) => ({
    applicantId,
    universityId,
    itemId: item.id,
    dueAt: itemDueAt(arrivedAt, item),
  }));
  if (values.length === 0) return 0;
  const insert = tx.insert(adaptationItems).values(values);
  const rows = restart
    ? await insert
        .onConflictDoUpdate({
          target: [adaptationItems.applicantId, adaptationItems.universityId, adaptationItems.itemId],
          set: { dueAt: sql`excluded.due_at`, remindedAt: null },
          setWhere: sql`${adaptationItems.doneAt} is null`,
        })
        .returning()
    : await insert.onConflictDoNothing().returning();
  return rows.length;
}

/**
 * Students whose visa case reached "arrived" (on an active admission) and who have no items for that
 * university yet get them now (all of them, or one applicant's).
 */
export async function ensureArrivedAdaptations(ctx: AppContext, applicantId?: string): Promise<number> {
  const pending = await ctx.db
    .select({
      applicantId: visaCases.applicantId,
      arrivedAt: visaCases.arrivedAt,
      universityId: campaigns.universityId,
    })
    .from(visaCases)
    .innerJoin(admissions, eq(admissions.id, visaCases.admissionId))
    .innerJoin(campaigns, eq(campaigns.id, visaCases.campaignId))
    .where(
      and(
        isNotNull(visaCases.arrivedAt),
        inArray(admissions.status, [...ACTIVE_ADMISSION_STATUSES]),
        applicantId ? eq(visaCases.applicantId, applicantId) : undefined,
        sql`not exists (select 1 from ${adaptationItems} where ${adaptationItems.applicantId} = ${visaCases.applicantId} and ${adaptationItems.universityId} = ${campaigns.universityId})`,
      ),
    )
    .limit(500);
  let created = 0;
  for (const p of pending) {
    created += await ctx.db.transaction(async (tx) => {
      const n = await instantiateItems(tx, p.applicantId, p.universityId, p.arrivedAt as Date, false);
      if (n > 0) {
        await recordAudit(tx, ctx.clock, SYSTEM_ACTOR, {
          action: 'adaptation.started',
          subjectType: 'adaptation',
          subjectId: p.applicantId,
          after: { universityId: p.universityId, arrivedAt: (p.arrivedAt as Date).toISOString(), from: 'visa_case' },
        });
      }
      return n;
    });
  }
  return created;
}

/** Universities where the applicant holds an active admission (offered, confirmed, enrolled). */
async function admittedUniversities(db: Db, applicantId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ universityId: campaigns.universityId })
    .from(admissions)
    .innerJoin(campaigns, eq(campaigns.id, admissions.campaignId))
    .where(and(eq(admissions.applicantId, applicantId), inArray(admissions.status, [...ACTIVE_ADMISSION_STATUSES])));
  return rows.map((r) => r.universityId);
}

const notAdmitted = () =>
  new ProblemError(409, 'not_admitted', 'Not admitted', {
    detail: 'The checklist starts once the applicant holds a place at the university (offered, confirmed or enrolled).',
  });

// ---------- Reading ----------

export interface AdaptationItemView {
  id: string;
  title: { en: string; ru: string };
  dueAt: string;
  workingDays: boolean;
  essential: boolean;
  source: string;
  doneAt: string | null;
  doneBy: string | null;
  overdue: boolean;
}

export interface AdaptationView {
  university: { slug: string; name: { en: string; ru: string } };
  /** The university has configured no template: the built-in default applies (to verify). */
  isDefault: boolean;
  items: AdaptationItemView[];
}

/** Titles (and details) of a student's items from the templates that apply to them. */
async function itemDefinitions(db: Db, applicantId: string, universityIds: readonly string[]) {
  const [templates, citizenship] = await Promise.all([templatesOf(db, universityIds), citizenshipOf(db, applicantId)]);
  const out = new Map<string, { isDefault: boolean; items: Map<string, TAdaptationItem> }>();
  for (const universityId of universityIds) {
    const chosen = pickTemplate(
      templates.filter((t) => t.universityId === universityId),
      citizenship,
    );
    // Items created from an earlier template keep their titles from the default when their id is known there.
    const items = new Map<string, TAdaptationItem>(DEFAULT_ADAPTATION_ITEMS.map((i) => [i.id, i]));
    for (const i of chosen.items) items.set(i.id, i);
    out.set(universityId, { isDefault: chosen.isDefault, items });
  }
  return out;
}

export async function adaptationTitles(ctx: AppContext, applicantId: string, items: ItemRow[]) {
  const defs = await itemDefinitions(ctx.db, applicantId, [...new Set(items.map((i) => i.universityId))]);
  const out = new Map<string, { en: string; ru: string }>();
  for (const i of items) {
    const def = defs.get(i.universityId)?.items.get(i.itemId);
    if (def) out.set(i.itemId, def.title);
  }
  return out;
}

export async function adaptationOf(
  ctx: AppContext,
  applicantId: string,
  onlyUniversity?: string,
): Promise<AdaptationView[]> {
  await ensureArrivedAdaptations(ctx, applicantId);
  const rows = await ctx.db
    .select({
      item: adaptationItems,
      slug: universities.slug,
      nameEn: universities.nameEn,
      nameRu: universities.nameRu,
    })
    .from(adaptationItems)
    .innerJoin(universities, eq(universities.id, adaptationItems.universityId))
    .where(
      and(
        eq(adaptationItems.applicantId, applicantId),
        onlyUniversity ? eq(adaptationItems.universityId, onlyUniversity) : undefined,
      ),
    )
    .orderBy(asc(adaptationItems.dueAt), asc(adaptationItems.itemId));
  const universityIds = [...new Set(rows.map((r) => r.item.universityId))];
  const defs = await itemDefinitions(ctx.db, applicantId, universityIds);
  const now = ctx.clock.now().getTime();
  return universityIds.map((universityId) => {
    const own = rows.filter((r) => r.item.universityId === universityId);
    const first = own[0] as (typeof rows)[number];
    const def = defs.get(universityId);
    return {
      university: { slug: first.slug, name: { en: first.nameEn, ru: first.nameRu } },
      isDefault: def?.isDefault ?? true,
      items: own.map(({ item }) => {
        const d = def?.items.get(item.itemId);
        return {
          id: item.itemId,
          title: d?.title ?? { en: item.itemId, ru: item.itemId },
          dueAt: item.dueAt.toISOString(),
          workingDays: d?.workingDays ?? false,
          essential: d?.essential ?? true,
          source: d?.source ?? '',
          doneAt: item.doneAt?.toISOString() ?? null,
          doneBy: item.doneBy,
          overdue: !item.doneAt && item.dueAt.getTime() < now,
        };
      }),
    };
  });
}

// ---------- Writing ----------

async function markItem(
  ctx: AppContext,
  tx: Db,
  applicantId: string,
  itemId: string,
  university: string | undefined,
  done: boolean,
  by: string | null,
  actor: Actor,
) {
  const rows = await tx
    .select({ item: adaptationItems, slug: universities.slug })
    .from(adaptationItems)
    .innerJoin(universities, eq(universities.id, adaptationItems.universityId))
    .where(and(eq(adaptationItems.applicantId, applicantId), eq(adaptationItems.itemId, itemId)))
    .for('update', { of: adaptationItems });
  const row = university ? rows.find((r) => r.slug === university || r.item.universityId === university) : rows[0];
  if (!row) throw problems.notFound('adaptation item');
  const now = ctx.clock.now();
  const doneAt = done ? (row.item.doneAt ?? now) : null;
  await tx
    .update(adaptationItems)
    .set({ doneAt, doneBy: done ? (row.item.doneBy ?? by) : null })
    .where(
      and(
        eq(adaptationItems.applicantId, applicantId),
        eq(adaptationItems.universityId, row.item.universityId),
        eq(adaptationItems.itemId, itemId),
      ),
    );
  await recordAudit(tx, ctx.clock, actor, {
    action: done ? 'adaptation.item_done' : 'adaptation.item_reopened',
    subjectType: 'adaptation',
    subjectId: applicantId,
    before: { item: itemId, doneAt: row.item.doneAt?.toISOString() ?? null },
    after: { item: itemId, universityId: row.item.universityId, doneAt: doneAt?.toISOString() ?? null },
  });
}

// Consultants (view to read; act to write, on the applicant's behalf).

export async function agencyAdaptation(
  ctx: AppContext,
  principal: Principal | null,
  applicantId: string,
  actor: Actor,
) {
  await agencyAccess(ctx, principal, applicantId, 'view', actor);
  return adaptationOf(ctx, applicantId);
}

export async function agencySetItem(
  ctx: AppContext,
  principal: Principal | null,
  applicantId: string,
  itemId: string,
  input: { done: boolean; university?: string | undefined },
  actor: Actor,
) {
  const { grant } = await agencyAccess(ctx, principal, applicantId, 'act', actor);
  await ensureArrivedAdaptations(ctx, applicantId);
  await ctx.db.transaction(async (tx) => {
    await holdGrant(tx, grant.id, 'act');
    await markItem(
      ctx,
      tx,
      applicantId,
      itemId,
      input.university,
      input.done,
      actor.userId,
      onBehalf(actor, applicantId),
    );
  });
  return adaptationOf(ctx, applicantId);
}

/** A consultant starts the checklist with an arrival date (e.g. a visa-free student who has no visa case). */
export async function agencyStartAdaptation(
  ctx: AppContext,
  principal: Principal | null,
  applicantId: string,
  input: { arrivedAt: string; university?: string | undefined },
  actor: Actor,
) {
  const { grant, agencyId } = await agencyAccess(ctx, principal, applicantId, 'act', actor);
  const universityId = await startingUniversity(ctx, applicantId, input.university);
  const arrivedAt = checkedArrival(ctx, input.arrivedAt);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await holdGrant(tx, grant.id, 'act');
    await instantiateItems(tx, applicantId, universityId, arrivedAt, true);
    // The arrival is also the case's "arrived" stage where the system has no visa case to tell.
    await tx
      .insert(agencyCases)
      .values({
        agencyId,
        applicantId,
        manualStages: { arrived: arrivedAt.toISOString() },
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [agencyCases.agencyId, agencyCases.applicantId],
        set: {
          manualStages: sql`${agencyCases.manualStages} || jsonb_build_object('arrived', ${arrivedAt.toISOString()}::text)`,
          updatedAt: now,
        },
      });
    await recordAudit(tx, ctx.clock, onBehalf(actor, applicantId), {
      action: 'adaptation.started',
      subjectType: 'adaptation',
      subjectId: applicantId,
      after: { universityId, arrivedAt: arrivedAt.toISOString(), from: 'agency', agency: agencyId },
    });
  });
  return adaptationOf(ctx, applicantId);
}

function checkedArrival(ctx: AppContext, value: string): Date {
  const at = new Date(value);
  if (at.getTime() > ctx.clock.now().getTime() + 86_400_000) {
    throw problems.validation([
      { field: 'body.arrivedAt', code: 'in_future', message: 'The arrival cannot be dated in the future.' },
    ]);
  }
  return at;
}

async function startingUniversity(ctx: AppContext, applicantId: string, university: string | undefined) {
  const admitted = await admittedUniversities(ctx.db, applicantId);
  if (university) {
    const u = await ctx.db.select({ id: universities.id }).from(universities).where(eq(universities.slug, university));
    const id = u[0]?.id;
    if (!id) {
      throw problems.validation([{ field: 'body.university', code: 'unknown_value', message: 'No such university.' }]);
    }
    if (!admitted.includes(id)) throw notAdmitted();
    return id;
  }
  if (admitted.length === 0) throw notAdmitted();
  if (admitted.length > 1) {
    throw problems.validation([
      { field: 'body.university', code: 'required', message: 'The applicant holds places at several universities.' },
    ]);
  }
  return admitted[0] as string;
}

// The applicant.

export async function myAdaptation(ctx: AppContext, principal: Principal | null) {
  authorize(principal, 'dossier.read', { userId: principal?.id ?? '' });
  return adaptationOf(ctx, principal.id);
}

export async function mySetItem(
  ctx: AppContext,
  principal: Principal | null,
  itemId: string,
  input: { done: boolean; university?: string | undefined },
  actor: Actor,
) {
  authorize(principal, 'dossier.write', { userId: principal?.id ?? '' });
  await ensureArrivedAdaptations(ctx, principal.id);
  await ctx.db.transaction(async (tx) => {
    await markItem(ctx, tx, principal.id, itemId, input.university, input.done, principal.id, actor);
  });
  return adaptationOf(ctx, principal.id);
}

// Officers of the university.

export async function universityAdaptation(
  ctx: AppContext,
  principal: Principal | null,
  slug: string,
  applicantId: string | undefined,
) {
  const university = await universityBySlug(ctx.db, slug);
  authorize(principal, 'adaptation.configure', { universityId: university.id });
  if (applicantId && !/^[0-9a-f-]{36}$/.test(applicantId)) return [];
  await ensureArrivedAdaptations(ctx, applicantId);
  const people = await ctx.db
    .selectDistinct({ id: users.id, fullName: users.fullName, email: users.email })
    .from(adaptationItems)
    .innerJoin(users, eq(users.id, adaptationItems.applicantId))
    .where(
      and(
        eq(adaptationItems.universityId, university.id),
        applicantId ? eq(adaptationItems.applicantId, applicantId) : undefined,
      ),
    )
    .orderBy(asc(users.fullName))
    .limit(1000);
  const out = [];
  for (const p of people) {
    const [view] = await adaptationOf(ctx, p.id, university.id);
    if (view) out.push({ applicant: p, ...view });
  }
  return out;
}

export async function universityStartAdaptation(
  ctx: AppContext,
  principal: Principal | null,
  slug: string,
  input: { applicantId: string; arrivedAt: string },
  actor: Actor,
) {
  const university = await universityBySlug(ctx.db, slug);
  authorize(principal, 'adaptation.configure', { universityId: university.id });
  const admitted = /^[0-9a-f-]{36}$/.test(input.applicantId)
    ? await admittedUniversities(ctx.db, input.applicantId)
    : [];
  if (!admitted.includes(university.id)) throw notAdmitted();
  const arrivedAt = checkedArrival(ctx, input.arrivedAt);
  await ctx.db.transaction(async (tx) => {
    await instantiateItems(tx, input.applicantId, university.id, arrivedAt, true);
    await recordAudit(tx, ctx.clock, actor, {
      action: 'adaptation.started',
      subjectType: 'adaptation',
      subjectId: input.applicantId,
      after: { universityId: university.id, arrivedAt: arrivedAt.toISOString(), from: 'university' },
    });
  });
  const [view] = await adaptationOf(ctx, input.applicantId, university.id);
  return view as AdaptationView;
}
