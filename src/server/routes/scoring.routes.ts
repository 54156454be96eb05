import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RUBRIC_PRESETS } from '../../domain/scoring/presets.js';
import { ZRubric } from '../../domain/scoring/rubric.schema.js';
import { findCampaign } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import { problems } from '../problem.js';
import {
  applicantBreakdown,
  assignReaders,
  readerQueue,
  reviewForReader,
  reviewProgress,
  submitReview,
} from '../scoring/review.service.js';
import {
  currentRubric,
  presetRubric,
  reviewSettingsOf,
  saveReviewSettings,
  saveRubric,
  ZReviewSettings,
} from '../scoring/rubric.service.js';
import { problemResponses } from './schemas.js';

const tags = ['scoring'];
const keyParam = z.object({ key: z.string().min(1).max(120) });
const ZInputs = z.record(
  z.string().max(60),
  z.union([z.number(), z.boolean(), z.string().max(60), z.null(), z.array(z.string().max(60)).max(5)]),
);
const ZFileStatus = z.object({
  status: z.enum(['incomplete', 'needs_reconciliation', 'final']),
  total: z.number().nullable(),
  items: z.array(z.object({ criterionId: z.string(), points: z.number() })),
  readersSubmitted: z.number().int(),
  readersRequired: z.number().int(),
});

export function scoringRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/rubric-presets',
      {
        schema: {
          tags,
          summary: 'Built-in rubrics (RUDN 2021/22, S4-5 and S4-6)',
          response: { 200: z.object({ items: z.array(ZRubric) }) },
        },
      },
      async () => ({
        items: [...RUBRIC_PRESETS],
      }),
    );

    app.get(
      '/campaigns/:key/rubric',
      {
        schema: {
          tags,
          summary: "The campaign's current rubric and review settings",
          params: keyParam,
          response: {
            200: z.object({
              version: z.number().int().nullable(),
              rubric: ZRubric.nullable(),
              settings: ZReviewSettings,
            }),
            ...problemResponses(404),
          },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const current = await currentRubric(ctx.db, campaign.id);
        return {
          version: current?.row.version ?? null,
          rubric: current?.rubric ?? null,
          settings: reviewSettingsOf(campaign),
        };
      },
    );

    app.put(
      '/campaigns/:key/rubric',
      {
        schema: {
          tags,
          summary:
            'Set the rubric from a preset or a definition (a version in use is never changed: a new one is made)',
          params: keyParam,
          body: z.union([z.strictObject({ preset: z.string().max(60) }), z.strictObject({ rubric: ZRubric })]),
          response: { 200: z.object({ version: z.number().int() }), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const definition = 'preset' in request.body ? presetRubric(request.body.preset) : request.body.rubric;
        const row = await saveRubric(ctx, principalOf(request), campaign, definition, actorOf(request));
        return { version: row.version };
      },
    );

    app.put(
      '/campaigns/:key/review-settings',
      {
        schema: {
          tags,
          summary: 'Readers per file, reconciliation threshold, senior reviewer',
          params: keyParam,
          body: ZReviewSettings,
          response: { 204: z.null(), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        await saveReviewSettings(ctx, principalOf(request), campaign, request.body, actorOf(request));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/campaigns/:key/reviews/assign',
      {
        schema: {
          tags,
          summary: 'Give every submitted file to the required number of readers',
          params: keyParam,
          response: {
            200: z.object({ assigned: z.number().int(), applications: z.number().int() }),
            ...problemResponses(401, 403, 404, 409),
          },
        },
      },
      async (request) =>
        assignReaders(ctx, principalOf(request), await findCampaign(ctx.db, request.params.key), actorOf(request)),
    );

    app.get(
      '/campaigns/:key/reviews/progress',
      {
        schema: {
          tags,
          summary: 'Files assigned and scored per reviewer',
          params: keyParam,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  reviewerId: z.uuid(),
                  name: z.string(),
                  role: z.string(),
                  assigned: z.number().int(),
                  submitted: z.number().int(),
                }),
              ),
            }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => ({
        items: await reviewProgress(ctx, principalOf(request), await findCampaign(ctx.db, request.params.key)),
      }),
    );

    app.get(
      '/me/reviews',
      {
        schema: {
          tags,
          summary: 'My review queue',
          querystring: z.strictObject({
            campaign: z.string().max(120).optional(),
            status: z.enum(['assigned', 'submitted']).optional(),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.uuid(),
                  role: z.string(),
                  status: z.string(),
                  campaign: z.string(),
                  applicationNumber: z.string().nullable(),
                  assignedAt: z.string(),
                  total: z.number().nullable(),
                }),
              ),
            }),
            ...problemResponses(401),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (!principal) throw problems.unauthenticated();
        const rows = await readerQueue(ctx, principal.id, request.query);
        return {
          items: rows.map((r) => ({
            id: r.review.id,
            role: r.review.role,
            status: r.review.status,
            campaign: r.campaign.slug,
            applicationNumber: r.application.number,
            assignedAt: r.review.assignedAt.toISOString(),
            total: r.review.total,
          })),
        };
      },
    );

    app.get(
      '/reviews/:id',
      {
        schema: {
          tags,
          summary:
            'One file to score: rubric, automatic pre-score with its provenance, dossier; seniors also see the readers',
          params: z.object({ id: z.uuid() }),
          response: { 200: z.unknown(), ...problemResponses(401, 404) },
        },
      },
      async (request) => {
        const r = await reviewForReader(ctx, principalOf(request), request.params.id);
        return {
          id: r.review.id,
          role: r.review.role,
          status: r.review.status,
          applicationNumber: r.application.number,
          applicantId: r.application.applicantId,
          campaign: r.campaign.slug,
          rubric: r.rubric,
          prescore: r.prescore,
          inputs: r.review.inputs,
          total: r.review.total,
          comment: r.review.comment,
          dossier: r.dossier,
          readers: r.readers,
        };
      },
    );

    app.put(
      '/reviews/:id',
      {
        schema: {
          tags,
          summary: 'Score a file; corrections of the pre-score need a reason (audited)',
          params: z.object({ id: z.uuid() }),
          body: z.strictObject({
            inputs: ZInputs,
            comment: z.string().trim().max(4000).optional(),
            reasons: z.record(z.string().max(60), z.string().trim().max(1000)).optional(),
          }),
          response: { 200: ZFileStatus, ...problemResponses(400, 401, 404, 409) },
        },
      },
      async (request) => {
        const result = await submitReview(
          ctx,
          principalOf(request),
          request.params.id,
          request.body as never,
          actorOf(request),
        );
        return {
          status: result.status,
          total: result.total,
          items: result.items,
          readersSubmitted: result.readersSubmitted,
          readersRequired: result.readersRequired,
        };
      },
    );

    app.get(
      '/me/applications/:key/score',
      {
        schema: {
          tags,
          summary: 'My portfolio score, per criterion, once final',
          params: keyParam,
          response: {
            200: z.object({
              status: z.enum(['incomplete', 'needs_reconciliation', 'final']),
              total: z.number().nullable(),
              maximum: z.number().nullable(),
              items: z.array(
                z.object({
                  criterionId: z.string(),
                  label: z.object({ en: z.string(), ru: z.string() }),
                  points: z.number(),
                  maximum: z.number(),
                  source: z.string(),
                }),
              ),
            }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, 'application.write', { userId: principal?.id ?? '' });
        return applicantBreakdown(ctx, principal.id, await findCampaign(ctx.db, request.params.key));
      },
    );
  };
}
