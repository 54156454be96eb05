/**
 * The agency pipeline: each applicant who granted the agency access, at the furthest stage reached
 * (derived from the system's own states, or set by hand), with the assigned consultant and the next
 * task; plus the per-applicant timeline. Lists only ever contain applicants with an ACTIVE grant to
 * the principal's agency.
 */
import { and, asc, eq, inArray, isNotNull, isNull, min, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  adaptationItems,
  admissions,
  agencyCases,
  agencyGrants,
  agencyNotes,
  agencyTasks,
  applicationEvents,
  applications,
  auditLog,
  campaigns,
  competitions,
  documents,
  dossiers,
  enrollmentOrders,
  leads,
  universities,
  users,
  visaCases,
} from '../../db/schema.js';
import {
  ACTIVE_ADMISSION_STATUSES,
  type DerivedStages,
  deriveStages,
  emptyFacts,
  type Stage,
  type StageFacts,
} from '../../domain/agency/stages.js';
import type { AppContext } from '../context.js';
import { authorize, type Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { agencyAccess, holdGrant, onBehalf } from './access.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export interface UniversityRef {
  id: string;
  slug: string;
  name: { en: string; ru: string };
}

/** The agency's principal: consultants of one agency only (403 otherwise). */
export function agencyOf(principal: Principal | null): { principal: Principal; agencyId: string } {
  authorize(principal, 'agency.work', { agencyId: principal?.agencyId ?? null });
  return { principal, agencyId: principal.agencyId as string };
}

/** Applicants with an active grant to the agency (optionally only some of them). */
export async function grantedApplicants(db: Db, agencyId: string, only?: readonly string[]) {
  if (only && only.length === 0) return [];
  return db
    .select({
      id: users.id,
      fullName: users.fullName,
      email: users.email,
      locale: users.locale,
      scope: agencyGrants.scope,
      grantedAt: agencyGrants.grantedAt,
    })
    .from(agencyGrants)
    .innerJoin(users, eq(users.id, agencyGrants.applicantId))
    .where(
      and(
        eq(agencyGrants.agencyId, agencyId),
        isNull(agencyGrants.revokedAt),
        only ? inArray(agencyGrants.applicantId, [...only]) : undefined,
      ),
    )
    .orderBy(asc(users.fullName));
}

export interface ApplicantFacts {
  facts: StageFacts;
  citizenship: string | null;
  /** Universities with a submitted application. */
  universities: UniversityRef[];
  consultantId: string | null;
}

/** Everything the stage derivation needs, for many applicants at once (a handful of queries). */
export async function loadFacts(
  db: Db,
  agencyId: string,
  ids: readonly string[],
): Promise<Map<string, ApplicantFacts>> {
  const out = new Map<string, ApplicantFacts>();
  for (const id of ids) {
    out.set(id, { facts: emptyFacts(), citizenship: null, universities: [], consultantId: null });
  }
  if (ids.length === 0) return out;
  const list = [...ids];
  const get = (id: string) => out.get(id) as ApplicantFacts;

  const [leadRows, dossierRows, firstSaves, appRows, admissionRows, visaRows, itemRows, caseRows] = await Promise.all([
    db
      .select({ applicantId: leads.applicantId, at: min(leads.createdAt) })
      .from(leads)
      .where(and(eq(leads.agencyId, agencyId), inArray(leads.applicantId, list)))
      .groupBy(leads.applicantId),
    db
      .select({
        userId: dossiers.userId,
        updatedAt: dossiers.updatedAt,
        citizenship: sql<string | null>`${dossiers.data}->>'citizenship'`,
      })
      .from(dossiers)
      .where(inArray(dossiers.userId, list)),
    db
      .select({ subjectId: auditLog.subjectId, at: min(auditLog.at) })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.subjectType, 'dossier'),
          eq(auditLog.action, 'dossier.created'),
          inArray(auditLog.subjectId, list),
        ),
      )
      .groupBy(auditLog.subjectId),
    db
      .select({
        applicantId: applications.applicantId,
        submittedAt: applications.submittedAt,
        universityId: universities.id,
        slug: universities.slug,
        nameEn: universities.nameEn,
        nameRu: universities.nameRu,
      })
      .from(applications)
      .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
      .innerJoin(universities, eq(universities.id, campaigns.universityId))
      .where(and(inArray(applications.applicantId, list), isNotNull(applications.submittedAt))),
    db
      .select({
        admission: admissions,
        funding: competitions.funding,
        universityId: campaigns.universityId,
        orderIssuedAt: enrollmentOrders.issuedAt,
      })
      .from(admissions)
      .innerJoin(competitions, eq(competitions.id, admissions.competitionId))
      .innerJoin(campaigns, eq(campaigns.id, admissions.campaignId))
      .leftJoin(enrollmentOrders, eq(enrollmentOrders.id, admissions.orderId))
      .where(inArray(admissions.applicantId, list)),
    db
      .select({ visa: visaCases, universityId: campaigns.universityId })
      .from(visaCases)
      .innerJoin(admissions, eq(admissions.id, visaCases.admissionId))
      .innerJoin(campaigns, eq(campaigns.id, visaCases.campaignId))
      .where(and(inArray(visaCases.applicantId, list), inArray(admissions.status, [...ACTIVE_ADMISSION_STATUSES]))),
    db.select().from(adaptationItems).where(inArray(adaptationItems.applicantId, list)),
    db
      .select()
      .from(agencyCases)
      .where(and(eq(agencyCases.agencyId, agencyId), inArray(agencyCases.applicantId, list))),
  ]);

  for (const r of leadRows)
    if (r.applicantId && out.has(r.applicantId)) get(r.applicantId).facts.leadCreatedAt = iso(r.at);
  const firstSave = new Map(firstSaves.map((r) => [r.subjectId, r.at]));
  for (const r of dossierRows) {
    const a = get(r.userId);
    a.citizenship = r.citizenship;
    a.facts.dossierSavedAt = iso(firstSave.get(r.userId) ?? r.updatedAt);
  }
  for (const r of appRows) {
    const a = get(r.applicantId);
    a.facts.applications.push({ universityId: r.universityId, submittedAt: iso(r.submittedAt) });
    if (!a.universities.some((u) => u.id === r.universityId)) {
      a.universities.push({ id: r.universityId, slug: r.slug, name: { en: r.nameEn, ru: r.nameRu } });
    }
  }
  for (const r of admissionRows) {
    get(r.admission.applicantId).facts.admissions.push({
      universityId: r.universityId,
      status: r.admission.status,
      funding: r.funding,
      createdAt: r.admission.createdAt.toISOString(),
      prepaymentConfirmedAt: iso(r.admission.prepaymentConfirmedAt),
      confirmedAt: iso(r.admission.confirmedAt),
      enrolledAt: r.admission.status === 'enrolled' ? iso(r.orderIssuedAt ?? r.admission.updatedAt) : null,
    });
  }
  for (const r of visaRows) {
    get(r.visa.applicantId).facts.visaCases.push({
      universityId: r.universityId,
      requestedAt: iso(r.visa.requestedAt),
      invitationIssuedAt: iso(r.visa.invitationIssuedAt),
      visaIssuedAt: iso(r.visa.visaIssuedAt),
      arrivedAt: iso(r.visa.arrivedAt),
      registeredAt: iso(r.visa.registeredAt),
    });
  }
  for (const r of itemRows) {
    get(r.applicantId).facts.adaptation.push({
      universityId: r.universityId,
      itemId: r.itemId,
      doneAt: iso(r.doneAt),
    });
  }
  for (const r of caseRows) {
    const a = get(r.applicantId);
    a.facts.manual = { ...(r.manualStages ?? {}) };
    a.consultantId = r.consultantId;
  }
  return out;
}

export interface PipelineItem {
  id: string;
  fullName: string;
  email: string;
  citizenship: string | null;
  scope: 'view' | 'act';
  stage: { stage: Stage; reachedAt: string } | null;
  universities: { slug: string; name: { en: string; ru: string } }[];
  consultant: { id: string; fullName: string } | null;
  openTasks: number;
  nextTask: { id: string; title: string; dueAt: string } | null;
}

export interface PipelineFilter {
  stage?: Stage | undefined;
  university?: string | undefined;
  consultant?: string | undefined;
  q?: string | undefined;
}

export async function listPipeline(
  ctx: AppContext,
  principal: Principal | null,
  filter: PipelineFilter,
): Promise<PipelineItem[]> {
  const { agencyId } = agencyOf(principal);
  const granted = await grantedApplicants(ctx.db, agencyId);
  const ids = granted.map((g) => g.id);
  const [facts, consultants, tasks] = await Promise.all([
    loadFacts(ctx.db, agencyId, ids),
    ctx.db
      .select({ id: users.id, fullName: users.fullName })
      .from(users)
      .where(and(eq(users.agencyId, agencyId), eq(users.role, 'consultant'))),
    ids.length === 0
      ? Promise.resolve([])
      : ctx.db
          .select({
            id: agencyTasks.id,
            applicantId: agencyTasks.applicantId,
            title: agencyTasks.title,
            dueAt: agencyTasks.dueAt,
          })
          .from(agencyTasks)
          .where(
            and(eq(agencyTasks.agencyId, agencyId), isNull(agencyTasks.doneAt), inArray(agencyTasks.applicantId, ids)),
          )
          .orderBy(asc(agencyTasks.dueAt)),
  ]);
  const consultantName = new Map(consultants.map((c) => [c.id, c.fullName]));
  const q = filter.q?.trim().toLowerCase();
  const items: PipelineItem[] = [];
  for (const g of granted) {
    const f = facts.get(g.id) as ApplicantFacts;
    const derived = deriveStages(f.facts);
    const own = tasks.filter((t) => t.applicantId === g.id);
    const next = own[0];
    const item: PipelineItem = {
      id: g.id,
      fullName: g.fullName,
      email: g.email,
      citizenship: f.citizenship,
      scope: g.scope as 'view' | 'act',
      stage: derived.current,
      universities: f.universities.map((u) => ({ slug: u.slug, name: u.name })),
      consultant:
        f.consultantId && consultantName.has(f.consultantId)
          ? { id: f.consultantId, fullName: consultantName.get(f.consultantId) as string }
          : null,
      openTasks: own.length,
      nextTask: next ? { id: next.id, title: next.title, dueAt: next.dueAt.toISOString() } : null,
    };
    if (filter.stage && item.stage?.stage !== filter.stage) continue;
    if (filter.university && !f.universities.some((u) => u.slug === filter.university || u.id === filter.university))
      continue;
    if (filter.consultant === 'none' && item.consultant) continue;
    if (filter.consultant && filter.consultant !== 'none' && item.consultant?.id !== filter.consultant) continue;
    if (q && !item.fullName.toLowerCase().includes(q) && !item.email.toLowerCase().includes(q)) continue;
    items.push(item);
  }
  return items;
}

/** The stages of one applicant the agency may see (view). */
export async function applicantStages(
  ctx: AppContext,
  principal: Principal | null,
  applicantId: string,
  actor: Actor,
): Promise<DerivedStages> {
  const { agencyId } = await agencyAccess(ctx, principal, applicantId, 'view', actor);
  const facts = await loadFacts(ctx.db, agencyId, [applicantId]);
  return deriveStages((facts.get(applicantId) as ApplicantFacts).facts);
}

/** Sets (or clears) a stage by hand, for a stage the system cannot see (act; audited on the applicant's behalf). */
export async function setManualStage(
  ctx: AppContext,
  principal: Principal | null,
  applicantId: string,
  stage: Stage,
  input: { reached: boolean; at?: string | undefined },
  actor: Actor,
): Promise<DerivedStages> {
  const { agencyId, grant } = await agencyAccess(ctx, principal, applicantId, 'act', actor);
  const now = ctx.clock.now();
  const at = input.at ? new Date(input.at) : now;
  if (input.reached && at.getTime() > now.getTime() + 86_400_000) {
    throw problems.validation([
      { field: 'body.at', code: 'in_future', message: 'A stage cannot be dated in the future.' },
    ]);
  }
  await ctx.db.transaction(async (tx) => {
    await holdGrant(tx, grant.id, 'act');
    await tx
      .insert(agencyCases)
      .values({ agencyId, applicantId, createdAt: now, updatedAt: now })
      .onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(agencyCases)
      .where(and(eq(agencyCases.agencyId, agencyId), eq(agencyCases.applicantId, applicantId)))
      .for('update');
    const before = { ...(row?.manualStages ?? {}) };
    const after = { ...before };
    if (input.reached) after[stage] = at.toISOString();
    else delete after[stage];
    await tx
      .update(agencyCases)
      .set({ manualStages: after, updatedAt: now })
      .where(and(eq(agencyCases.agencyId, agencyId), eq(agencyCases.applicantId, applicantId)));
    await recordAudit(tx, ctx.clock, onBehalf(actor, applicantId), {
      action: 'agency.stage_set',
      subjectType: 'user',
      subjectId: applicantId,
      before: { agency: agencyId, stage, at: before[stage] ?? null },
      after: { agency: agencyId, stage, at: after[stage] ?? null },
    });
  });
  const facts = await loadFacts(ctx.db, agencyId, [applicantId]);
  return deriveStages((facts.get(applicantId) as ApplicantFacts).facts);
}

/** Assigns a consultant of the same agency (or nobody) to the applicant's case (audited). */
export async function assignConsultant(
  ctx: AppContext,
  principal: Principal | null,
  applicantId: string,
  consultantId: string | null,
  actor: Actor,
): Promise<{ consultant: { id: string; fullName: string } | null }> {
  const { agencyId, grant } = await agencyAccess(ctx, principal, applicantId, 'view', actor);
  const consultant = consultantId ? await agencyConsultant(ctx.db, agencyId, consultantId) : null;
  if (consultantId && !consultant) {
    throw problems.validation([
      {
        field: 'body.consultantId',
        code: 'unknown_value',
        message: 'Choose an active consultant of your agency.',
      },
    ]);
  }
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await holdGrant(tx, grant.id, 'view');
    const [before] = await tx
      .select()
      .from(agencyCases)
      .where(and(eq(agencyCases.agencyId, agencyId), eq(agencyCases.applicantId, applicantId)))
      .for('update');
    await tx
      .insert(agencyCases)
      .values({ agencyId, applicantId, consultantId, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({
        target: [agencyCases.agencyId, agencyCases.applicantId],
        set: { consultantId, updatedAt: now },
      });
    await recordAudit(tx, ctx.clock, actor, {
      action: 'agency.case_assigned',
      subjectType: 'user',
      subjectId: applicantId,
      before: { agency: agencyId, consultantId: before?.consultantId ?? null },
      after: { agency: agencyId, consultantId },
    });
  });
  return { consultant: consultant ? { id: consultant.id, fullName: consultant.fullName } : null };
}

/** An active consultant of the agency, or undefined. */
export async function agencyConsultant(db: Db, agencyId: string, userId: string) {
  if (!/^[0-9a-f-]{36}$/.test(userId)) return undefined;
  const [row] = await db
    .select()
    .from(users)
    .where(
      and(eq(users.id, userId), eq(users.agencyId, agencyId), eq(users.role, 'consultant'), isNull(users.disabledAt)),
    );
  return row;
}

// ---------- Timeline ----------

export interface TimelineEvent {
  at: string;
  type: string;
  summary: string;
  actor: { id: string; fullName: string } | null;
  /** The actor acted for the applicant (a consultant on their behalf). */
  onBehalf: boolean;
  data: Record<string, unknown> | null;
}

const AUDIT_ACTIONS = [
  'dossier.created',
  'dossier.updated',
  'document.uploaded',
  'document.facts_updated',
  'document.verdict',
  'agency.stage_set',
  'agency.case_assigned',
  'adaptation.started',
  'adaptation.item_done',
  'adaptation.item_reopened',
];

const AUDIT_SUMMARY: Record<string, string> = {
  'dossier.created': 'Dossier created',
  'dossier.updated': 'Dossier updated',
  'document.uploaded': 'Document uploaded',
  'document.facts_updated': 'Document details updated',
  'document.verdict': 'Document checked by the university',
  'agency.stage_set': 'Stage set by hand',
  'agency.case_assigned': 'Consultant assigned',
  'adaptation.started': 'Adaptation checklist started',
  'adaptation.item_done': 'Adaptation item done',
  'adaptation.item_reopened': 'Adaptation item reopened',
};

/**
 * Everything that happened to the applicant, newest last: the lead, this agency's grants, dossier
 * and document changes (with "consultant X on behalf of"), application events, the admission and the
 * visa steps, stages set by hand, notes and tasks. Other agencies' records never appear.
 */
export async function applicantTimeline(
  ctx: AppContext,
  principal: Principal | null,
  applicantId: string,
  actor: Actor,
): Promise<TimelineEvent[]> {
  const { agencyId } = await agencyAccess(ctx, principal, applicantId, 'view', actor);
  const db = ctx.db;
  const docIds = (await db.select({ id: documents.id }).from(documents).where(eq(documents.ownerId, applicantId))).map(
    (d) => d.id,
  );
  const [leadRows, grantRows, auditRows, eventRows, admissionRows, visaRows, noteRows, taskRows] = await Promise.all([
    db
      .select()
      .from(leads)
      .where(and(eq(leads.agencyId, agencyId), eq(leads.applicantId, applicantId))),
    db
      .select()
      .from(agencyGrants)
      .where(and(eq(agencyGrants.agencyId, agencyId), eq(agencyGrants.applicantId, applicantId))),
    db
      .select()
      .from(auditLog)
      .where(
        and(
          inArray(auditLog.action, AUDIT_ACTIONS),
          or(
            and(eq(auditLog.subjectType, 'dossier'), eq(auditLog.subjectId, applicantId)),
            docIds.length ? and(eq(auditLog.subjectType, 'document'), inArray(auditLog.subjectId, docIds)) : undefined,
            // Stage and case changes of THIS agency only.
            and(
              eq(auditLog.subjectType, 'user'),
              eq(auditLog.subjectId, applicantId),
              sql`${auditLog.after}->>'agency' = ${agencyId}`,
            ),
            and(eq(auditLog.subjectType, 'adaptation'), eq(auditLog.subjectId, applicantId)),
          ),
        ),
      )
      .orderBy(asc(auditLog.id))
      .limit(1000),
    db
      .select({ event: applicationEvents, number: applications.number, campaignEn: campaigns.titleEn })
      .from(applicationEvents)
      .innerJoin(applications, eq(applications.id, applicationEvents.applicationId))
      .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
      .where(eq(applications.applicantId, applicantId)),
    db
      .select({ admission: admissions, orderIssuedAt: enrollmentOrders.issuedAt, campaignEn: campaigns.titleEn })
      .from(admissions)
      .innerJoin(campaigns, eq(campaigns.id, admissions.campaignId))
      .leftJoin(enrollmentOrders, eq(enrollmentOrders.id, admissions.orderId))
      .where(eq(admissions.applicantId, applicantId)),
    db.select().from(visaCases).where(eq(visaCases.applicantId, applicantId)),
    db
      .select()
      .from(agencyNotes)
      .where(and(eq(agencyNotes.agencyId, agencyId), eq(agencyNotes.applicantId, applicantId))),
    db
      .select()
      .from(agencyTasks)
      .where(and(eq(agencyTasks.agencyId, agencyId), eq(agencyTasks.applicantId, applicantId))),
  ]);

  const events: (Omit<TimelineEvent, 'actor' | 'at'> & { at: Date; actorId: string | null })[] = [];
  const push = (
    at: Date | null | undefined,
    type: string,
    summary: string,
    extra: { actorId?: string | null; onBehalf?: boolean; data?: Record<string, unknown> | null } = {},
  ) => {
    if (!at) return;
    events.push({
      at,
      type,
      summary,
      actorId: extra.actorId ?? null,
      onBehalf: extra.onBehalf ?? false,
      data: extra.data ?? null,
    });
  };

  for (const l of leadRows) push(l.createdAt, 'lead.created', 'Asked a consultant', { data: { leadId: l.id } });
  for (const g of grantRows) {
    push(g.grantedAt, 'agency.granted', `Granted the agency access (${g.scope})`, {
      actorId: applicantId,
      data: { scope: g.scope },
    });
    push(g.revokedAt, 'agency.revoked', 'Revoked the agency access', { actorId: applicantId });
  }
  for (const a of auditRows) {
    const after = (a.after ?? null) as Record<string, unknown> | null;
    push(a.at, a.action, AUDIT_SUMMARY[a.action] ?? a.action, {
      actorId: a.actorUserId,
      onBehalf: a.onBehalfOfUserId === applicantId && a.actorUserId !== applicantId,
      data: after,
    });
  }
  for (const e of eventRows) {
    push(
      e.event.at,
      `application.${e.event.type}`,
      `Application ${e.number ?? ''} (${e.campaignEn}): ${e.event.type}`,
      {
        data: (e.event.data ?? null) as Record<string, unknown> | null,
      },
    );
  }
  for (const { admission: a, orderIssuedAt, campaignEn } of admissionRows) {
    const data = { admissionId: a.id, campaign: campaignEn };
    push(a.createdAt, 'admission.offered', `Offered a place (${campaignEn})`, { data });
    push(a.consentAt, 'admission.consent', 'Gave consent to enrollment', { data });
    push(a.contractAcceptedAt, 'admission.contract_accepted', 'Accepted the contract', { data });
    push(a.prepaymentConfirmedAt, 'admission.prepayment_confirmed', 'Prepayment confirmed', { data });
    push(a.confirmedAt, 'admission.confirmed', 'Place confirmed', { data });
    if (a.status === 'enrolled')
      push(orderIssuedAt ?? a.updatedAt, 'admission.enrolled', 'Enrolled by order', { data });
    if (['declined', 'expired'].includes(a.status))
      push(a.updatedAt, `admission.${a.status}`, `Place ${a.status}`, { data });
  }
  for (const v of visaRows) {
    const data = { admissionId: v.admissionId };
    push(v.requestedAt, 'visa.requested', 'Visa invitation requested', { data });
    push(v.invitationIssuedAt, 'visa.invitation_issued', `Invitation issued (${v.invitationNumber ?? ''})`, { data });
    push(v.visaIssuedAt, 'visa.visa_issued', 'Visa issued', { data });
    push(v.arrivedAt, 'visa.arrived', 'Arrived', { data });
    push(v.registeredAt, 'visa.registered', 'Registered with the migration authorities', { data });
  }
  for (const n of noteRows) {
    push(n.createdAt, 'note', n.body.length > 200 ? `${n.body.slice(0, 200)}…` : n.body, {
      actorId: n.authorId,
      data: { noteId: n.id },
    });
  }
  for (const t of taskRows) {
    push(t.createdAt, 'task.created', `Task: ${t.title}`, {
      actorId: t.createdBy,
      data: { taskId: t.id, dueAt: t.dueAt.toISOString() },
    });
    push(t.doneAt, 'task.done', `Task done: ${t.title}`, { data: { taskId: t.id } });
  }

  const actorIds = [...new Set(events.map((e) => e.actorId).filter((id): id is string => !!id))];
  const names = new Map(
    actorIds.length
      ? (
          await db.select({ id: users.id, fullName: users.fullName }).from(users).where(inArray(users.id, actorIds))
        ).map((u) => [u.id, u.fullName])
      : [],
  );
  return events
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map(({ actorId, at, ...e }) => ({
      ...e,
      at: at.toISOString(),
      actor: actorId ? { id: actorId, fullName: names.get(actorId) ?? '' } : null,
    }));
}
