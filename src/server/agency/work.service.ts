/**
 * The agency's daily work: tasks with due dates (about a lead or an applicant), notes, and the
 * reminder job that e-mails assignees about tasks coming due and arrived students about adaptation
 * items coming due. Everything about an applicant needs the applicant's active grant (404 otherwise);
 * everything about a lead needs the lead to belong to the agency (404 otherwise).
 */
import { and, asc, desc, eq, exists, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { adaptationItems, agencyGrants, agencyNotes, agencyTasks, leads, users } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import type { Principal } from '../policies/policy.js';
import { problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { agencyAccess, holdGrant } from './access.js';
import { adaptationTitles, ensureArrivedAdaptations } from './adaptation.service.js';
import { ownLead } from './leads.service.js';
import { agencyConsultant, agencyOf } from './pipeline.service.js';

export type TaskRow = typeof agencyTasks.$inferSelect;
export type NoteRow = typeof agencyNotes.$inferSelect;

export const TASK_AHEAD_MS = 24 * 3_600_000;
export const ADAPTATION_AHEAD_MS = 3 * 86_400_000;

const isUuid = (s: string) => /^[0-9a-f-]{36}$/.test(s);

/** The applicant has an active grant to the agency (SQL condition). */
const granted = (agencyId: string, applicantColumn: typeof agencyTasks.applicantId | typeof agencyNotes.applicantId) =>
  exists(
    sql`(select 1 from ${agencyGrants} where ${agencyGrants.agencyId} = ${agencyId} and ${agencyGrants.applicantId} = ${applicantColumn} and ${agencyGrants.revokedAt} is null)`,
  );

/** The lead still belongs to the agency (leads can be routed elsewhere). */
const ownLeadCondition = (agencyId: string, leadColumn: typeof agencyTasks.leadId) =>
  exists(sql`(select 1 from ${leads} where ${leads.id} = ${leadColumn} and ${leads.agencyId} = ${agencyId})`);

export interface TaskView {
  id: string;
  title: string;
  dueAt: string;
  applicant: { id: string; fullName: string } | null;
  lead: { id: string; name: string } | null;
  assignee: { id: string; fullName: string } | null;
  createdBy: string;
  doneAt: string | null;
  createdAt: string;
}

async function presentTasks(ctx: AppContext, rows: TaskRow[]): Promise<TaskView[]> {
  const userIds = [...new Set(rows.flatMap((r) => [r.applicantId, r.assigneeId]).filter((id): id is string => !!id))];
  const leadIds = [...new Set(rows.map((r) => r.leadId).filter((id): id is string => !!id))];
  const [people, leadRows] = await Promise.all([
    userIds.length
      ? ctx.db.select({ id: users.id, fullName: users.fullName }).from(users).where(inArray(users.id, userIds))
      : [],
    leadIds.length
      ? ctx.db.select({ id: leads.id, name: leads.name }).from(leads).where(inArray(leads.id, leadIds))
      : [],
  ]);
  const name = new Map(people.map((p) => [p.id, p.fullName]));
  const leadName = new Map(leadRows.map((l) => [l.id, l.name]));
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    dueAt: r.dueAt.toISOString(),
    applicant: r.applicantId ? { id: r.applicantId, fullName: name.get(r.applicantId) ?? '' } : null,
    lead: r.leadId ? { id: r.leadId, name: leadName.get(r.leadId) ?? '' } : null,
    assignee: r.assigneeId ? { id: r.assigneeId, fullName: name.get(r.assigneeId) ?? '' } : null,
    createdBy: r.createdBy,
    doneAt: r.doneAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function listTasks(
  ctx: AppContext,
  principal: Principal | null,
  filter: {
    open?: boolean | undefined;
    dueBefore?: string | undefined;
    applicant?: string | undefined;
    lead?: string | undefined;
    assignee?: string | undefined;
  },
): Promise<TaskView[]> {
  const { agencyId } = agencyOf(principal);
  if ((filter.applicant && !isUuid(filter.applicant)) || (filter.lead && !isUuid(filter.lead))) return [];
  const rows = await ctx.db
    .select()
    .from(agencyTasks)
    .where(
      and(
        eq(agencyTasks.agencyId, agencyId),
        // Only applicants who still grant access, and leads still in the agency's queue.
        or(
          and(isNotNull(agencyTasks.applicantId), granted(agencyId, agencyTasks.applicantId)),
          and(isNotNull(agencyTasks.leadId), ownLeadCondition(agencyId, agencyTasks.leadId)),
          and(isNull(agencyTasks.applicantId), isNull(agencyTasks.leadId)),
        ),
        filter.open === true ? isNull(agencyTasks.doneAt) : undefined,
        filter.open === false ? isNotNull(agencyTasks.doneAt) : undefined,
        filter.dueBefore ? lte(agencyTasks.dueAt, new Date(filter.dueBefore)) : undefined,
        filter.applicant ? eq(agencyTasks.applicantId, filter.applicant) : undefined,
        filter.lead ? eq(agencyTasks.leadId, filter.lead) : undefined,
        filter.assignee === 'me' ? eq(agencyTasks.assigneeId, principal?.id ?? '') : undefined,
      ),
    )
    .orderBy(asc(agencyTasks.dueAt))
    .limit(1000);
  return presentTasks(ctx, rows);
}

async function checkAssignee(ctx: AppContext, agencyId: string, assigneeId: string | null | undefined) {
  if (!assigneeId) return;
  if (!(await agencyConsultant(ctx.db, agencyId, assigneeId))) {
    throw problems.validation([
      { field: 'body.assigneeId', code: 'unknown_value', message: 'Choose an active consultant of your agency.' },
    ]);
  }
}

export async function createTask(
  ctx: AppContext,
  principal: Principal | null,
  input: {
    title: string;
    dueAt: string;
    applicantId?: string | undefined;
    leadId?: string | undefined;
    assigneeId?: string | null | undefined;
  },
  actor: Actor,
): Promise<TaskView> {
  const { agencyId } = agencyOf(principal);
  if (input.applicantId && input.leadId) {
    throw problems.validation([
      { field: 'body.leadId', code: 'invalid_value', message: 'A task is about an applicant or a lead, not both.' },
    ]);
  }
  const access = input.applicantId ? await agencyAccess(ctx, principal, input.applicantId, 'view', actor) : undefined;
  if (input.leadId) await ownLead(ctx, principal, input.leadId);
  await checkAssignee(ctx, agencyId, input.assigneeId);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    if (access) await holdGrant(tx, access.grant.id, 'view');
    const [row] = await tx
      .insert(agencyTasks)
      .values({
        agencyId,
        applicantId: input.applicantId ?? null,
        leadId: input.leadId ?? null,
        title: input.title,
        dueAt: new Date(input.dueAt),
        assigneeId: input.assigneeId ?? null,
        createdBy: actor.userId ?? (principal?.id as string),
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('task insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'agency.task_created',
      subjectType: 'agency_task',
      subjectId: row.id,
      after: {
        agency: agencyId,
        title: row.title,
        dueAt: row.dueAt.toISOString(),
        applicantId: row.applicantId,
        leadId: row.leadId,
        assigneeId: row.assigneeId,
      },
    });
    return row;
  });
  return (await presentTasks(ctx, [row]))[0] as TaskView;
}

/** A task of the agency, visible only while its applicant grants access (404 otherwise, audited). */
async function ownTask(ctx: AppContext, principal: Principal | null, id: string, actor: Actor) {
  const { agencyId } = agencyOf(principal);
  const [task] = isUuid(id)
    ? await ctx.db
        .select()
        .from(agencyTasks)
        .where(and(eq(agencyTasks.id, id), eq(agencyTasks.agencyId, agencyId)))
    : [];
  if (!task) throw problems.notFound('task');
  const access = task.applicantId ? await agencyAccess(ctx, principal, task.applicantId, 'view', actor) : undefined;
  if (task.leadId) await ownLead(ctx, principal, task.leadId);
  return { task, agencyId, access };
}

export async function updateTask(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  input: {
    done?: boolean | undefined;
    dueAt?: string | undefined;
    title?: string | undefined;
    assigneeId?: string | null | undefined;
  },
  actor: Actor,
): Promise<TaskView> {
  const { task, agencyId, access } = await ownTask(ctx, principal, id, actor);
  await checkAssignee(ctx, agencyId, input.assigneeId);
  const now = ctx.clock.now();
  const set: Partial<TaskRow> = {};
  if (input.title !== undefined) set.title = input.title;
  if (input.dueAt !== undefined) {
    set.dueAt = new Date(input.dueAt);
    // A new due date deserves a new reminder.
    set.remindedAt = null;
  }
  if (input.assigneeId !== undefined) set.assigneeId = input.assigneeId;
  if (input.done === true && !task.doneAt) set.doneAt = now;
  if (input.done === false) set.doneAt = null;
  const row = await ctx.db.transaction(async (tx) => {
    if (access) await holdGrant(tx, access.grant.id, 'view');
    const [row] =
      Object.keys(set).length > 0
        ? await tx.update(agencyTasks).set(set).where(eq(agencyTasks.id, task.id)).returning()
        : [task];
    await recordAudit(tx, ctx.clock, actor, {
      action: 'agency.task_updated',
      subjectType: 'agency_task',
      subjectId: task.id,
      before: {
        title: task.title,
        dueAt: task.dueAt.toISOString(),
        doneAt: task.doneAt?.toISOString() ?? null,
        assigneeId: task.assigneeId,
      },
      after: {
        title: row?.title,
        dueAt: row?.dueAt.toISOString(),
        doneAt: row?.doneAt?.toISOString() ?? null,
        assigneeId: row?.assigneeId,
      },
    });
    return row as TaskRow;
  });
  return (await presentTasks(ctx, [row]))[0] as TaskView;
}

// ---------- Notes ----------

export interface NoteView {
  id: string;
  body: string;
  author: { id: string; fullName: string };
  createdAt: string;
}

async function presentNotes(ctx: AppContext, rows: NoteRow[]): Promise<NoteView[]> {
  const ids = [...new Set(rows.map((r) => r.authorId))];
  const people = ids.length
    ? await ctx.db.select({ id: users.id, fullName: users.fullName }).from(users).where(inArray(users.id, ids))
    : [];
  const name = new Map(people.map((p) => [p.id, p.fullName]));
  return rows.map((r) => ({
    id: r.id,
    body: r.body,
    author: { id: r.authorId, fullName: name.get(r.authorId) ?? '' },
    createdAt: r.createdAt.toISOString(),
  }));
}

export type NoteSubject = { applicantId: string } | { leadId: string };

export async function listNotes(
  ctx: AppContext,
  principal: Principal | null,
  subject: NoteSubject,
  actor: Actor,
): Promise<NoteView[]> {
  const { agencyId } = agencyOf(principal);
  if ('applicantId' in subject) await agencyAccess(ctx, principal, subject.applicantId, 'view', actor);
  else await ownLead(ctx, principal, subject.leadId);
  const rows = await ctx.db
    .select()
    .from(agencyNotes)
    .where(
      and(
        eq(agencyNotes.agencyId, agencyId),
        'applicantId' in subject
          ? eq(agencyNotes.applicantId, subject.applicantId)
          : eq(agencyNotes.leadId, subject.leadId),
      ),
    )
    .orderBy(desc(agencyNotes.createdAt));
  return presentNotes(ctx, rows);
}

export async function addNote(
  ctx: AppContext,
  principal: Principal | null,
  subject: NoteSubject,
  body: string,
  actor: Actor,
): Promise<NoteView> {
  const { agencyId } = agencyOf(principal);
  const access =
    'applicantId' in subject ? await agencyAccess(ctx, principal, subject.applicantId, 'view', actor) : undefined;
  if ('leadId' in subject) await ownLead(ctx, principal, subject.leadId);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    if (access) await holdGrant(tx, access.grant.id, 'view');
    const [row] = await tx
      .insert(agencyNotes)
      .values({
        agencyId,
        applicantId: 'applicantId' in subject ? subject.applicantId : null,
        leadId: 'leadId' in subject ? subject.leadId : null,
        body,
        authorId: actor.userId ?? (principal?.id as string),
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('note insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'agency.note_added',
      subjectType: 'agency_note',
      subjectId: row.id,
      after: { agency: agencyId, applicantId: row.applicantId, leadId: row.leadId, length: body.length },
    });
    return row;
  });
  return (await presentNotes(ctx, [row]))[0] as NoteView;
}

// ---------- Reminders ----------

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/**
 * E-mails, once each: the assignee (or else the creator) of every open task due within 24 hours —
 * overdue ones included — and every arrived student about adaptation items due within 3 days.
 * Claiming (setting remindedAt) happens before sending, so two instances never both send. Tasks
 * about an applicant who revoked the grant, or a lead routed elsewhere, are not reminded.
 */
export async function sendAgencyReminders(ctx: AppContext): Promise<{ tasks: number; adaptation: number }> {
  const now = ctx.clock.now();
  let tasksSent = 0;
  let adaptationSent = 0;

  const due = await ctx.db
    .select()
    .from(agencyTasks)
    .where(
      and(
        isNull(agencyTasks.doneAt),
        isNull(agencyTasks.remindedAt),
        lte(agencyTasks.dueAt, new Date(now.getTime() + TASK_AHEAD_MS)),
        or(
          isNull(agencyTasks.applicantId),
          exists(
            sql`(select 1 from ${agencyGrants} where ${agencyGrants.agencyId} = ${agencyTasks.agencyId} and ${agencyGrants.applicantId} = ${agencyTasks.applicantId} and ${agencyGrants.revokedAt} is null)`,
          ),
        ),
        or(
          isNull(agencyTasks.leadId),
          exists(
            sql`(select 1 from ${leads} where ${leads.id} = ${agencyTasks.leadId} and ${leads.agencyId} = ${agencyTasks.agencyId})`,
          ),
        ),
      ),
    )
    .orderBy(asc(agencyTasks.dueAt))
    .limit(1000);
  for (const task of due) {
    const [recipient] = await ctx.db
      .select()
      .from(users)
      .where(and(eq(users.id, task.assigneeId ?? task.createdBy), isNull(users.disabledAt)));
    if (!recipient) continue;
    const claimed = await ctx.db
      .update(agencyTasks)
      .set({ remindedAt: now })
      .where(and(eq(agencyTasks.id, task.id), isNull(agencyTasks.remindedAt), isNull(agencyTasks.doneAt)))
      .returning();
    if (claimed.length === 0) continue;
    const link = `${ctx.config.publicUrl}/agency/tasks`;
    const overdue = task.dueAt.getTime() <= now.getTime();
    const message =
      recipient.locale === 'ru'
        ? {
            subject: `${overdue ? 'Просрочена задача' : 'Срок задачи'}: ${task.title}`,
            text: `Здравствуйте, ${recipient.fullName}!\n\nЗадача «${task.title}» — срок ${when(task.dueAt)}.\n\n${link}\n\nMedAdmit`,
          }
        : {
            subject: `${overdue ? 'Overdue task' : 'Task due'}: ${task.title}`,
            text: `Hello ${recipient.fullName},\n\nthe task "${task.title}" is due ${when(task.dueAt)}.\n\n${link}\n\nMedAdmit`,
          };
    try {
      await ctx.mailer.send({ to: recipient.email, ...message });
      tasksSent++;
    } catch (error) {
      ctx.log?.error({ err: error }, 'agency task reminder');
    }
  }

  // Students whose visa case reached "arrived" get their checklist even if nobody opened it yet.
  await ensureArrivedAdaptations(ctx);
  const items = await ctx.db
    .select()
    .from(adaptationItems)
    .where(
      and(
        isNull(adaptationItems.doneAt),
        isNull(adaptationItems.remindedAt),
        lte(adaptationItems.dueAt, new Date(now.getTime() + ADAPTATION_AHEAD_MS)),
        gt(adaptationItems.dueAt, new Date(now.getTime() - 30 * 86_400_000)),
      ),
    )
    .orderBy(asc(adaptationItems.dueAt))
    .limit(2000);
  const byApplicant = new Map<string, typeof items>();
  for (const item of items) byApplicant.set(item.applicantId, [...(byApplicant.get(item.applicantId) ?? []), item]);
  for (const [applicantId, list] of byApplicant) {
    const [user] = await ctx.db
      .select()
      .from(users)
      .where(and(eq(users.id, applicantId), isNull(users.disabledAt)));
    if (!user) continue;
    const claimed: typeof items = [];
    for (const item of list) {
      const rows = await ctx.db
        .update(adaptationItems)
        .set({ remindedAt: now })
        .where(
          and(
            eq(adaptationItems.applicantId, item.applicantId),
            eq(adaptationItems.universityId, item.universityId),
            eq(adaptationItems.itemId, item.itemId),
            isNull(adaptationItems.remindedAt),
          ),
        )
        .returning();
      claimed.push(...rows);
    }
    if (claimed.length === 0) continue;
    const titles = await adaptationTitles(ctx, applicantId, claimed);
    const lines = claimed
      .map((i) => `- ${titles.get(i.itemId)?.[user.locale] ?? i.itemId}: ${when(i.dueAt)}`)
      .join('\n');
    // The student's checklist is on their account page.
    const link = `${ctx.config.publicUrl}/account#my-adaptation`;
    const message =
      user.locale === 'ru'
        ? {
            subject: 'Напоминание: шаги после приезда',
            text: `Здравствуйте, ${user.fullName}!\n\nСкоро срок следующих шагов после приезда:\n${lines}\n\n${link}\n\nMedAdmit`,
          }
        : {
            subject: 'Reminder: your steps after arrival',
            text: `Hello ${user.fullName},\n\nthese steps after your arrival are due soon:\n${lines}\n\n${link}\n\nMedAdmit`,
          };
    try {
      await ctx.mailer.send({ to: user.email, ...message });
      adaptationSent++;
    } catch (error) {
      ctx.log?.error({ err: error }, 'adaptation reminder');
    }
  }
  return { tasks: tasksSent, adaptation: adaptationSent };
}
