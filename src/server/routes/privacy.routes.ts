import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CONSENT_PURPOSES,
  consentTextShown,
  consentTextVersion,
  currentConsentText,
} from '../../domain/consent/texts.js';
import type { AppContext } from '../context.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import { presentConsent, presentPersonalExport, ZConsent } from '../presenters/export.presenter.js';
import { giveConsent, listConsents, sha256Text, withdrawConsent } from '../privacy/consent.service.js';
import { erasePerson } from '../privacy/erasure.service.js';
import { collectPersonalData, type PersonalData, recordExport } from '../privacy/export.service.js';
import { problems } from '../problem.js';
import { problemResponses, ZLocale } from './schemas.js';

const tags = ['personal data'];

const ZConsentText = z
  .object({
    purpose: z.enum(CONSENT_PURPOSES),
    version: z.string(),
    current: z.boolean(),
    effectiveFrom: z.string(),
    locale: ZLocale,
    title: z.string(),
    body: z.string(),
    textSha256: z.string().describe('SHA-256 of title, a blank line and body: what a consent to this text records'),
  })
  .meta({ id: 'ConsentText' });

const ZErasureCounts = z.object({
  documents: z.number().int(),
  versions: z.number().int(),
  files: z.number().int(),
  dossier: z.number().int(),
  applicationSnapshots: z.number().int(),
  visaRequests: z.number().int(),
  consents: z.number().int(),
  agencyNotes: z.number().int(),
  agencyTasks: z.number().int(),
  inquiries: z.number().int(),
  sessions: z.number().int(),
});

export function privacyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const sendExport = (reply: FastifyReply, data: PersonalData) => {
      const body = presentPersonalExport(data, ctx.clock.now());
      const day = ctx.clock.now().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="medadmit-personal-data-${day}.json"`)
        .header('cache-control', 'private, no-store')
        .send(JSON.stringify(body, null, 2));
    };

    app.get(
      '/me/export',
      {
        schema: {
          tags,
          summary: 'Everything held about me, as a JSON attachment (audited)',
          response: problemResponses(401),
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, 'person.export', { userId: principal?.id ?? '' });
        const data = await collectPersonalData(ctx, principal.id);
        await recordExport(ctx, principal.id, actorOf(request));
        return sendExport(reply, data);
      },
    );

    app.get(
      '/users/:id/export',
      {
        schema: {
          tags,
          summary:
            "Everything held about a person, as a JSON attachment (administrators, on the person's request; audited)",
          params: z.object({ id: z.uuid() }),
          response: problemResponses(401, 403, 404),
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, 'person.export', { userId: request.params.id }, { hideExistence: true });
        // Collected first, so an unknown id answers 404 and leaves no audit entry.
        const data = await collectPersonalData(ctx, request.params.id);
        await recordExport(ctx, request.params.id, actorOf(request));
        return sendExport(reply, data);
      },
    );

    app.post(
      '/users/:id/erase',
      {
        schema: {
          tags,
          summary: "Erase an applicant's personal data now, on their request (administrators; audited)",
          params: z.object({ id: z.uuid() }),
          response: {
            200: z.object({ userId: z.uuid(), counts: ZErasureCounts }),
            ...problemResponses(401, 403, 404, 409),
          },
        },
      },
      async (request) => {
        authorize(principalOf(request), 'person.erase');
        const counts = await erasePerson(ctx, request.params.id, actorOf(request), { trigger: 'request' });
        if (!counts) throw problems.notFound('user');
        return { userId: request.params.id, counts };
      },
    );

    app.get(
      '/consents/:purpose',
      {
        schema: {
          tags,
          summary: 'The consent text of a purpose (current version unless `version`), in my language or `locale`',
          params: z.object({ purpose: z.enum(CONSENT_PURPOSES) }),
          querystring: z.strictObject({ locale: ZLocale.optional(), version: z.string().max(40).optional() }),
          response: { 200: ZConsentText, ...problemResponses(400, 404) },
        },
      },
      async (request) => {
        const { purpose } = request.params;
        const current = currentConsentText(purpose);
        const text = request.query.version ? consentTextVersion(purpose, request.query.version) : current;
        if (!text) throw problems.notFound('consent text version');
        const locale = request.query.locale ?? request.auth?.user.locale ?? 'en';
        return {
          purpose,
          version: text.version,
          current: text.version === current.version,
          effectiveFrom: text.effectiveFrom,
          locale,
          title: text.title[locale],
          body: text.body[locale],
          textSha256: sha256Text(consentTextShown(text, locale)),
        };
      },
    );

    app.get(
      '/me/consents',
      {
        schema: {
          tags,
          summary: 'My consents, given and withdrawn, oldest first',
          response: { 200: z.object({ items: z.array(ZConsent) }), ...problemResponses(401) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, 'consent.manage', { userId: principal?.id ?? '' });
        return { items: (await listConsents(ctx.db, principal.id)).map(presentConsent) };
      },
    );

    app.post(
      '/me/consents',
      {
        schema: {
          tags,
          summary: 'Agree to the current text of a purpose, as shown in `locale` (default: my language); audited',
          body: z.strictObject({
            purpose: z.enum(CONSENT_PURPOSES),
            textVersion: z.string().min(1).max(40),
            locale: ZLocale.optional(),
          }),
          response: { 200: ZConsent, 201: ZConsent, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, 'consent.manage', { userId: principal?.id ?? '' });
        const { consent, created } = await giveConsent(
          ctx,
          principal.id,
          {
            purpose: request.body.purpose,
            textVersion: request.body.textVersion,
            locale: request.body.locale ?? request.auth?.user.locale ?? 'en',
          },
          actorOf(request),
        );
        return reply.code(created ? 201 : 200).send(presentConsent(consent));
      },
    );

    app.post(
      '/me/consents/:id/withdraw',
      {
        schema: {
          tags,
          summary: 'Withdraw one of my consents (the record stays, with the time); audited',
          params: z.object({ id: z.uuid() }),
          response: { 200: ZConsent, ...problemResponses(401, 404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, 'consent.manage', { userId: principal?.id ?? '' });
        return presentConsent(await withdrawConsent(ctx, principal.id, request.params.id, actorOf(request)));
      },
    );
  };
}
