import { and, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { competitions } from '../../db/schema.js';
import { ENTRY_STATES } from '../../domain/enrollment/ranked-lists.js';
import { enrollmentSettings, ZEnrollmentSettings } from '../../domain/enrollment/settings.js';
import { listRuns, runAllocation } from '../allocation/allocation.service.js';
import {
  closeConfirmations,
  confirmAdmission,
  confirmPrepayment,
  declineAdmission,
  issueOrder,
  listAdmissions,
  listOrders,
  orderForDocument,
} from '../allocation/enrollment.service.js';
import { myAdmissions, publicList, publicLists } from '../allocation/lists.service.js';
import { advanceVisa, requestInvitation, VISA_STEPS } from '../allocation/visa.service.js';
import { findCampaign, reversionCycle, saveCampaignSetting } from '../campaigns/campaign.service.js';
import type { AppContext } from '../context.js';
import { renderOrderPdf, renderOrderXlsx } from '../enrollment/order-documents.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import { problems } from '../problem.js';
import { recordAudit } from '../services/audit.service.js';
import { problemResponses } from './schemas.js';

const tags = ['allocation'];
const keyParam = z.object({ key: z.string().min(1).max(120).describe('campaign slug or id') });
const idParam = z.object({ id: z.string().min(1).max(60) });
const ZTitle = z.object({ en: z.string(), ru: z.string() });
const ZCutoff = z.object({ score: z.array(z.number()), lottery: z.number() }).nullable();
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

const ZRun = z.object({
  id: z.string(),
  seq: z.number().int(),
  status: z.string(),
  inputSha256: z.string(),
  outputSha256: z.string(),
  stats: z.record(z.string(), z.number()),
  violations: z.array(z.string()),
  offersMade: z.number().int(),
  offersWithdrawn: z.number().int(),
});

const ZAdmission = z.object({
  id: z.string(),
  status: z.string(),
  competitionId: z.string(),
  priority: z.number().int(),
  confirmBy: z.string(),
  consentAt: z.string().nullable(),
  contractAcceptedAt: z.string().nullable(),
  prepaymentConfirmedAt: z.string().nullable(),
  confirmedAt: z.string().nullable(),
});
type AdmissionLike = {
  id: string;
  status: string;
  competitionId: string;
  priority: number;
  confirmBy: Date;
  consentAt: Date | null;
  contractAcceptedAt: Date | null;
  prepaymentConfirmedAt: Date | null;
  confirmedAt: Date | null;
};
const presentAdmission = (a: AdmissionLike) => ({
  id: a.id,
  status: a.status,
  competitionId: a.competitionId,
  priority: a.priority,
  confirmBy: a.confirmBy.toISOString(),
  consentAt: iso(a.consentAt),
  contractAcceptedAt: iso(a.contractAcceptedAt),
  prepaymentConfirmedAt: iso(a.prepaymentConfirmedAt),
  confirmedAt: iso(a.confirmedAt),
});

const ZVisa = z
  .object({
    status: z.enum(VISA_STEPS),
    requestedAt: z.string(),
    invitationIssuedAt: z.string().nullable(),
    invitationNumber: z.string().nullable(),
    visaIssuedAt: z.string().nullable(),
    arrivedAt: z.string().nullable(),
    registrationDueAt: z.string().nullable(),
    registeredAt: z.string().nullable(),
  })
  .nullable();
type VisaLike = {
  status: string;
  requestedAt: Date;
  invitationIssuedAt: Date | null;
  invitationNumber: string | null;
  visaIssuedAt: Date | null;
  arrivedAt: Date | null;
  registrationDueAt: Date | null;
  registeredAt: Date | null;
} | null;
const presentVisa = (v: VisaLike) =>
  v
    ? {
        status: v.status as (typeof VISA_STEPS)[number],
        requestedAt: v.requestedAt.toISOString(),
        invitationIssuedAt: iso(v.invitationIssuedAt),
        invitationNumber: v.invitationNumber,
        visaIssuedAt: iso(v.visaIssuedAt),
        arrivedAt: iso(v.arrivedAt),
        registrationDueAt: iso(v.registrationDueAt),
        registeredAt: iso(v.registeredAt),
      }
    : null;

function countryName(code: string | null, locale: 'en' | 'ru'): string {
  if (!code) return locale === 'ru' ? 'лицо без гражданства' : 'stateless';
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function allocationRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // ---------- Officers: runs, seats, settings ----------
    app.post(
      '/campaigns/:key/allocation-runs',
      {
        schema: {
          tags,
          summary: 'Run the allocation, check it and publish the ranked lists and offers',
          description:
            'Draws the lottery for applicants without a number, runs deferred acceptance with seat reversion, and publishes only when the independent checker proves capacity and stability (409 allocation_check_failed otherwise, recorded as a refused run). One run at a time per campaign across all instances: 409 allocation_in_progress while another runs.',
          params: keyParam,
          body: z.strictObject({ reason: z.string().trim().min(3).max(500) }),
          response: { 201: ZRun, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const run = await runAllocation(
          ctx,
          principalOf(request),
          campaign,
          { reason: request.body.reason, wait: false },
          actorOf(request),
        );
        return reply.code(201).send(run);
      },
    );

    app.get(
      '/campaigns/:key/allocation-runs',
      {
        schema: {
          tags,
          summary: 'Allocation runs of a campaign, newest first, with hashes and the checker verdict',
          params: keyParam,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  seq: z.number().int(),
                  status: z.string(),
                  reason: z.string(),
                  inputSha256: z.string(),
                  outputSha256: z.string(),
                  stats: z.record(z.string(), z.unknown()),
                  check: z.record(z.string(), z.unknown()),
                  confirmBy: z.string().nullable(),
                  createdAt: z.string(),
                }),
              ),
            }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const rows = await listRuns(ctx, principalOf(request), campaign);
        return {
          items: rows.map((r) => ({ ...r, confirmBy: iso(r.confirmBy), createdAt: r.createdAt.toISOString() })),
        };
      },
    );

    app.get(
      '/campaigns/:key/enrollment-settings',
      {
        schema: {
          tags,
          summary: 'Enrollment rules of a campaign',
          params: keyParam,
          response: { 200: ZEnrollmentSettings },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        authorize(principalOf(request), 'campaign.applications.read', { universityId: campaign.universityId });
        return enrollmentSettings(campaign.enrollment);
      },
    );

    app.put(
      '/campaigns/:key/enrollment-settings',
      {
        schema: {
          tags,
          summary: 'Set the enrollment rules (confirmation days, visa-free countries, registration deadline)',
          params: keyParam,
          body: ZEnrollmentSettings,
          response: { 200: ZEnrollmentSettings, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const value = ZEnrollmentSettings.parse(request.body);
        await saveCampaignSetting(
          ctx,
          principalOf(request),
          campaign,
          'enrollment',
          value,
          'campaign.enrollment_settings',
          actorOf(request),
        );
        return value;
      },
    );

    app.patch(
      '/campaigns/:key/competitions/:competitionId',
      {
        schema: {
          tags,
          summary: 'Set the seats of a competition and where its unfilled seats go',
          params: keyParam.extend({ competitionId: z.string().min(1).max(60) }),
          body: z.strictObject({
            seats: z.number().int().min(0).max(100_000),
            revertsTo: z.string().max(60).nullable().default(null),
            reason: z.string().trim().max(500).default(''),
          }),
          response: {
            200: z.object({ id: z.string(), seats: z.number().int(), revertsTo: z.string().nullable() }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const principal = principalOf(request);
        authorize(principal, 'campaign.write', { universityId: campaign.universityId });
        const rows = await ctx.db.select().from(competitions).where(eq(competitions.campaignId, campaign.id));
        const comp = rows.find((c) => c.id === request.params.competitionId);
        if (!comp) throw problems.notFound('competition');
        const { seats, revertsTo, reason } = request.body;
        if (revertsTo !== null && (revertsTo === comp.id || !rows.some((c) => c.id === revertsTo))) {
          throw problems.validation([
            {
              field: 'body.revertsTo',
              code: 'unknown_value',
              message: 'Unfilled seats must go to another competition of this campaign.',
            },
          ]);
        }
        const chain = new Map(rows.filter((c) => c.revertsToId).map((c) => [c.id, c.revertsToId as string]));
        if (revertsTo) chain.set(comp.id, revertsTo);
        else chain.delete(comp.id);
        if (reversionCycle(chain)) {
          throw problems.validation([
            { field: 'body.revertsTo', code: 'reversion_cycle', message: 'Unfilled seats cannot move in a circle.' },
          ]);
        }
        await ctx.db.transaction(async (tx) => {
          await tx
            .update(competitions)
            .set({ seats, revertsToId: revertsTo })
            .where(and(eq(competitions.id, comp.id), eq(competitions.campaignId, campaign.id)));
          await recordAudit(tx, ctx.clock, actorOf(request), {
            action: 'competition.seats',
            subjectType: 'competition',
            subjectId: comp.id,
            before: { seats: comp.seats, revertsTo: comp.revertsToId },
            after: { seats, revertsTo },
            reason: reason || null,
          });
        });
        return { id: comp.id, seats, revertsTo };
      },
    );

    // ---------- Officers: admissions, confirmations, orders, visas ----------
    app.get(
      '/campaigns/:key/admissions',
      {
        schema: {
          tags,
          summary: 'Admissions (offers) of a campaign with their confirmation and visa state',
          params: keyParam,
          querystring: z.object({
            status: z.enum(['offered', 'confirmed', 'enrolled', 'declined', 'expired', 'superseded']).optional(),
            competition: z.string().max(60).optional(),
          }),
          response: {
            200: z.object({
              items: z.array(
                ZAdmission.extend({
                  applicationNumber: z.string().nullable(),
                  fullName: z.string(),
                  program: ZTitle,
                  funding: z.string(),
                  citizenship: z.string().nullable(),
                  needsVisa: z.boolean(),
                  visa: ZVisa,
                }),
              ),
            }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const rows = await listAdmissions(ctx, principalOf(request), campaign, {
          status: request.query.status,
          competitionId: request.query.competition,
        });
        return {
          items: rows.map((r) => ({
            ...presentAdmission(r.admission),
            applicationNumber: r.applicationNumber,
            fullName: r.fullName,
            program: { en: r.program.titleEn, ru: r.program.titleRu },
            funding: r.competition.funding,
            citizenship: r.citizenship,
            needsVisa: r.needsVisa,
            visa: presentVisa(r.visa),
          })),
        };
      },
    );

    app.post(
      '/campaigns/:key/admissions/close-confirmations',
      {
        schema: {
          tags,
          summary: 'Release unconfirmed places past their deadline and re-run the allocation',
          params: keyParam,
          response: {
            200: z.object({ expired: z.number().int(), run: ZRun.nullable() }),
            ...problemResponses(401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        return closeConfirmations(ctx, principalOf(request), campaign, actorOf(request));
      },
    );

    app.post(
      '/admissions/:id/prepayment',
      {
        schema: {
          tags,
          summary: 'Officer: the prepayment of a paid place is confirmed',
          params: idParam,
          body: z.strictObject({ reference: z.string().trim().min(1).max(100) }),
          response: { 200: ZAdmission, ...problemResponses(400, 401, 404, 409) },
        },
      },
      async (request) =>
        presentAdmission(
          await confirmPrepayment(ctx, principalOf(request), request.params.id, request.body, actorOf(request)),
        ),
    );

    app.post(
      '/admissions/:id/visa/steps',
      {
        schema: {
          tags,
          summary: 'Officer: the next step of the visa path (invitation, visa, arrival, registration)',
          params: idParam,
          body: z.strictObject({
            step: z.enum(['invitation_issued', 'visa_issued', 'arrived', 'registered']),
            at: z.iso.datetime().optional(),
            reference: z.string().trim().min(1).max(100).optional(),
          }),
          response: { 200: ZVisa, ...problemResponses(400, 401, 404, 409) },
        },
      },
      async (request) =>
        presentVisa(await advanceVisa(ctx, principalOf(request), request.params.id, request.body, actorOf(request))),
    );

    const ZOrder = z.object({
      id: z.string(),
      number: z.string(),
      competitionId: z.string(),
      program: ZTitle,
      funding: z.string(),
      quotaReferral: z.boolean(),
      students: z.number().int(),
      issuedAt: z.string(),
    });

    app.post(
      '/campaigns/:key/orders',
      {
        schema: {
          tags,
          summary: 'Issue the enrollment order of a competition (its confirmed applicants become enrolled)',
          params: keyParam,
          body: z.strictObject({
            competitionId: z.string().min(1).max(60),
            signedBy: z.string().trim().min(2).max(200),
          }),
          response: {
            201: z.object({ id: z.string(), number: z.string() }),
            ...problemResponses(400, 401, 403, 404, 409),
          },
        },
      },
      async (request, reply) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const order = await issueOrder(
          ctx,
          principalOf(request),
          campaign,
          request.body.competitionId,
          { signedBy: request.body.signedBy },
          actorOf(request),
        );
        return reply.code(201).send({ id: order.id, number: order.number });
      },
    );

    app.get(
      '/campaigns/:key/orders',
      {
        schema: {
          tags,
          summary: 'Enrollment orders of a campaign',
          params: keyParam,
          response: { 200: z.object({ items: z.array(ZOrder) }), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => {
        const campaign = await findCampaign(ctx.db, request.params.key);
        const rows = await listOrders(ctx, principalOf(request), campaign);
        return {
          items: rows.map((r) => ({
            id: r.order.id,
            number: r.order.number,
            competitionId: r.competition.id,
            program: { en: r.program.titleEn, ru: r.program.titleRu },
            funding: r.competition.funding,
            quotaReferral: r.order.quotaReferral,
            students: r.order.students.length,
            issuedAt: r.order.issuedAt.toISOString(),
          })),
        };
      },
    );

    app.get(
      '/orders/:id/document',
      {
        schema: {
          tags,
          summary: 'The enrollment order as PDF (Cyrillic font embedded) or XLSX, in English or Russian',
          params: idParam,
          querystring: z.object({
            format: z.enum(['pdf', 'xlsx']).default('pdf'),
            lang: z.enum(['en', 'ru']).default('ru'),
          }),
        },
      },
      async (request, reply) => {
        const row = await orderForDocument(ctx, principalOf(request), request.params.id);
        const { format, lang } = request.query;
        const input = {
          locale: lang,
          number: row.order.number,
          issuedAt: row.order.issuedAt.toISOString(),
          university: { en: row.university.nameEn, ru: row.university.nameRu },
          campaign: { en: row.campaign.titleEn, ru: row.campaign.titleRu, academicYear: row.campaign.academicYear },
          competition: {
            programEn: row.program.titleEn,
            programRu: row.program.titleRu,
            specialtyCode: row.program.specialtyCode,
            funding: row.competition.funding,
            studyForm: row.competition.studyForm,
          },
          quotaReferral: row.order.quotaReferral,
          signedBy: row.order.signedBy,
          students: (
            row.order.students as {
              position: number;
              applicationNumber: string;
              fullNameLatin: string;
              fullNameCyrillic: string | null;
              citizenship: string | null;
              score: number[] | null;
            }[]
          ).map((s) => ({
            ...s,
            citizenship: { en: countryName(s.citizenship, 'en'), ru: countryName(s.citizenship, 'ru') },
          })),
        };
        const body = format === 'pdf' ? await renderOrderPdf(input) : await renderOrderXlsx(input);
        const name = `order-${row.order.number}-${lang}.${format}`;
        return reply
          .header(
            'content-type',
            format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          )
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('x-content-type-options', 'nosniff')
          .send(body);
      },
    );

    // ---------- Applicants ----------
    const me = (request: Parameters<typeof principalOf>[0]) => {
      const principal = principalOf(request);
      authorize(principal, 'application.write', { userId: principal?.id ?? '' });
      return principal;
    };

    app.get(
      '/me/admissions',
      {
        schema: {
          tags,
          summary: 'My ranked-list positions with explanations, my offer and its next steps',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  campaign: z.object({ slug: z.string(), title: ZTitle }),
                  code: z.string(),
                  lottery: z.number().int(),
                  run: z.object({ seq: z.number().int(), publishedAt: z.string() }).nullable(),
                  choices: z.array(
                    z.object({
                      priority: z.number().int(),
                      competitionId: z.string(),
                      program: ZTitle,
                      funding: z.string(),
                      state: z.enum(ENTRY_STATES).nullable(),
                      reason: z.string().nullable(),
                      position: z.number().int().nullable(),
                      capacity: z.number().int().nullable(),
                      admitted: z.number().int().nullable(),
                      cutoff: ZCutoff,
                      yours: z.object({ score: z.array(z.number()), lottery: z.number() }).nullable(),
                    }),
                  ),
                  admission: ZAdmission.extend({
                    program: ZTitle,
                    funding: z.string(),
                    orderNumber: z.string().nullable(),
                    needsVisa: z.boolean(),
                    invitation: z.object({ allowed: z.boolean(), blocker: z.string().nullable() }),
                    visa: ZVisa,
                  }).nullable(),
                }),
              ),
            }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => {
        const principal = me(request);
        const items = await myAdmissions(ctx, principal.id);
        return {
          items: items.map((i) => ({
            ...i,
            run: i.run ? { seq: i.run.seq, publishedAt: i.run.publishedAt.toISOString() } : null,
            admission: i.admission
              ? {
                  ...presentAdmission(i.admission),
                  program: i.admission.program,
                  funding: i.admission.funding,
                  orderNumber: i.admission.orderNumber,
                  needsVisa: i.admission.needsVisa,
                  invitation: i.admission.invitation,
                  visa: presentVisa(i.admission.visa),
                }
              : null,
          })),
        };
      },
    );

    app.post(
      '/admissions/:id/confirm',
      {
        schema: {
          tags,
          summary: 'Applicant: consent to enrollment (and accept the contract of a paid place)',
          params: idParam,
          body: z.strictObject({ consent: z.boolean(), acceptContract: z.boolean().optional() }),
          response: { 200: ZAdmission, ...problemResponses(400, 401, 404, 409) },
        },
      },
      async (request) =>
        presentAdmission(
          await confirmAdmission(ctx, principalOf(request), request.params.id, request.body, actorOf(request)),
        ),
    );

    app.post(
      '/admissions/:id/decline',
      {
        schema: {
          tags,
          summary: 'Applicant: decline the place (the application is withdrawn)',
          params: idParam,
          response: { 204: z.null(), ...problemResponses(401, 404, 409) },
        },
      },
      async (request, reply) => {
        await declineAdmission(ctx, principalOf(request), request.params.id, actorOf(request));
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/admissions/:id/visa',
      {
        schema: {
          tags,
          summary: 'Applicant: request the visa invitation (after the prepayment is confirmed, S4-14)',
          params: idParam,
          body: z.strictObject({
            passportNumber: z.string().trim().min(3).max(20),
            consulateCity: z.string().trim().min(2).max(100),
            consulateCountry: z.string().regex(/^[A-Z]{2}$/),
          }),
          response: { 201: ZVisa, ...problemResponses(400, 401, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            presentVisa(
              await requestInvitation(ctx, principalOf(request), request.params.id, request.body, actorOf(request)),
            ),
          ),
    );

    // ---------- Public ranked lists (anonymous codes) ----------
    app.get(
      '/public/campaigns/:key/ranked-lists',
      {
        schema: {
          tags,
          summary: 'Published ranked lists of a campaign: seats, admitted and cutoff per competition',
          params: keyParam,
          response: {
            200: z.object({
              campaign: z.object({ slug: z.string(), title: ZTitle, academicYear: z.string() }),
              run: z
                .object({
                  seq: z.number().int(),
                  publishedAt: z.string(),
                  confirmBy: z.string().nullable(),
                  inputSha256: z.string(),
                  outputSha256: z.string(),
                })
                .nullable(),
              competitions: z.array(
                z.object({
                  id: z.string(),
                  program: z.object({ slug: z.string(), title: ZTitle }),
                  funding: z.string(),
                  studyForm: z.string(),
                  capacity: z.number().int(),
                  admitted: z.number().int(),
                  applications: z.number().int(),
                  cutoff: ZCutoff,
                }),
              ),
            }),
            ...problemResponses(404),
          },
        },
      },
      async (request) => {
        const lists = await publicLists(ctx, request.params.key);
        return {
          ...lists,
          run: lists.run
            ? { ...lists.run, publishedAt: lists.run.publishedAt.toISOString(), confirmBy: iso(lists.run.confirmBy) }
            : null,
        };
      },
    );

    app.get(
      '/public/campaigns/:key/ranked-lists/:competitionId',
      {
        schema: {
          tags,
          summary: 'One published ranked list: anonymous code, priority, score, lottery and state per applicant',
          params: keyParam.extend({ competitionId: z.string().min(1).max(60) }),
          response: {
            200: z.object({
              campaign: z.object({ slug: z.string(), title: ZTitle }),
              run: z.object({ seq: z.number().int(), publishedAt: z.string() }),
              competition: z.object({
                id: z.string(),
                program: z.object({ slug: z.string(), title: ZTitle }),
                funding: z.string(),
                studyForm: z.string(),
              }),
              capacity: z.number().int(),
              admitted: z.number().int(),
              cutoff: ZCutoff,
              entries: z.array(
                z.object({
                  position: z.number().int(),
                  code: z.string(),
                  priority: z.number().int(),
                  score: z.array(z.number()),
                  lottery: z.number(),
                  state: z.enum(ENTRY_STATES),
                }),
              ),
            }),
            ...problemResponses(404),
          },
        },
      },
      async (request) => {
        const list = await publicList(ctx, request.params.key, request.params.competitionId);
        // The presenter: anonymous code only; applicant ids and reasons never leave the server.
        return {
          ...list,
          run: { seq: list.run.seq, publishedAt: list.run.publishedAt.toISOString() },
          entries: list.entries.map((e) => ({
            position: e.position,
            code: e.code,
            priority: e.priority,
            score: e.score,
            lottery: e.lottery,
            state: e.state as (typeof ENTRY_STATES)[number],
          })),
        };
      },
    );
  };
}
