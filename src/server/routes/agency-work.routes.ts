import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZAdaptationItem, ZAdaptationTemplate } from '../../domain/agency/adaptation.js';
import { STAGES } from '../../domain/agency/stages.js';
import {
  agencyAdaptation,
  agencySetItem,
  agencyStartAdaptation,
  getTemplates,
  myAdaptation,
  mySetItem,
  saveTemplates,
  universityAdaptation,
  universityStartAdaptation,
} from '../agency/adaptation.service.js';
import {
  applicantStages,
  applicantTimeline,
  assignConsultant,
  listPipeline,
  type PipelineItem,
  setManualStage,
} from '../agency/pipeline.service.js';
import { funnelReport, funnelXlsx } from '../agency/reports.service.js';
import { addNote, createTask, listNotes, listTasks, updateTask } from '../agency/work.service.js';
import type { AppContext } from '../context.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { problemResponses } from './schemas.js';

const tags = ['agency'];
const idParam = z.object({ id: z.string().min(1).max(60) });
const slugParam = z.object({ slug: z.string().min(1).max(120) });
const ZName = z.object({ en: z.string(), ru: z.string() });
const ZStage = z.enum(STAGES);
const ZInstant = z.iso.datetime({ offset: true });
const ZPerson = z.object({ id: z.string(), fullName: z.string() });

const ZStageState = z.object({ reachedAt: z.string().nullable(), source: z.enum(['system', 'manual']).nullable() });
const ZStages = z.object({
  stages: z.object(
    Object.fromEntries(STAGES.map((s) => [s, ZStageState])) as Record<(typeof STAGES)[number], typeof ZStageState>,
  ),
  current: z.object({ stage: ZStage, reachedAt: z.string() }).nullable(),
});

const ZPipelineItem = z.object({
  id: z.string(),
  fullName: z.string(),
  email: z.string(),
  citizenship: z.string().nullable(),
  scope: z.enum(['view', 'act']),
  stage: z.object({ stage: ZStage, reachedAt: z.string() }).nullable(),
  universities: z.array(z.object({ slug: z.string(), name: ZName })),
  consultant: ZPerson.nullable(),
  openTasks: z.number().int(),
  nextTask: z.object({ id: z.string(), title: z.string(), dueAt: z.string() }).nullable(),
});

const ZTask = z.object({
  id: z.string(),
  title: z.string(),
  dueAt: z.string(),
  applicant: ZPerson.nullable(),
  lead: z.object({ id: z.string(), name: z.string() }).nullable(),
  assignee: ZPerson.nullable(),
  createdBy: z.string(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
});

const ZNote = z.object({ id: z.string(), body: z.string(), author: ZPerson, createdAt: z.string() });
const ZNoteBody = z.strictObject({ body: z.string().trim().min(1).max(10_000) });

const ZAdaptationView = z.object({
  university: z.object({ slug: z.string(), name: ZName }),
  isDefault: z.boolean(),
  items: z.array(
    z.object({
      id: z.string(),
      title: ZName,
      dueAt: z.string(),
      workingDays: z.boolean(),
      essential: z.boolean(),
      source: z.string(),
      doneAt: z.string().nullable(),
      doneBy: z.string().nullable(),
      overdue: z.boolean(),
    }),
  ),
});
const ZAdaptationList = z.object({ items: z.array(ZAdaptationView) });
const ZItemDone = z.strictObject({
  done: z.boolean(),
  university: z.string().max(120).optional().describe('slug, when the student has checklists at several universities'),
});

const ZFunnelRow = z.object({
  applicants: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  conversions: z.array(z.object({ from: ZStage, to: ZStage, rate: z.number().nullable() })),
});

export function agencyWorkRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // ---------- Pipeline ----------
    app.get(
      '/agency/pipeline',
      {
        schema: {
          tags,
          summary: "My agency's applicants (active grants only) at their current stage: a list, or a board by stage",
          querystring: z.object({
            stage: ZStage.optional(),
            university: z.string().max(120).optional().describe('slug of a university applied to'),
            consultant: z.string().max(60).optional().describe('consultant id, or "none" for unassigned'),
            q: z.string().max(200).optional().describe('part of the name or e-mail'),
            view: z.enum(['list', 'board']).default('list'),
          }),
          response: {
            200: z.discriminatedUnion('view', [
              z.object({ view: z.literal('list'), items: z.array(ZPipelineItem) }),
              z.object({
                view: z.literal('board'),
                columns: z.array(
                  z.object({ stage: ZStage.nullable(), count: z.number().int(), cards: z.array(ZPipelineItem) }),
                ),
              }),
            ]),
            ...problemResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const { view, ...filter } = request.query;
        const items = await listPipeline(ctx, principalOf(request), filter);
        if (view === 'list') return { view, items };
        const columns = [null, ...STAGES].map((stage) => {
          const cards = items.filter((i: PipelineItem) => (i.stage?.stage ?? null) === stage);
          return { stage, count: cards.length, cards };
        });
        return { view, columns };
      },
    );

    app.get(
      '/agency/applicants/:id/stages',
      {
        schema: {
          tags,
          summary: 'Every stage of the applicant with its date and source (system or manual), and the current stage',
          params: idParam,
          response: { 200: ZStages, ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => applicantStages(ctx, principalOf(request), request.params.id, actorOf(request)),
    );

    app.put(
      '/agency/applicants/:id/stages/:stage',
      {
        schema: {
          tags,
          summary: 'Set (or clear) a stage by hand — for stages the system cannot see (act access; audited)',
          description:
            "A stage the system derives from its own states keeps the system's date; the manual value only fills stages the system has no record of.",
          params: idParam.extend({ stage: ZStage }),
          body: z.strictObject({ reached: z.boolean(), at: ZInstant.optional() }),
          response: { 200: ZStages, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        setManualStage(
          ctx,
          principalOf(request),
          request.params.id,
          request.params.stage,
          request.body,
          actorOf(request),
        ),
    );

    app.patch(
      '/agency/applicants/:id/case',
      {
        schema: {
          tags,
          summary: 'Assign a consultant of my agency to the applicant (or nobody; audited)',
          params: idParam,
          body: z.strictObject({ consultantId: z.string().max(60).nullable() }),
          response: { 200: z.object({ consultant: ZPerson.nullable() }), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        assignConsultant(ctx, principalOf(request), request.params.id, request.body.consultantId, actorOf(request)),
    );

    app.get(
      '/agency/applicants/:id/timeline',
      {
        schema: {
          tags,
          summary:
            "The applicant's timeline, oldest first: lead, grant, dossier and documents, applications, admission, visa, stages, notes, tasks",
          params: idParam,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  at: z.string(),
                  type: z.string(),
                  summary: z.string(),
                  actor: ZPerson.nullable(),
                  onBehalf: z.boolean(),
                  data: z.record(z.string(), z.unknown()).nullable(),
                }),
              ),
            }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => ({
        items: await applicantTimeline(ctx, principalOf(request), request.params.id, actorOf(request)),
      }),
    );

    // ---------- Tasks ----------
    app.get(
      '/agency/tasks',
      {
        schema: {
          tags,
          summary: "My agency's tasks, soonest due first",
          querystring: z.object({
            open: z.enum(['true', 'false']).optional().describe('true: not done; false: done'),
            due_before: ZInstant.optional(),
            applicant: z.string().max(60).optional(),
            lead: z.string().max(60).optional(),
            assignee: z.enum(['me']).optional(),
          }),
          response: { 200: z.object({ items: z.array(ZTask) }), ...problemResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const q = request.query;
        return {
          items: await listTasks(ctx, principalOf(request), {
            open: q.open === undefined ? undefined : q.open === 'true',
            dueBefore: q.due_before,
            applicant: q.applicant,
            lead: q.lead,
            assignee: q.assignee,
          }),
        };
      },
    );

    app.post(
      '/agency/tasks',
      {
        schema: {
          tags,
          summary: 'Create a task (about an applicant, a lead, or neither), with a due date and an assignee',
          body: z.strictObject({
            title: z.string().trim().min(1).max(300),
            dueAt: ZInstant,
            applicantId: z.string().max(60).optional(),
            leadId: z.string().max(60).optional(),
            assigneeId: z.string().max(60).nullable().optional(),
          }),
          response: { 201: ZTask, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createTask(ctx, principalOf(request), request.body, actorOf(request))),
    );

    app.patch(
      '/agency/tasks/:id',
      {
        schema: {
          tags,
          summary: 'Mark a task done (or open again), move its due date, rename or reassign it',
          params: idParam,
          body: z.strictObject({
            done: z.boolean().optional(),
            dueAt: ZInstant.optional(),
            title: z.string().trim().min(1).max(300).optional(),
            assigneeId: z.string().max(60).nullable().optional(),
          }),
          response: { 200: ZTask, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => updateTask(ctx, principalOf(request), request.params.id, request.body, actorOf(request)),
    );

    // ---------- Notes ----------
    for (const kind of ['applicants', 'leads'] as const) {
      const subject = (id: string) => (kind === 'applicants' ? { applicantId: id } : { leadId: id });
      app.get(
        `/agency/${kind}/:id/notes`,
        {
          schema: {
            tags,
            summary: `Notes of my agency about the ${kind === 'applicants' ? 'applicant' : 'lead'}, newest first`,
            params: idParam,
            response: { 200: z.object({ items: z.array(ZNote) }), ...problemResponses(401, 403, 404) },
          },
        },
        async (request) => ({
          items: await listNotes(ctx, principalOf(request), subject(request.params.id), actorOf(request)),
        }),
      );
      app.post(
        `/agency/${kind}/:id/notes`,
        {
          schema: {
            tags,
            summary: `Add a note about the ${kind === 'applicants' ? 'applicant' : 'lead'} (visible to my agency only)`,
            params: idParam,
            body: ZNoteBody,
            response: { 201: ZNote, ...problemResponses(400, 401, 403, 404) },
          },
        },
        async (request, reply) =>
          reply
            .code(201)
            .send(
              await addNote(ctx, principalOf(request), subject(request.params.id), request.body.body, actorOf(request)),
            ),
      );
    }

    // ---------- Adaptation ----------
    const ZTemplates = z.object({
      templates: z.array(z.object({ country: z.string(), items: z.array(ZAdaptationItem), updatedAt: z.string() })),
      default: z.object({ note: z.string(), items: z.array(ZAdaptationItem) }),
    });
    app.get(
      '/universities/:slug/adaptation-templates',
      {
        schema: {
          tags: ['adaptation'],
          summary:
            "The university's adaptation checklists per citizenship ('*' for everyone else) and the built-in default",
          params: slugParam,
          response: { 200: ZTemplates, ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => getTemplates(ctx, principalOf(request), request.params.slug),
    );

    app.put(
      '/universities/:slug/adaptation-templates',
      {
        schema: {
          tags: ['adaptation'],
          summary: 'Replace the adaptation checklists of the university (officers of the university, administrators)',
          params: slugParam,
          body: z.strictObject({ templates: z.array(ZAdaptationTemplate).max(250) }),
          response: { 200: ZTemplates, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        saveTemplates(ctx, principalOf(request), request.params.slug, request.body.templates, actorOf(request)),
    );

    app.get(
      '/universities/:slug/adaptation',
      {
        schema: {
          tags: ['adaptation'],
          summary: "Arrived students' checklists at the university (officers, administrators)",
          params: slugParam,
          querystring: z.object({ applicant: z.string().max(60).optional() }),
          response: {
            200: z.object({
              items: z.array(
                ZAdaptationView.extend({
                  applicant: z.object({ id: z.string(), fullName: z.string(), email: z.string() }),
                }),
              ),
            }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => ({
        items: await universityAdaptation(ctx, principalOf(request), request.params.slug, request.query.applicant),
      }),
    );

    app.post(
      '/universities/:slug/adaptation',
      {
        schema: {
          tags: ['adaptation'],
          summary: 'Start (or re-date) the checklist of a student admitted to the university, from the arrival date',
          params: slugParam,
          body: z.strictObject({ applicantId: z.string().max(60), arrivedAt: ZInstant }),
          response: { 200: ZAdaptationView, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        universityStartAdaptation(ctx, principalOf(request), request.params.slug, request.body, actorOf(request)),
    );

    app.get(
      '/agency/applicants/:id/adaptation',
      {
        schema: {
          tags: ['adaptation'],
          summary: "The applicant's adaptation checklists (view access)",
          params: idParam,
          response: { 200: ZAdaptationList, ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => ({
        items: await agencyAdaptation(ctx, principalOf(request), request.params.id, actorOf(request)),
      }),
    );

    app.post(
      '/agency/applicants/:id/adaptation',
      {
        schema: {
          tags: ['adaptation'],
          summary: 'Start (or re-date) the checklist from an arrival date (act access), e.g. for a visa-free student',
          params: idParam,
          body: z.strictObject({
            arrivedAt: ZInstant,
            university: z.string().max(120).optional().describe('slug; required when admitted at several'),
          }),
          response: { 200: ZAdaptationList, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => ({
        items: await agencyStartAdaptation(
          ctx,
          principalOf(request),
          request.params.id,
          request.body,
          actorOf(request),
        ),
      }),
    );

    app.put(
      '/agency/applicants/:id/adaptation/:itemId',
      {
        schema: {
          tags: ['adaptation'],
          summary: 'Mark an adaptation item done or not done, on the applicant’s behalf (act access)',
          params: idParam.extend({ itemId: z.string().min(1).max(40) }),
          body: ZItemDone,
          response: { 200: ZAdaptationList, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        items: await agencySetItem(
          ctx,
          principalOf(request),
          request.params.id,
          request.params.itemId,
          request.body,
          actorOf(request),
        ),
      }),
    );

    app.get(
      '/me/adaptation',
      {
        schema: {
          tags: ['adaptation'],
          summary: 'My adaptation checklists after arrival',
          response: { 200: ZAdaptationList, ...problemResponses(401, 403) },
        },
      },
      async (request) => ({ items: await myAdaptation(ctx, principalOf(request)) }),
    );

    app.put(
      '/me/adaptation/:itemId',
      {
        schema: {
          tags: ['adaptation'],
          summary: 'Mark one of my adaptation items done or not done',
          params: z.object({ itemId: z.string().min(1).max(40) }),
          body: ZItemDone,
          response: { 200: ZAdaptationList, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({
        items: await mySetItem(ctx, principalOf(request), request.params.itemId, request.body, actorOf(request)),
      }),
    );

    // ---------- Reports ----------
    app.get(
      '/agency/reports/funnel',
      {
        schema: {
          tags,
          summary: 'Funnel per university and stage over a period, with conversion rates (JSON or XLSX)',
          description:
            'Counts the applicants of my agency (active grants) who reached each stage within [from, to] (UTC days; default the last 365 days). A university row covers applicants with a submitted application there, its stages derived from that university only.',
          querystring: z.object({
            from: z.iso.date().optional(),
            to: z.iso.date().optional(),
            university: z.string().max(120).optional(),
            format: z.enum(['json', 'xlsx']).default('json'),
            lang: z.enum(['en', 'ru']).default('en'),
          }),
          response: {
            200: z.object({
              from: z.string(),
              to: z.string(),
              stages: z.array(ZStage),
              total: ZFunnelRow.nullable(),
              universities: z.array(ZFunnelRow.extend({ university: z.object({ slug: z.string(), name: ZName }) })),
            }),
            ...problemResponses(400, 401, 403),
          },
        },
      },
      async (request, reply) => {
        const { format, lang, ...input } = request.query;
        const report = await funnelReport(ctx, principalOf(request), input);
        if (format === 'json') return report;
        const body = await funnelXlsx(report, lang);
        const name = `funnel-${report.from.slice(0, 10)}-${report.to.slice(0, 10)}.xlsx`;
        // A Buffer is sent as it is (the JSON response schema does not apply to it).
        return reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('x-content-type-options', 'nosniff')
          .send(body as never);
      },
    );
  };
}
