import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptationItems, auditLog, universities, visaCases } from '../../src/db/schema.js';
import { sendAgencyReminders } from '../../src/server/agency/work.service.js';
import { type AgencyWorld, admit, agencyWorld, at } from '../helpers/agency-fixtures.js';
import { submittedApplicants } from '../helpers/allocation-fixtures.js';
import type { Agent, TestApp } from '../helpers/test-app.js';
import { createTestApp } from '../helpers/test-app.js';

let t: TestApp;
let w: AgencyWorld;
const api = '/api/v1';

const put = (agent: Agent, url: string, payload: unknown) =>
  agent.request({ method: 'PUT', url, payload: payload as object });

beforeAll(async () => {
  t = await createTestApp();
  w = await agencyWorld(t);
});
afterAll(async () => {
  await t.close();
});

async function refusals(subjectId: string) {
  return t.ctx.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, 'agency.access_refused'), eq(auditLog.subjectId, subjectId)));
}

describe('stages derived from the real states', () => {
  it('follows lead, dossier, application, paid admission and the visa case up to arrival', async () => {
    const res = await w.c1.agent.get(`${api}/agency/applicants/${w.arun.userId}/stages`);
    expect(res.statusCode).toBe(200);
    const { stages, current } = res.json();
    expect(stages.inquiry).toEqual({ reachedAt: '2026-05-10T09:00:00.000Z', source: 'system' });
    expect(stages.consultation).toEqual({ reachedAt: null, source: null });
    expect(stages.dossier).toEqual({ reachedAt: '2026-05-20T09:00:00.000Z', source: 'system' });
    expect(stages.applied.reachedAt).toBe('2026-06-01T09:00:00.000Z');
    expect(stages.admitted.reachedAt).toBe('2026-07-01T09:00:00.000Z');
    expect(stages.contract_payment.reachedAt).toBe('2026-07-03T09:00:00.000Z');
    expect(stages.invitation.reachedAt).toBe('2026-07-05T09:00:00.000Z');
    expect(stages.visa.reachedAt).toBe('2026-08-05T09:00:00.000Z');
    expect(stages.arrived.reachedAt).toBe('2026-08-21T10:00:00.000Z');
    expect(stages.registered.reachedAt).toBeNull();
    expect(current).toEqual({ stage: 'arrived', reachedAt: '2026-08-21T10:00:00.000Z' });
  });

  it('a confirmed quota seat is "contract and payment"; an enrollment order is "enrolled" (no visa stages)', async () => {
    const bela = (await w.c1.agent.get(`${api}/agency/applicants/${w.bela.userId}/stages`)).json();
    expect(bela.current).toEqual({ stage: 'contract_payment', reachedAt: '2026-07-02T09:00:00.000Z' });
    const farid = (await w.c1.agent.get(`${api}/agency/applicants/${w.farid.userId}/stages`)).json();
    expect(farid.current).toEqual({ stage: 'enrolled', reachedAt: '2026-08-25T09:00:00.000Z' });
    expect(farid.stages.invitation.reachedAt).toBeNull();
    expect(farid.stages.contract_payment.reachedAt).toBe('2026-07-12T09:00:00.000Z');
  });
});

describe('pipeline: own agency, active grants only', () => {
  it('lists only applicants with an active grant to my agency', async () => {
    const res = await w.c1.agent.get(`${api}/agency/pipeline`);
    expect(res.statusCode).toBe(200);
    const { view, items } = res.json();
    expect(view).toBe('list');
    expect(items.map((i: { fullName: string }) => i.fullName)).toEqual([
      'Arun Paid',
      'Bela Quota',
      'Chen Applied',
      'Farid Enrolled',
    ]);
    const arun = items[0];
    expect(arun).toMatchObject({
      email: w.arun.email,
      citizenship: 'IN',
      scope: 'act',
      stage: { stage: 'arrived' },
      universities: [{ slug: 'kaznmu' }],
      openTasks: 0,
      nextTask: null,
    });
    expect(items[1]).toMatchObject({ scope: 'view', citizenship: null, stage: { stage: 'contract_payment' } });

    const other = (await w.cB.agent.get(`${api}/agency/pipeline`)).json();
    expect(other.items.map((i: { fullName: string }) => i.fullName)).toEqual(['Eko Other']);
  });

  it('filters by stage, university and text, and groups by stage on the board', async () => {
    const enrolled = (await w.c1.agent.get(`${api}/agency/pipeline?stage=enrolled`)).json();
    expect(enrolled.items.map((i: { id: string }) => i.id)).toEqual([w.farid.userId]);
    expect((await w.c1.agent.get(`${api}/agency/pipeline?q=BELA`)).json().items).toHaveLength(1);
    expect((await w.c1.agent.get(`${api}/agency/pipeline?university=kaznmu`)).json().items).toHaveLength(4);
    expect((await w.c1.agent.get(`${api}/agency/pipeline?university=rudn`)).json().items).toHaveLength(0);
    expect((await w.c1.agent.get(`${api}/agency/pipeline?stage=nowhere`)).statusCode).toBe(400);

    const board = (await w.c1.agent.get(`${api}/agency/pipeline?view=board`)).json();
    expect(board.view).toBe('board');
    expect(board.columns).toHaveLength(13);
    const column = (stage: string | null) => board.columns.find((c: { stage: string | null }) => c.stage === stage);
    expect(column('arrived')).toMatchObject({ count: 1, cards: [{ fullName: 'Arun Paid' }] });
    expect(column('applied').count).toBe(1);
    expect(column(null).count).toBe(0);
  });

  it('answers 404 for a revoked grant or another agency, and audits the attempt', async () => {
    const revoked = await w.c1.agent.get(`${api}/agency/applicants/${w.dara.userId}/timeline`);
    expect(revoked.statusCode).toBe(404);
    expect(revoked.json().code).toBe('not_found');
    const foreign = await w.cB.agent.get(`${api}/agency/applicants/${w.arun.userId}/stages`);
    expect(foreign.statusCode).toBe(404);
    const ownByOther = await w.c1.agent.get(`${api}/agency/applicants/${w.eko.userId}/adaptation`);
    expect(ownByOther.statusCode).toBe(404);
    expect(await refusals(w.dara.userId)).toHaveLength(1);
    expect((await refusals(w.arun.userId))[0]).toMatchObject({ actorUserId: w.cB.userId });
    expect(await refusals(w.eko.userId)).toHaveLength(1);
  });

  it('sets a stage by hand (act), never with a view grant, never in the future', async () => {
    const url = `${api}/agency/applicants/${w.chen.userId}/stages/consultation`;
    const res = await put(w.c1.agent, url, { reached: true, at: '2026-05-15T10:00:00Z' });
    expect(res.statusCode).toBe(200);
    expect(res.json().stages.consultation).toEqual({ reachedAt: '2026-05-15T10:00:00.000Z', source: 'manual' });
    expect(res.json().current.stage).toBe('applied');
    const [entry] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'agency.stage_set'), eq(auditLog.subjectId, w.chen.userId)));
    expect(entry).toMatchObject({ actorUserId: w.c1.userId, onBehalfOfUserId: w.chen.userId });

    const view = await put(w.c1.agent, `${api}/agency/applicants/${w.bela.userId}/stages/consultation`, {
      reached: true,
    });
    expect(view.statusCode).toBe(404);
    expect(await refusals(w.bela.userId)).toHaveLength(1);

    const future = await put(w.c1.agent, `${api}/agency/applicants/${w.chen.userId}/stages/visa`, {
      reached: true,
      at: '2027-01-01T00:00:00Z',
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0]).toMatchObject({ field: 'body.at', code: 'in_future' });

    // Set then cleared: the system-derived value stays.
    await put(w.c1.agent, `${api}/agency/applicants/${w.chen.userId}/stages/registered`, { reached: true });
    const cleared = await put(w.c1.agent, `${api}/agency/applicants/${w.chen.userId}/stages/registered`, {
      reached: false,
    });
    expect(cleared.json().stages.registered.reachedAt).toBeNull();
  });

  it('assigns a consultant of the same agency only', async () => {
    const url = `${api}/agency/applicants/${w.arun.userId}/case`;
    const ok = await w.c1.agent.patch(url, { consultantId: w.c2.userId });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().consultant.id).toBe(w.c2.userId);
    const foreign = await w.c1.agent.patch(url, { consultantId: w.cB.userId });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0]).toMatchObject({ field: 'body.consultantId', code: 'unknown_value' });
    const mine = (await w.c1.agent.get(`${api}/agency/pipeline?consultant=${w.c2.userId}`)).json();
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([w.arun.userId]);
    expect((await w.c1.agent.get(`${api}/agency/pipeline?consultant=none`)).json().items).toHaveLength(3);
  });
});

describe('tasks and notes', () => {
  let taskId = '';

  it('creates tasks about an applicant or a lead, with clear field errors', async () => {
    const res = await w.c1.agent.post(`${api}/agency/tasks`, {
      title: 'Call Arun about migration registration',
      dueAt: '2026-08-31T20:00:00Z',
      applicantId: w.arun.userId,
      assigneeId: w.c2.userId,
    });
    expect(res.statusCode).toBe(201);
    taskId = res.json().id;
    expect(res.json()).toMatchObject({
      applicant: { id: w.arun.userId, fullName: 'Arun Paid' },
      assignee: { id: w.c2.userId },
      doneAt: null,
    });
    const leadTask = await w.c1.agent.post(`${api}/agency/tasks`, {
      title: 'Reply to the question',
      dueAt: '2026-09-03T09:00:00Z',
      leadId: w.leadA,
    });
    expect(leadTask.statusCode).toBe(201);

    const bad = await w.c1.agent.post(`${api}/agency/tasks`, { title: '', dueAt: 'tomorrow' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['body.dueAt', 'body.title']);
    const both = await w.c1.agent.post(`${api}/agency/tasks`, {
      title: 'x',
      dueAt: '2026-09-03T09:00:00Z',
      applicantId: w.arun.userId,
      leadId: w.leadA,
    });
    expect(both.json().errors[0]).toMatchObject({ field: 'body.leadId', code: 'invalid_value' });
    const foreignAssignee = await w.c1.agent.post(`${api}/agency/tasks`, {
      title: 'x',
      dueAt: '2026-09-03T09:00:00Z',
      assigneeId: w.cB.userId,
    });
    expect(foreignAssignee.json().errors[0]).toMatchObject({ field: 'body.assigneeId', code: 'unknown_value' });
    const revoked = await w.c1.agent.post(`${api}/agency/tasks`, {
      title: 'x',
      dueAt: '2026-09-03T09:00:00Z',
      applicantId: w.dara.userId,
    });
    expect(revoked.statusCode).toBe(404);
    const otherLead = await w.c1.agent.post(`${api}/agency/tasks`, {
      title: 'x',
      dueAt: '2026-09-03T09:00:00Z',
      leadId: w.leadB,
    });
    expect(otherLead.statusCode).toBe(404);
  });

  it('lists the agency tasks with filters; another agency sees none', async () => {
    const open = (await w.c1.agent.get(`${api}/agency/tasks?open=true`)).json();
    expect(open.items.map((i: { title: string }) => i.title)).toEqual([
      'Call Arun about migration registration',
      'Reply to the question',
    ]);
    const soon = (await w.c2.agent.get(`${api}/agency/tasks?due_before=2026-09-01T00:00:00Z`)).json();
    expect(soon.items).toHaveLength(1);
    const about = (await w.c1.agent.get(`${api}/agency/tasks?applicant=${w.arun.userId}`)).json();
    expect(about.items).toHaveLength(1);
    expect((await w.cB.agent.get(`${api}/agency/tasks`)).json().items).toHaveLength(0);
    const pipeline = (await w.c1.agent.get(`${api}/agency/pipeline?q=arun`)).json();
    expect(pipeline.items[0]).toMatchObject({ openTasks: 1, nextTask: { id: taskId } });
    expect((await w.cB.agent.patch(`${api}/agency/tasks/${taskId}`, { done: true })).statusCode).toBe(404);
  });

  it("keeps notes per applicant and per own lead; another agency's lead is 404", async () => {
    const res = await w.c1.agent.post(`${api}/agency/applicants/${w.arun.userId}/notes`, {
      body: 'Prefers WhatsApp; arrives with his brother.',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().author.id).toBe(w.c1.userId);
    const list = (await w.c2.agent.get(`${api}/agency/applicants/${w.arun.userId}/notes`)).json();
    expect(list.items).toHaveLength(1);
    expect((await w.cB.agent.get(`${api}/agency/applicants/${w.arun.userId}/notes`)).statusCode).toBe(404);

    expect((await w.c1.agent.post(`${api}/agency/leads/${w.leadA}/notes`, { body: 'Called back' })).statusCode).toBe(
      201,
    );
    expect((await w.c1.agent.get(`${api}/agency/leads/${w.leadA}/notes`)).json().items).toHaveLength(1);
    expect((await w.c1.agent.post(`${api}/agency/leads/${w.leadB}/notes`, { body: 'Peek' })).statusCode).toBe(404);
    expect((await w.c1.agent.get(`${api}/agency/leads/${w.leadB}/notes`)).statusCode).toBe(404);
    const empty = await w.c1.agent.post(`${api}/agency/applicants/${w.arun.userId}/notes`, { body: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('body.body');
    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'agency.note_added'), eq(auditLog.actorUserId, w.c1.userId)));
    expect(audit).toBeDefined();
  });

  it("shows a merged timeline, including the dossier saved by a consultant on the applicant's behalf", async () => {
    const res = await w.c2.agent.get(`${api}/agency/applicants/${w.arun.userId}/timeline`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { at: string; type: string; actor: { id: string } | null; onBehalf: boolean }[];
    const types = items.map((i) => i.type);
    for (const type of [
      'lead.created',
      'agency.granted',
      'dossier.created',
      'application.submitted',
      'admission.offered',
      'admission.prepayment_confirmed',
      'visa.requested',
      'visa.arrived',
      'agency.case_assigned',
      'note',
      'task.created',
    ]) {
      expect(types).toContain(type);
    }
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort());
    expect(types.indexOf('lead.created')).toBeLessThan(types.indexOf('dossier.created'));
    const dossier = items.find((i) => i.type === 'dossier.created');
    expect(dossier).toMatchObject({ actor: { id: w.c1.userId }, onBehalf: true });
    // Nothing from another agency.
    const chen = (await w.c1.agent.get(`${api}/agency/applicants/${w.chen.userId}/timeline`)).json();
    expect(chen.items.map((i: { type: string }) => i.type)).toContain('agency.stage_set');
  });
});

describe('adaptation checklist', () => {
  let officer: Agent;
  let kaznmu = '';

  beforeAll(async () => {
    const [u] = await t.ctx.db.select().from(universities).where(eq(universities.slug, 'kaznmu'));
    kaznmu = u?.id ?? '';
    officer = (await t.signedIn('officer', { universityId: kaznmu })).agent;
  });

  it('creates the items when the visa case reached arrival, with working-day due dates (default template)', async () => {
    const res = await w.c1.agent.get(`${api}/agency/applicants/${w.arun.userId}/adaptation`);
    expect(res.statusCode).toBe(200);
    const [view] = res.json().items;
    expect(view.university.slug).toBe('kaznmu');
    expect(view.isDefault).toBe(true);
    const item = (id: string) => view.items.find((i: { id: string }) => i.id === id);
    // Arrived Friday 21 August 10:00 → 7 working days → Tuesday 1 September.
    expect(item('migration_registration')).toMatchObject({
      dueAt: '2026-09-01T10:00:00.000Z',
      workingDays: true,
      essential: true,
      overdue: false,
    });
    expect(item('medical_insurance')).toMatchObject({ dueAt: '2026-08-24T10:00:00.000Z', overdue: true });
    expect(item('bank_card_sim').essential).toBe(false);
    expect(view.items).toHaveLength(5);
  });

  it('lets an act grant mark items, never a view grant', async () => {
    const done = await put(w.c1.agent, `${api}/agency/applicants/${w.arun.userId}/adaptation/housing`, {
      done: true,
    });
    expect(done.statusCode).toBe(200);
    const housing = done.json().items[0].items.find((i: { id: string }) => i.id === 'housing');
    expect(housing.doneAt).toBe('2026-08-31T09:00:00.000Z');
    const [entry] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'adaptation.item_done'), eq(auditLog.subjectId, w.arun.userId)));
    expect(entry).toMatchObject({ actorUserId: w.c1.userId, onBehalfOfUserId: w.arun.userId });

    const view = await put(w.c1.agent, `${api}/agency/applicants/${w.bela.userId}/adaptation/housing`, { done: true });
    expect(view.statusCode).toBe(404);
    const unknown = await put(w.c1.agent, `${api}/agency/applicants/${w.arun.userId}/adaptation/nothing`, {
      done: true,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('officers configure templates per country; others may not; ids must be unique', async () => {
    const initial = (await officer.get(`${api}/universities/kaznmu/adaptation-templates`)).json();
    expect(initial.templates).toEqual([]);
    expect(initial.default.items.map((i: { id: string }) => i.id)).toContain('migration_registration');
    expect(initial.default.note).toMatch(/[Vv]erify/);

    const templates = [
      {
        country: '*',
        items: [
          {
            id: 'migration_registration',
            title: { en: 'Migration registration', ru: 'Миграционный учёт' },
            dueDays: 3,
            workingDays: true,
            source: 'KazNMU international office',
          },
          { id: 'welcome_meeting', title: { en: 'Welcome meeting', ru: 'Встреча' }, dueDays: 2, essential: false },
        ],
      },
    ];
    const saved = await put(officer, `${api}/universities/kaznmu/adaptation-templates`, { templates });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().templates[0].items[1]).toMatchObject({ id: 'welcome_meeting', workingDays: false });

    expect((await put(w.c1.agent, `${api}/universities/kaznmu/adaptation-templates`, { templates })).statusCode).toBe(
      403,
    );
    const dup = await put(officer, `${api}/universities/kaznmu/adaptation-templates`, {
      templates: [{ country: '*', items: [templates[0]?.items[0], templates[0]?.items[0]] }],
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().errors[0].field).toBe('body.templates.0.items.1.id');
  });

  it('a consultant starts the checklist of a visa-free student; the student completes it → adapted', async () => {
    const notAdmitted = await w.c1.agent.post(`${api}/agency/applicants/${w.chen.userId}/adaptation`, {
      arrivedAt: '2026-08-24T09:00:00Z',
    });
    expect(notAdmitted.statusCode).toBe(409);
    expect(notAdmitted.json().code).toBe('not_admitted');

    const res = await w.c1.agent.post(`${api}/agency/applicants/${w.farid.userId}/adaptation`, {
      arrivedAt: '2026-08-24T09:00:00Z',
    });
    expect(res.statusCode).toBe(200);
    const [view] = res.json().items;
    expect(view.isDefault).toBe(false);
    // Monday 24 August + 3 working days = Thursday 27 August; + 2 calendar days = Wednesday 26.
    expect(view.items.map((i: { id: string; dueAt: string }) => [i.id, i.dueAt])).toEqual([
      ['welcome_meeting', '2026-08-26T09:00:00.000Z'],
      ['migration_registration', '2026-08-27T09:00:00.000Z'],
    ]);

    const farid = await w.farid.signIn();
    const mine = (await farid.get(`${api}/me/adaptation`)).json();
    expect(mine.items[0].items).toHaveLength(2);
    for (const id of ['welcome_meeting', 'migration_registration']) {
      expect((await put(farid, `${api}/me/adaptation/${id}`, { done: true })).statusCode).toBe(200);
    }
    const stages = (await w.c1.agent.get(`${api}/agency/applicants/${w.farid.userId}/stages`)).json();
    expect(stages.current).toEqual({ stage: 'adapted', reachedAt: '2026-08-31T09:00:00.000Z' });
    expect(stages.stages.arrived).toEqual({ reachedAt: '2026-08-24T09:00:00.000Z', source: 'manual' });
  });

  it('officers see the students of their university', async () => {
    const all = (await officer.get(`${api}/universities/kaznmu/adaptation`)).json();
    expect(all.items.map((i: { applicant: { id: string } }) => i.applicant.id).sort()).toEqual(
      [w.arun.userId, w.farid.userId].sort(),
    );
    const one = (await officer.get(`${api}/universities/kaznmu/adaptation?applicant=${w.farid.userId}`)).json();
    expect(one.items).toHaveLength(1);
    expect((await w.c1.agent.get(`${api}/universities/kaznmu/adaptation`)).statusCode).toBe(403);
  });
});

describe('reminders', () => {
  it('e-mails the assignee about a task due within 24 h and the student about items due within 3 days, once', async () => {
    const sent = await sendAgencyReminders(t.ctx);
    expect(sent).toEqual({ tasks: 1, adaptation: 1 });
    const task = await t.mail.next(w.c2.email);
    expect(task.subject).toBe('Task due: Call Arun about migration registration');
    const arun = await t.mail.next(w.arun.email);
    expect(arun.subject).toBe('Reminder: your steps after arrival');
    expect(arun.text).toContain('Migration registration');
    expect(arun.text).toContain('Medical insurance');
    expect(arun.text).not.toContain('Housing');
    expect(arun.text).not.toContain('Medical examination');

    expect(await sendAgencyReminders(t.ctx)).toEqual({ tasks: 0, adaptation: 0 });
    const items = await t.ctx.db.select().from(adaptationItems).where(eq(adaptationItems.applicantId, w.arun.userId));
    expect(items.filter((i) => i.remindedAt)).toHaveLength(2);

    // Done tasks are never reminded; the lead task comes due later.
    const done = await w.c2.agent.get(`${api}/agency/tasks?open=true&assignee=me`);
    const [mine] = done.json().items;
    expect((await w.c2.agent.patch(`${api}/agency/tasks/${mine.id}`, { done: true })).json().doneAt).toBe(
      '2026-08-31T09:00:00.000Z',
    );
    t.clock.set(new Date('2026-09-02T10:00:00Z'));
    expect((await sendAgencyReminders(t.ctx)).tasks).toBe(1);
    expect((await t.mail.next(w.c1.email)).subject).toBe('Task due: Reply to the question');
    t.clock.set(new Date('2026-08-31T09:00:00Z'));
  });
});

describe('funnel report', () => {
  it('counts each stage reached in the period per university, with conversion rates', async () => {
    const res = await w.c1.agent.get(`${api}/agency/reports/funnel?from=2026-01-01&to=2026-12-31`);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    const expected = {
      inquiry: 1,
      consultation: 1,
      dossier: 1,
      applied: 4,
      admitted: 3,
      contract_payment: 3,
      invitation: 1,
      visa: 1,
      arrived: 2,
      registered: 0,
      enrolled: 1,
      adapted: 1,
    };
    expect(report.total.counts).toEqual(expected);
    expect(report.total.applicants).toBe(4);
    expect(report.universities).toHaveLength(1);
    expect(report.universities[0]).toMatchObject({ university: { slug: 'kaznmu' }, counts: expected, applicants: 4 });
    const rate = (from: string) =>
      report.total.conversions.find((c: { from: string }) => c.from === from)?.rate as number | null;
    expect(rate('inquiry')).toBe(1);
    expect(rate('dossier')).toBe(4);
    expect(rate('applied')).toBe(0.75);
    expect(rate('contract_payment')).toBe(0.3333);
    expect(rate('arrived')).toBe(0);
    expect(rate('registered')).toBeNull();
    expect(rate('enrolled')).toBe(1);

    const later = (
      await w.c1.agent.get(`${api}/agency/reports/funnel?from=2026-07-02&to=2026-12-31&university=kaznmu`)
    ).json();
    expect(later.total).toBeNull();
    expect(later.universities[0].counts).toMatchObject({ applied: 0, admitted: 1, contract_payment: 3, inquiry: 0 });

    const other = (await w.cB.agent.get(`${api}/agency/reports/funnel?from=2026-01-01&to=2026-12-31`)).json();
    expect(other.total.applicants).toBe(1);
    expect(other.total.counts.applied).toBe(1);

    const backwards = await w.c1.agent.get(`${api}/agency/reports/funnel?from=2026-12-31&to=2026-01-01`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0]).toMatchObject({ field: 'querystring.from', code: 'out_of_range' });
    expect((await w.c1.agent.get(`${api}/agency/reports/funnel?university=nowhere`)).statusCode).toBe(400);
  });

  it('exports the same table as XLSX', async () => {
    const res = await w.c1.agent.get(`${api}/agency/reports/funnel?from=2026-01-01&to=2026-12-31&format=xlsx`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toBe('attachment; filename="funnel-2026-01-01-2026-12-31.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Funnel');
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1));
    });
    const header = rows.find((r) => r[0] === 'University');
    expect(header?.slice(2, 5)).toEqual(['Inquiry', 'Consultation', 'Dossier']);
    const total = rows.find((r) => r[0] === 'All universities');
    expect(total).toEqual(['All universities', 4, 1, 1, 1, 4, 3, 3, 1, 1, 2, 0, 1, 1]);
    expect(rows.some((r) => typeof r[0] === 'string' && r[0].includes('Kazakh'))).toBe(true);
  });
});

describe('arrival recorded by the university starts the adaptation checklist', () => {
  let officer: { agent: Agent; userId: string };

  beforeAll(async () => {
    const [u] = await t.ctx.db.select().from(universities).where(eq(universities.slug, 'kaznmu'));
    officer = await t.signedIn('officer', { universityId: u?.id ?? '' });
  });

  async function admittedWithVisaCase(name: string, status: 'invitation_issued' | 'visa_issued') {
    const [student] = await submittedApplicants(t, w.fixture, [
      { name, citizenship: 'IN', language: 80, specialty: 80, choices: [0] },
    ]);
    if (!student) throw new Error('no student');
    const admissionId = await admit(t, w.fixture, student, 0, {
      createdAt: at('2026-07-01T09:00:00Z'),
      status: 'confirmed',
      consentAt: at('2026-07-02T09:00:00Z'),
      contractAcceptedAt: at('2026-07-02T09:00:00Z'),
      prepaymentConfirmedAt: at('2026-07-03T09:00:00Z'),
      confirmedAt: at('2026-07-03T09:00:00Z'),
    });
    await t.ctx.db.insert(visaCases).values({
      admissionId,
      applicantId: student.userId,
      campaignId: w.fixture.campaignId,
      status,
      requestedAt: at('2026-07-05T09:00:00Z'),
      request: { passportNumber: 'P7654321', consulateCity: 'Delhi', consulateCountry: 'IN' },
      invitationIssuedAt: at('2026-07-25T09:00:00Z'),
      invitationNumber: 'INV-2',
      visaIssuedAt: status === 'visa_issued' ? at('2026-08-05T09:00:00Z') : null,
      updatedAt: at('2026-08-05T09:00:00Z'),
    });
    return { student, admissionId };
  }

  const itemsOf = (applicantId: string) =>
    t.ctx.db.select().from(adaptationItems).where(eq(adaptationItems.applicantId, applicantId));

  it('creates the items with their due dates in the same request, audited as the officer', async () => {
    const { student, admissionId } = await admittedWithVisaCase('Gita Arriving', 'visa_issued');
    expect(await itemsOf(student.userId)).toEqual([]);
    const res = await officer.agent.post(`${api}/admissions/${admissionId}/visa/steps`, {
      step: 'arrived',
      at: '2026-08-24T09:00:00Z',
    });
    expect(res.statusCode).toBe(200);
    // Read straight from the database: nothing has looked at the checklist yet.
    const items = (await itemsOf(student.userId))
      .map((i) => [i.itemId, i.dueAt.toISOString()])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    // KazNMU's '*' template (saved above): welcome meeting 2 days, migration registration 3 working days.
    expect(items).toEqual([
      ['welcome_meeting', '2026-08-26T09:00:00.000Z'],
      ['migration_registration', '2026-08-27T09:00:00.000Z'],
    ]);
    const [entry] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'adaptation.started'), eq(auditLog.subjectId, student.userId)));
    expect(entry).toMatchObject({ actorUserId: officer.userId });
    expect(entry?.after).toMatchObject({ from: 'visa_case', arrivedAt: '2026-08-24T09:00:00.000Z' });

    const mine = (await (await student.signIn()).get(`${api}/me/adaptation`)).json();
    expect(mine.items[0].items.map((i: { id: string }) => i.id)).toEqual(['welcome_meeting', 'migration_registration']);
  });

  it('a step refused as out of order creates nothing', async () => {
    const { student, admissionId } = await admittedWithVisaCase('Hana Early', 'invitation_issued');
    const res = await officer.agent.post(`${api}/admissions/${admissionId}/visa/steps`, {
      step: 'arrived',
      at: '2026-08-24T09:00:00Z',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('visa_step_out_of_order');
    expect(await itemsOf(student.userId)).toEqual([]);
  });
});
