import { asc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaigns, universities } from '../../db/schema.js';
import { ZCampaignInput } from '../../domain/campaign/campaign.schema.js';
import { applicationView } from '../applications/application.service.js';
import { exportCampaignApplications, listCampaignApplications } from '../applications/application-list.service.js';
import { deadlinesCalendar, deadlinesOf } from '../campaigns/calendar.js';
import {
  campaignInput,
  competitionsOf,
  copyCampaignToNextYear,
  documentsWindow,
  findCampaign,
  grantExtension,
  saveCampaign,
} from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import {
  presentApplicationView,
  presentCompetition,
  ZApplicationView,
  ZCampaign,
} from '../presenters/application.presenter.js';
import { problems } from '../problem.js';
import { problemResponses } from './schemas.js';

const tags = ['campaigns'];
const ZApplicationListItem = z
  .object({
    id: z.uuid(),
    number: z.string().nullable(),
    status: z.string(),
    submittedAt: z.string().nullable(),
    applicant: z.object({
      id: z.uuid(),
      email: z.string(),
      fullName: z.string(),
      latinName: z.string().nullable(),
      citizenship: z.string().nullable(),
      category: z.string().nullable(),
    }),
    documents: z.object({ pending: z.number().int(), accepted: z.number().int(), rejected: z.number().int() }),
    choices: z.array(
      z.object({
        priority: z.number().int(),
        program: z.string(),
        title: z.object({ en: z.string(), ru: z.string() }),
        funding: z.string(),
        studyForm: z.string(),
      }),
    ),
  })
  .meta({ id: 'CampaignApplication' });
const keyParam = z.object({ key: z.string().min(1).max(120).describe('campaign slug or id') });

export function campaignRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/campaigns',
      {
        schema: {
          tags,
          summary: 'Admission campaigns, with whether applications are open now (server time)',
          querystring: z.strictObject({
            university: z.string().max(120).optional().describe('university slug'),
            universityId: z.uuid().optional(),
            level: z.string().max(20).optional(),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  slug: z.string(),
                  title: z.object({ en: z.string(), ru: z.string() }),
                  university: z.object({ slug: z.string(), name: z.object({ en: z.string(), ru: z.string() }) }),
                  academicYear: z.string(),
                  level: z.string(),
                  openNow: z.boolean(),
                  competitions: z.number().int(),
                }),
              ),
            }),
          },
        },
      },
      async (request) => {
        const rows = await ctx.db
          .select({ campaign: campaigns, university: universities })
          .from(campaigns)
          .innerJoin(universities, eq(universities.id, campaigns.universityId))
          .orderBy(asc(campaigns.academicYear), asc(campaigns.slug));
        const filtered = rows.filter(
          (r) =>
            (!request.query.university || r.university.slug === request.query.university) &&
            (!request.query.universityId || r.university.id === request.query.universityId) &&
            (!request.query.level || r.campaign.level === request.query.level),
        );
        const comps = await competitionsOf(
          ctx.db,
          filtered.map((r) => r.campaign.id),
        );
        const now = ctx.clock.now();
        return {
          items: filtered.map(({ campaign, university }) => {
            const own = comps.filter((c) => c.competition.campaignId === campaign.id);
            return {
              slug: campaign.slug,
              title: { en: campaign.titleEn, ru: campaign.titleRu },
              university: { slug: university.slug, name: { en: university.nameEn, ru: university.nameRu } },
              academicYear: campaign.academicYear,
              level: campaign.level,
              openNow: own.some((c) => documentsWindow(campaign, c.competition, now, null).state === 'open'),
              competitions: own.length,
            };
          }),
        };
      },
    );

    app.get(
      '/campaigns/:key',
      {
        schema: {
          tags,
          summary: 'One campaign: windows, requirements, competitions, each with its source',
          params: keyParam,
          response: { 200: ZCampaign, ...problemResponses(404) },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const input = await campaignInput(ctx.db, campaign);
        const comps = await competitionsOf(ctx.db, [campaign.id]);
        return {
          ...input,
          id: campaign.id,
          competitions: comps.map(presentCompetition),
          updatedAt: campaign.updatedAt.toISOString(),
        };
      },
    );

    app.put(
      '/campaigns/:key',
      {
        schema: {
          tags,
          summary: 'Create or replace a campaign (officers of its university, administrators); audited',
          params: keyParam,
          body: ZCampaignInput,
          response: {
            200: z.object({ id: z.uuid(), created: z.boolean() }),
            201: z.object({ id: z.uuid(), created: z.boolean() }),
            ...problemResponses(400, 401, 403, 409),
          },
        },
      },
      async (request, reply) => {
        const saved = await saveCampaign(
          ctx,
          principalOf(request),
          { ...request.body, slug: request.params.key },
          actorOf(request),
        );
        return reply.code(saved.created ? 201 : 200).send(saved);
      },
    );

    app.post(
      '/campaigns/:key/copy',
      {
        schema: {
          tags,
          summary: 'Copy a campaign to the next academic year (dates moved by one year)',
          params: keyParam,
          body: z.strictObject({
            slug: z
              .string()
              .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
              .max(120),
          }),
          response: { 201: z.object({ id: z.uuid() }), ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const copied = await copyCampaignToNextYear(
          ctx,
          principalOf(request),
          request.params.key,
          request.body.slug,
          actorOf(request),
        );
        return reply.code(201).send(copied);
      },
    );

    app.get(
      '/campaigns/:key/calendar.ics',
      {
        schema: {
          tags,
          summary: "The campaign's deadlines as iCalendar",
          params: keyParam,
          querystring: z.strictObject({ locale: z.enum(['en', 'ru']).default('en') }),
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const input = await campaignInput(ctx.db, campaign);
        const ics = deadlinesCalendar(
          deadlinesOf({ slug: input.slug, title: input.title }, input.windows),
          request.query.locale,
          ctx.config.publicUrl,
        );
        return reply
          .header('content-type', 'text/calendar; charset=utf-8')
          .header('content-disposition', `attachment; filename="${campaign.slug}.ics"`)
          .send(ics);
      },
    );

    const staffQuery = z.strictObject({
      status: z.enum(['submitted', 'withdrawn']).optional(),
      program: z.string().max(120).optional(),
      q: z.string().max(200).optional(),
      documents: z.enum(['pending', 'rejected', 'all_accepted']).optional(),
    });

    app.get(
      '/campaigns/:key/applications',
      {
        schema: {
          tags,
          summary: 'Submitted applications of a campaign (its officers and reviewers)',
          params: keyParam,
          querystring: staffQuery,
          response: { 200: z.object({ items: z.array(ZApplicationListItem) }), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        authorize(principalOf(request), 'campaign.applications.read', { universityId: campaign.universityId });
        const items = await listCampaignApplications(ctx, campaign, request.query);
        return { items: items.map((i) => ({ ...i, submittedAt: i.submittedAt?.toISOString() ?? null })) };
      },
    );

    app.get(
      '/campaigns/:key/applications/export',
      {
        schema: {
          tags,
          summary: 'Export the applications (one row per choice) as XLSX or CSV',
          params: keyParam,
          querystring: staffQuery.extend({ format: z.enum(['csv', 'xlsx']).default('xlsx') }),
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        authorize(principalOf(request), 'campaign.applications.read', { universityId: campaign.universityId });
        const { format, ...filter } = request.query;
        const file = await exportCampaignApplications(await listCampaignApplications(ctx, campaign, filter), format);
        return reply
          .header(
            'content-type',
            format === 'csv'
              ? 'text/csv; charset=utf-8'
              : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('content-disposition', `attachment; filename="${campaign.slug}-applications.${format}"`)
          .send(file);
      },
    );

    app.get(
      '/campaigns/:key/applicants/:applicantId',
      {
        schema: {
          tags,
          summary: "One applicant's application with its checklist (officers and reviewers)",
          params: keyParam.extend({ applicantId: z.uuid() }),
          response: { 200: ZApplicationView, ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        authorize(principalOf(request), 'campaign.applications.read', { universityId: campaign.universityId });
        const view = await applicationView(ctx, request.params.applicantId, campaign);
        if (!view.application || view.application.status === 'draft') throw problems.notFound('application');
        return presentApplicationView(campaign, view);
      },
    );

    app.post(
      '/campaigns/:key/extensions',
      {
        schema: {
          tags,
          summary: 'Let one applicant file documents until a later time (officers); the reason is audited',
          params: keyParam,
          body: z.strictObject({
            applicantId: z.uuid(),
            until: z.iso.datetime(),
            reason: z.string().trim().min(3).max(1000),
          }),
          response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        await grantExtension(
          ctx,
          principalOf(request),
          campaign,
          request.body.applicantId,
          new Date(request.body.until),
          request.body.reason,
          actorOf(request),
        );
        return reply.code(204).send(null);
      },
    );
  };
}
