import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createEvents } from 'ics';
import { z } from 'zod';
import { campaigns, examBookings, examSessions } from '../../db/schema.js';
import { ZExamPlan } from '../../domain/exams/exam-plan.js';
import { ZScoreConfig } from '../../domain/scoring/competitive-score.js';
import { findCampaign } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { competitiveScores, saveScoreConfig, scoreConfigOf } from '../exams/competitive.service.js';
import {
  book,
  cancelBooking,
  createSession,
  deleteSession,
  EXAM_PRESETS,
  enterResults,
  examPlanOf,
  myExams,
  type ResultRow,
  resultsGrid,
  saveExamPlan,
  sessionsOf,
} from '../exams/exam.service.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import { problemResponses } from './schemas.js';

const tags = ['exams'];
const keyParam = z.object({ key: z.string().min(1).max(120) });
const ZResultRow = z.strictObject({
  applicationNumber: z.string().min(1).max(40),
  slotId: z.string().min(1).max(60),
  status: z.enum(['absent', 'sat']),
  score: z.number().nullable().optional(),
  attempt: z.number().int().min(1).max(20).optional(),
});

function session(s: Awaited<ReturnType<typeof sessionsOf>>[number]) {
  return {
    id: s.id,
    slotId: s.slotId,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    mode: s.mode,
    location: s.location,
    capacity: s.capacity,
    booked: s.booked,
  };
}

/** Rows of an uploaded CSV or XLSX with columns application_number, slot, status, score[, attempt]. */
async function readResultFile(file: string, name: string): Promise<ResultRow[]> {
  let records: Record<string, string>[];
  if (name.toLowerCase().endsWith('.xlsx')) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await fs.readFile(file)) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const header = ((sheet?.getRow(1).values as unknown[]) ?? []).slice(1).map((v) => String(v ?? '').trim());
    records = [];
    sheet?.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(1);
      records.push(
        Object.fromEntries(
          header.map((h, i) => [h, values[i] === undefined || values[i] === null ? '' : String(values[i])]),
        ),
      );
    });
  } else {
    records = parseCsv(await fs.readFile(file), {
      columns: true,
      skip_empty_lines: true,
      bom: true,
      trim: true,
    }) as Record<string, string>[];
  }
  return records.map((r, i) => ({
    applicationNumber: r.application_number ?? '',
    slotId: r.slot ?? '',
    status: (r.status === 'absent' ? 'absent' : 'sat') as 'absent' | 'sat',
    score: r.score === undefined || r.score === '' ? null : Number(r.score),
    ...(r.attempt ? { attempt: Number(r.attempt) } : {}),
    where: `${name} row ${i + 2}`,
  }));
}

export function examRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/campaigns/:key/exam-plan',
      {
        schema: {
          tags,
          summary: 'Entrance exams of a campaign and their sittings',
          params: keyParam,
          response: {
            200: z.object({ plan: ZExamPlan.nullable(), sessions: z.array(z.unknown()) }),
            ...problemResponses(404),
          },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        return { plan: examPlanOf(campaign), sessions: (await sessionsOf(ctx.db, campaign.id)).map(session) };
      },
    );

    app.put(
      '/campaigns/:key/exam-plan',
      {
        schema: {
          tags,
          summary:
            'Set the exam plan from a preset (kaznmu-residency S2-5, russian-accreditation S0-5) or a definition',
          params: keyParam,
          body: z.union([z.strictObject({ preset: z.string().max(60) }), z.strictObject({ plan: ZExamPlan })]),
          response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const plan = 'preset' in request.body ? EXAM_PRESETS[request.body.preset] : request.body.plan;
        if (!plan)
          throw problems.validation([
            {
              field: 'body.preset',
              code: 'unknown_value',
              message: `Presets: ${Object.keys(EXAM_PRESETS).join(', ')}`,
            },
          ]);
        await saveExamPlan(ctx, principalOf(request), campaign, plan, actorOf(request));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/campaigns/:key/exam-sessions',
      {
        schema: {
          tags,
          summary: 'Add a sitting inside the exam window (officers)',
          params: keyParam,
          body: z.strictObject({
            slotId: z.string().max(60),
            startsAt: z.iso.datetime(),
            endsAt: z.iso.datetime(),
            mode: z.enum(['on_site', 'online']),
            location: z.string().trim().max(300).optional(),
            capacity: z.number().int().min(1).max(10_000),
          }),
          response: { 201: z.object({ id: z.uuid() }), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const b = request.body;
        const row = await createSession(
          ctx,
          principalOf(request),
          campaign,
          { ...b, startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt) },
          actorOf(request),
        );
        return reply.code(201).send({ id: row.id });
      },
    );

    app.delete(
      '/exam-sessions/:id',
      {
        schema: {
          tags,
          summary: 'Remove a sitting nobody booked',
          params: z.object({ id: z.uuid() }),
          response: { 204: z.null(), ...problemResponses(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        await deleteSession(ctx, principalOf(request), request.params.id, actorOf(request));
        return reply.code(204).send(null);
      },
    );

    const applicant = (request: Parameters<typeof principalOf>[0]) => {
      const principal = principalOf(request);
      authorize(principal, 'application.write', { userId: principal?.id ?? '' });
      return principal;
    };

    app.get(
      '/me/exams/:key',
      {
        schema: {
          tags,
          summary: 'My exams in a campaign: options for my group (S2-5), sittings, bookings, results',
          params: keyParam,
          response: { 200: z.unknown(), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const principal = applicant(request);
        const mine = await myExams(ctx, principal.id, await findCampaign(ctx.db, request.params.key));
        return { ...mine, sessions: mine.sessions.map(session) };
      },
    );

    app.put(
      '/me/exams/:key/bookings/:slotId',
      {
        schema: {
          tags,
          summary: 'Book or move my sitting for an exam (until 24 h before it)',
          params: keyParam.extend({ slotId: z.string().max(60) }),
          body: z.strictObject({ sessionId: z.uuid(), optionId: z.string().max(60) }),
          response: { 204: z.null(), ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const principal = applicant(request);
        const campaign = await findCampaign(ctx.db, request.params.key);
        const sitting = await book(
          ctx,
          principal.id,
          campaign,
          request.params.slotId,
          request.body.sessionId,
          request.body.optionId,
          actorOf(request),
        );
        const user = request.auth?.user;
        if (user) {
          const when = sitting.startsAt.toISOString().replace('T', ' ').slice(0, 16);
          const text =
            user.locale === 'ru'
              ? {
                  subject: `Вы записаны на экзамен ${when} UTC`,
                  text: `Здравствуйте, ${user.fullName}!\n\nВы записаны на вступительное испытание ${when} UTC (${sitting.mode === 'online' ? 'онлайн' : (sitting.location ?? 'очно')}).\nКалендарь: ${ctx.config.publicUrl}/api/v1/me/exams.ics\n\nMedAdmit`,
                }
              : {
                  subject: `Exam booked for ${when} UTC`,
                  text: `Hello ${user.fullName},\n\nyou are booked for the entrance exam on ${when} UTC (${sitting.mode === 'online' ? 'online' : (sitting.location ?? 'on site')}).\nCalendar: ${ctx.config.publicUrl}/api/v1/me/exams.ics\n\nMedAdmit`,
                };
          await ctx.mailer
            .send({ to: user.email, ...text })
            .catch((error: unknown) => request.log.error({ err: error }, 'booking e-mail'));
        }
        return reply.code(204).send(null);
      },
    );

    app.delete(
      '/me/exams/:key/bookings/:slotId',
      {
        schema: {
          tags,
          summary: 'Cancel my booking (until 24 h before)',
          params: keyParam.extend({ slotId: z.string().max(60) }),
          response: { 204: z.null(), ...problemResponses(401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const principal = applicant(request);
        await cancelBooking(
          ctx,
          principal.id,
          await findCampaign(ctx.db, request.params.key),
          request.params.slotId,
          actorOf(request),
        );
        return reply.code(204).send(null);
      },
    );

    app.get('/me/exams.ics', { schema: { tags, summary: 'My exam sittings as iCalendar' } }, async (request, reply) => {
      const principal = applicant(request);
      const rows = await ctx.db
        .select({ s: examSessions, c: campaigns })
        .from(examBookings)
        .innerJoin(examSessions, eq(examSessions.id, examBookings.sessionId))
        .innerJoin(campaigns, eq(campaigns.id, examSessions.campaignId))
        .where(and(eq(examBookings.applicantId, principal.id)));
      const ru = request.auth?.user.locale === 'ru';
      const { error, value } = rows.length
        ? createEvents(
            rows.map(({ s, c }) => ({
              uid: `exam-${s.id}-${principal.id}@medadmit`,
              title: `${ru ? 'Вступительное испытание' : 'Entrance exam'}: ${ru ? c.titleRu : c.titleEn} (${s.slotId})`,
              start: s.startsAt.getTime(),
              startInputType: 'utc' as const,
              startOutputType: 'utc' as const,
              end: s.endsAt.getTime(),
              endInputType: 'utc' as const,
              endOutputType: 'utc' as const,
              location: s.mode === 'online' ? 'online' : (s.location ?? ''),
              alarms: [
                {
                  action: 'display' as const,
                  description: ru ? 'Экзамен завтра' : 'Exam tomorrow',
                  trigger: { hours: 24, before: true },
                },
              ],
            })),
          )
        : {
            error: null,
            value: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//MedAdmit//Exams//EN\r\nEND:VCALENDAR\r\n',
          };
      if (error || !value) throw error ?? new Error('calendar');
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="medadmit-exams.ics"')
        .send(value);
    });

    app.get(
      '/campaigns/:key/exam-results',
      {
        schema: {
          tags,
          summary: 'Results grid: submitted applicants × exams, latest attempt (officers, reviewers)',
          params: keyParam,
          response: { 200: z.unknown(), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => resultsGrid(ctx, principalOf(request), await findCampaign(ctx.db, request.params.key)),
    );

    app.put(
      '/campaigns/:key/exam-results',
      {
        schema: {
          tags,
          summary: 'Enter results, all or nothing (officers); a row without attempt corrects the latest one',
          params: keyParam,
          body: z.strictObject({ rows: z.array(ZResultRow).min(1).max(5000) }),
          response: { 200: z.object({ saved: z.number().int() }), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        enterResults(
          ctx,
          principalOf(request),
          await findCampaign(ctx.db, request.params.key),
          request.body.rows,
          actorOf(request),
        ),
    );

    app.get(
      '/campaigns/:key/exam-results/export',
      {
        schema: {
          tags,
          summary: 'The latest attempt of every result, in the import format (CSV or XLSX)',
          params: keyParam,
          querystring: z.strictObject({ format: z.enum(['csv', 'xlsx']).default('csv') }),
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const grid = await resultsGrid(ctx, principalOf(request), campaign);
        const rows = grid.rows.flatMap((r) =>
          Object.entries(r.results).flatMap(([slot, res]) =>
            res
              ? [
                  {
                    application_number: r.applicationNumber,
                    slot,
                    status: res.status,
                    score: res.score ?? '',
                    attempt: res.attempt,
                  },
                ]
              : [],
          ),
        );
        const columns = ['application_number', 'slot', 'status', 'score', 'attempt'];
        let body: Buffer;
        if (request.query.format === 'csv') {
          body = Buffer.from(stringifyCsv(rows, { header: true, columns }));
        } else {
          const workbook = new ExcelJS.Workbook();
          const sheet = workbook.addWorksheet('results');
          sheet.columns = columns.map((c) => ({ header: c, key: c, width: 20 }));
          for (const row of rows) sheet.addRow(row);
          body = Buffer.from(await workbook.xlsx.writeBuffer());
        }
        return reply
          .header(
            'content-type',
            request.query.format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('content-disposition', `attachment; filename="${campaign.slug}-exam-results.${request.query.format}"`)
          .send(body);
      },
    );

    app.post(
      '/campaigns/:key/exam-results/import',
      {
        schema: {
          tags,
          summary:
            'Import results from CSV or XLSX (application_number, slot, status, score[, attempt]); all or nothing',
          params: keyParam,
          consumes: ['multipart/form-data'],
          response: { 200: z.object({ saved: z.number().int() }), ...problemResponses(400, 401, 403, 404, 413) },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        authorize(principalOf(request), 'campaign.write', { universityId: campaign.universityId });
        const part = request.isMultipart() ? await request.file() : undefined;
        if (!part)
          throw problems.validation([{ field: 'file', code: 'required', message: 'Attach a CSV or XLSX file.' }]);
        const name = path.basename(part.filename || 'results.csv');
        if (!/\.(csv|xlsx)$/i.test(name))
          throw new ProblemError(415, 'unsupported_file_type', 'Unsupported file type', {
            detail: 'Upload a .csv or .xlsx file.',
          });
        const temp = path.join(ctx.blobs.tempDir, `import-${Date.now()}-${Math.random().toString(36).slice(2)}`);
        await fs.mkdir(ctx.blobs.tempDir, { recursive: true });
        await fs.writeFile(temp, await part.toBuffer());
        try {
          const rows = await readResultFile(temp, name).catch(() => {
            throw problems.validation([
              {
                field: 'file',
                code: 'unreadable',
                message: `${name} cannot be read as ${name.endsWith('.xlsx') ? 'XLSX' : 'CSV'}.`,
              },
            ]);
          });
          return await enterResults(ctx, principalOf(request), campaign, rows, actorOf(request));
        } finally {
          await fs.rm(temp, { force: true });
        }
      },
    );

    app.get(
      '/campaigns/:key/score-config',
      {
        schema: {
          tags,
          summary: 'How the competitive score is computed',
          params: keyParam,
          response: { 200: ZScoreConfig, ...problemResponses(404) },
        },
      },
      async (request) => scoreConfigOf(await findCampaign(ctx.db, request.params.key)),
    );

    app.put(
      '/campaigns/:key/score-config',
      {
        schema: {
          tags,
          summary: 'Set the competitive score: rubric, exams or weighted, and the tie-breaks',
          params: keyParam,
          body: ZScoreConfig,
          response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await saveScoreConfig(
          ctx,
          principalOf(request),
          await findCampaign(ctx.db, request.params.key),
          request.body,
          actorOf(request),
        );
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/campaigns/:key/competitive-scores',
      {
        schema: {
          tags,
          summary: 'Score tuples of submitted applicants, best first, with explanations (officers, reviewers)',
          params: keyParam,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  applicationNumber: z.string(),
                  fullName: z.string(),
                  eligible: z.boolean(),
                  reason: z.string().nullable(),
                  tuple: z.array(z.number()),
                  explanation: z.array(
                    z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }),
                  ),
                }),
              ),
            }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => {
        const items = await competitiveScores(
          ctx,
          principalOf(request),
          await findCampaign(ctx.db, request.params.key),
        );
        return { items: items.map(({ applicantId: _, ...rest }) => rest) };
      },
    );
  };
}
