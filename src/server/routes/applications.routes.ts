import { eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { applications, campaigns } from '../../db/schema.js';
import type { TWindow } from '../../domain/campaign/campaign.schema.js';
import {
  applicationView,
  setChoices,
  submitApplication,
  withdrawApplication,
} from '../applications/application.service.js';
import { type Deadline, deadlinesCalendar, deadlinesOf } from '../campaigns/calendar.js';
import { extensionFor, findCampaign } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import { presentApplicationView, ZApplicationView, ZReceipt } from '../presenters/application.presenter.js';
import { problemResponses } from './schemas.js';

const tags = ['applications'];
const campaignParam = z.object({ campaign: z.string().min(1).max(120).describe('campaign slug or id') });

export function applicationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const me = (request: Parameters<typeof principalOf>[0]) => {
      const principal = principalOf(request);
      authorize(principal, 'application.write', { userId: principal?.id ?? '' });
      return principal;
    };

    /** My applications' campaigns, for the deadlines page and calendar. */
    const myDeadlines = async (applicantId: string): Promise<Deadline[]> => {
      const rows = await ctx.db
        .select({ campaign: campaigns })
        .from(applications)
        .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
        .where(eq(applications.applicantId, applicantId));
      const all: Deadline[] = [];
      for (const { campaign } of rows) {
        const extension = await extensionFor(ctx.db, campaign.id, applicantId);
        all.push(
          ...deadlinesOf(
            { slug: campaign.slug, title: { en: campaign.titleEn, ru: campaign.titleRu } },
            campaign.windows as TWindow[],
            extension,
          ),
        );
      }
      return all.sort((a, b) => a.closes.getTime() - b.closes.getTime());
    };

    app.get(
      '/me/applications',
      {
        schema: {
          tags,
          summary: 'My applications',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  campaign: z.string(),
                  title: z.object({ en: z.string(), ru: z.string() }),
                  status: z.string(),
                  number: z.string().nullable(),
                  submittedAt: z.string().nullable(),
                }),
              ),
            }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => {
        const principal = me(request);
        const rows = await ctx.db
          .select({ application: applications, campaign: campaigns })
          .from(applications)
          .innerJoin(campaigns, eq(campaigns.id, applications.campaignId))
          .where(eq(applications.applicantId, principal.id));
        return {
          items: rows.map(({ application: a, campaign: c }) => ({
            campaign: c.slug,
            title: { en: c.titleEn, ru: c.titleRu },
            status: a.status,
            number: a.number,
            submittedAt: a.submittedAt?.toISOString() ?? null,
          })),
        };
      },
    );

    app.get(
      '/me/applications/:campaign',
      {
        schema: {
          tags,
          summary: 'My application to a campaign: choices, checklists, deadlines, timeline',
          params: campaignParam,
          response: { 200: ZApplicationView, ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const principal = me(request);
        const campaign = await findCampaign(ctx.db, request.params.campaign);
        return presentApplicationView(campaign, await applicationView(ctx, principal.id, campaign));
      },
    );

    app.put(
      '/me/applications/:campaign/choices',
      {
        schema: {
          tags,
          summary: 'Choose competitions in priority order (first = most wanted); allowed while the window is open',
          params: campaignParam,
          body: z.strictObject({ competitions: z.array(z.uuid()).max(20) }),
          response: { 200: ZApplicationView, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) => {
        const principal = me(request);
        const campaign = await findCampaign(ctx.db, request.params.campaign);
        await setChoices(ctx, principal.id, campaign, request.body.competitions, actorOf(request));
        return presentApplicationView(campaign, await applicationView(ctx, principal.id, campaign));
      },
    );

    app.post(
      '/me/applications/:campaign/submit',
      {
        schema: {
          tags,
          summary: 'Submit; send an Idempotency-Key header so a retried request returns the same receipt',
          params: campaignParam,
          headers: z.object({ 'idempotency-key': z.string().min(8).max(100) }).passthrough(),
          response: { 200: ZReceipt, 201: ZReceipt, ...problemResponses(400, 401, 403, 404, 409, 422) },
        },
      },
      async (request, reply) => {
        const principal = me(request);
        const campaign = await findCampaign(ctx.db, request.params.campaign);
        const { receipt, replayed } = await submitApplication(
          ctx,
          principal.id,
          campaign,
          request.headers['idempotency-key'],
          actorOf(request),
        );
        return reply.code(replayed ? 200 : 201).send({ ...receipt, submittedAt: receipt.submittedAt.toISOString() });
      },
    );

    app.post(
      '/me/applications/:campaign/withdraw',
      {
        schema: {
          tags,
          summary: 'Withdraw a submitted application while the window is open',
          params: campaignParam,
          body: z.strictObject({ reason: z.string().trim().max(1000).optional() }),
          response: { 200: ZApplicationView, ...problemResponses(401, 403, 404, 409) },
        },
      },
      async (request) => {
        const principal = me(request);
        const campaign = await findCampaign(ctx.db, request.params.campaign);
        await withdrawApplication(ctx, principal.id, campaign, request.body.reason ?? null, actorOf(request));
        return presentApplicationView(campaign, await applicationView(ctx, principal.id, campaign));
      },
    );

    app.get(
      '/me/deadlines',
      {
        schema: {
          tags,
          summary: 'Deadlines of the campaigns I apply to, my extensions included',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  campaign: z.string(),
                  title: z.object({ en: z.string(), ru: z.string() }),
                  kind: z.string(),
                  closes: z.string(),
                  extended: z.boolean(),
                  source: z.string(),
                  studyForms: z.array(z.string()),
                  funding: z.array(z.string()),
                }),
              ),
            }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => {
        const principal = me(request);
        const items = await myDeadlines(principal.id);
        return {
          items: items.map((d) => ({
            campaign: d.campaign.slug,
            title: d.campaign.title,
            kind: d.kind,
            closes: d.closes.toISOString(),
            extended: d.extended,
            source: d.source,
            studyForms: d.studyForms,
            funding: d.funding,
          })),
        };
      },
    );

    app.get(
      '/me/calendar.ics',
      { schema: { tags, summary: 'My deadlines as iCalendar, in my language' } },
      async (request, reply) => {
        const principal = me(request);
        const user = request.auth?.user;
        const ics = deadlinesCalendar(await myDeadlines(principal.id), user?.locale ?? 'en', ctx.config.publicUrl);
        return reply
          .header('content-type', 'text/calendar; charset=utf-8')
          .header('content-disposition', 'attachment; filename="medadmit-deadlines.ics"')
          .send(ics);
      },
    );
  };
}
