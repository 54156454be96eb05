import { and, asc, eq, inArray } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencies, agencyUniversities, documents, universities, users } from '../../db/schema.js';
import { ZDossier } from '../../domain/dossier/dossier.schema.js';
import { agencyAccess, holdGrant, onBehalf } from '../agency/access.js';
import { agencyApplicant } from '../agency/applicant.service.js';
import { grantAccess, invitationPreview, listMyGrants, revokeGrant } from '../agency/grants.service.js';
import {
  createLead,
  inviteLead,
  issueFormToken,
  type LeadRow,
  leadOrigins,
  listLeads,
  ownLead,
  routeLead,
  updateLead,
} from '../agency/leads.service.js';
import type { AppContext } from '../context.js';
import { getVersion, listDocuments, storeUpload } from '../dossier/documents.service.js';
import { getDossier, saveDossier } from '../dossier/dossier.service.js';
import { receiveFile } from '../files/upload.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import {
  presentAgencyApplicant,
  presentAgencyDocument,
  presentLead,
  type TLead,
  ZAgencyApplicant,
  ZLead,
} from '../presenters/agency.presenter.js';
import { ZDocument } from '../presenters/dossier.presenter.js';
import { ProblemError, problems } from '../problem.js';
import { recordAudit } from '../services/audit.service.js';
import { createUser, setUserDisabled } from '../services/user.service.js';
import { sendDocumentFile } from './document-file.js';
import { uploadQuery } from './dossier.routes.js';
import { problemResponses, ZEmail, ZFullName, ZLocale, ZPassword } from './schemas.js';

const tags = ['agency'];
const idParam = z.object({ id: z.string().min(1).max(60) });
const ZName = z.object({ en: z.string(), ru: z.string() });

const ZGrant = z.object({
  id: z.string(),
  agency: z.object({ slug: z.string(), name: ZName }),
  scope: z.enum(['view', 'act']),
  grantedAt: z.string(),
  revokedAt: z.string().nullable(),
});

export function agencyRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  /** Leads with the names of the program and university pages they came from. */
  const presentLeads = async (rows: LeadRow[]) => {
    const origins = await leadOrigins(ctx, rows);
    return rows.map((l) => presentLead(l, origins.get(l.id)));
  };
  const presentOne = async (row: LeadRow) => (await presentLeads([row]))[0] as TLead;

  return async (app) => {
    // ---------- Public: ask a consultant ----------
    app.get(
      '/public/lead-form',
      {
        schema: {
          tags,
          summary: 'A signed token for the "ask a consultant" form (it must be a few seconds old when sent)',
          response: { 200: z.object({ formToken: z.string() }) },
        },
      },
      async () => ({ formToken: await issueFormToken(ctx) }),
    );

    app.post(
      '/public/leads',
      {
        schema: {
          tags,
          summary: 'Ask a consultant: creates a lead routed to a partner agency, with an acknowledgment e-mail',
          description:
            'Throttled per address and per e-mail (429 `too_many_questions` with Retry-After); `form_too_fast`, `form_expired` and `too_many_links` protect against automated spam.',
          body: z.strictObject({
            name: ZFullName,
            email: ZEmail,
            phone: z.string().trim().max(40).optional(),
            citizenship: z
              .string()
              .regex(/^[A-Z]{2}$/)
              .optional(),
            level: z.string().max(40).optional(),
            specialty: z.string().trim().max(200).optional(),
            message: z.string().trim().min(5).max(4000),
            locale: ZLocale.default('en'),
            university: z.string().max(120).optional(),
            program: z.string().max(120).optional(),
            formToken: z.string().min(10).max(200),
            website: z.string().max(200).optional(),
          }),
          response: { 202: z.object({ received: z.literal(true) }), ...problemResponses(400, 429) },
        },
      },
      async (request, reply) => {
        await createLead(ctx, request.body, request.ip);
        return reply.code(202).send({ received: true as const });
      },
    );

    // ---------- Consultants: leads ----------
    app.get(
      '/agency/leads',
      {
        schema: {
          tags,
          summary: 'Leads of my agency (administrators: every lead, or the default queue with queue=default)',
          querystring: z.object({
            status: z.enum(['new', 'contacted', 'invited', 'converted', 'closed']).optional(),
            queue: z.enum(['default']).optional(),
          }),
          response: { 200: z.object({ items: z.array(ZLead) }), ...problemResponses(401, 403) },
        },
      },
      async (request) => ({
        items: await presentLeads(await listLeads(ctx, principalOf(request), request.query)),
      }),
    );

    app.get(
      '/agency/leads/:id',
      {
        schema: {
          tags,
          summary: 'One lead of my agency',
          params: idParam,
          response: { 200: ZLead, ...problemResponses(401, 404) },
        },
      },
      async (request) => presentOne(await ownLead(ctx, principalOf(request), request.params.id)),
    );

    app.patch(
      '/agency/leads/:id',
      {
        schema: {
          tags,
          summary: 'Set the status of a lead or the consultant in charge',
          params: idParam,
          body: z.strictObject({
            status: z.enum(['new', 'contacted', 'closed']).optional(),
            consultantId: z.uuid().nullable().optional(),
          }),
          response: { 200: ZLead, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (request.body.consultantId) {
          const [c] = await ctx.db.select().from(users).where(eq(users.id, request.body.consultantId));
          if (c?.role !== 'consultant' || c.agencyId !== principal?.agencyId) {
            throw problems.validation([
              { field: 'body.consultantId', code: 'unknown_value', message: 'Not a consultant of this agency.' },
            ]);
          }
        }
        return presentOne(await updateLead(ctx, principal, request.params.id, request.body, actorOf(request)));
      },
    );

    app.post(
      '/agency/leads/:id/invite',
      {
        schema: {
          tags,
          summary: 'E-mail the person an invitation to register and grant my agency access',
          params: idParam,
          response: { 200: z.object({ invitedAt: z.string() }), ...problemResponses(401, 404, 409) },
        },
      },
      async (request) => {
        const { invitedAt } = await inviteLead(ctx, principalOf(request), request.params.id, actorOf(request));
        return { invitedAt: invitedAt.toISOString() };
      },
    );

    app.post(
      '/admin/leads/:id/route',
      {
        schema: {
          tags,
          summary: 'Administrators: send a lead (e.g. from the default queue) to an agency',
          params: idParam,
          body: z.strictObject({ agency: z.string().min(2).max(120) }),
          response: { 200: ZLead, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) =>
        presentOne(
          await routeLead(ctx, principalOf(request), request.params.id, request.body.agency, actorOf(request)),
        ),
    );

    // ---------- Applicants: invitations and grants ----------
    app.get(
      '/agency-invitations/:token',
      {
        schema: {
          tags,
          summary: 'Which agency an invitation link comes from',
          description:
            'A link already used to grant access answers 410 `invitation_used`; an unknown or closed one 404.',
          params: z.object({ token: z.string().min(10).max(100) }),
          response: {
            200: z.object({ agency: z.object({ slug: z.string(), name: ZName }) }),
            ...problemResponses(404, 410),
          },
        },
      },
      async (request) => invitationPreview(ctx, request.params.token),
    );

    const presentGrant = (g: Awaited<ReturnType<typeof listMyGrants>>[number]) => ({
      id: g.grant.id,
      agency: { slug: g.agency.slug, name: { en: g.agency.nameEn, ru: g.agency.nameRu } },
      scope: g.grant.scope as 'view' | 'act',
      grantedAt: g.grant.grantedAt.toISOString(),
      revokedAt: g.grant.revokedAt?.toISOString() ?? null,
    });

    app.get(
      '/me/agency-grants',
      {
        schema: {
          tags,
          summary: 'Agencies I gave access to (active and revoked)',
          response: { 200: z.object({ items: z.array(ZGrant) }), ...problemResponses(401, 403) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, 'dossier.write', { userId: principal?.id ?? '' });
        return { items: (await listMyGrants(ctx, principal.id)).map(presentGrant) };
      },
    );

    app.post(
      '/me/agency-grants',
      {
        schema: {
          tags,
          summary: 'Give an agency access to my dossier: view, or view and act for me',
          body: z
            .strictObject({
              invitation: z.string().min(10).max(100).optional(),
              agency: z.string().min(2).max(120).optional(),
              scope: z.enum(['view', 'act']),
            })
            .refine((b) => !!b.invitation !== !!b.agency, {
              message: 'give an invitation or an agency',
              path: ['agency'],
            }),
          response: { 201: ZGrant, ...problemResponses(400, 401, 403, 404, 410) },
        },
      },
      async (request, reply) => {
        const { grant, agency } = await grantAccess(ctx, principalOf(request), request.body, actorOf(request));
        return reply.code(201).send(presentGrant({ grant, agency }));
      },
    );

    app.delete(
      '/me/agency-grants/:id',
      {
        schema: {
          tags,
          summary: 'Revoke an agency access at once',
          params: idParam,
          response: { 204: z.null(), ...problemResponses(401, 403, 404) },
        },
      },
      async (request, reply) => {
        await revokeGrant(ctx, principalOf(request), request.params.id, actorOf(request));
        return reply.code(204).send(null);
      },
    );

    // ---------- Consultants acting for applicants who granted access ----------
    app.get(
      '/agency/applicants/:id',
      {
        schema: {
          tags,
          summary:
            "An applicant who granted my agency access: name, e-mail, the scope and the agency's consultant in charge",
          params: idParam,
          response: { 200: ZAgencyApplicant, ...problemResponses(401, 403, 404) },
        },
      },
      async (request) =>
        presentAgencyApplicant(await agencyApplicant(ctx, principalOf(request), request.params.id, actorOf(request))),
    );

    app.get(
      '/agency/applicants/:id/dossier',
      {
        schema: {
          tags,
          summary: "The applicant's dossier (view access)",
          params: idParam,
          response: {
            200: z.object({ dossier: ZDossier.nullable(), updatedAt: z.string().nullable() }),
            ...problemResponses(401, 403, 404),
          },
        },
      },
      async (request) => {
        await agencyAccess(ctx, principalOf(request), request.params.id, 'view', actorOf(request));
        const { dossier, updatedAt } = await getDossier(ctx, request.params.id);
        return { dossier, updatedAt: updatedAt?.toISOString() ?? null };
      },
    );

    app.put(
      '/agency/applicants/:id/dossier',
      {
        schema: {
          tags,
          summary: "Save the applicant's dossier on their behalf (act access; audited as on behalf of)",
          params: idParam,
          body: ZDossier,
          response: {
            200: z.object({ dossier: ZDossier.nullable(), updatedAt: z.string().nullable() }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => {
        const applicantId = request.params.id;
        const actor = actorOf(request);
        const { grant } = await agencyAccess(ctx, principalOf(request), applicantId, 'act', actor);
        await ctx.db.transaction(async (tx) => {
          await holdGrant(tx, grant.id, 'act');
          await saveDossier({ ...ctx, db: tx }, applicantId, request.body, onBehalf(actor, applicantId));
        });
        return { dossier: request.body, updatedAt: ctx.clock.now().toISOString() };
      },
    );

    app.get(
      '/agency/applicants/:id/documents',
      {
        schema: {
          tags,
          summary: "The applicant's documents and versions (view access); downloads go through the agency's address",
          params: idParam,
          response: { 200: z.object({ items: z.array(ZDocument) }), ...problemResponses(401, 403, 404) },
        },
      },
      async (request) => {
        await agencyAccess(ctx, principalOf(request), request.params.id, 'view', actorOf(request));
        const rows = await listDocuments(ctx, request.params.id);
        return { items: rows.map((r) => presentAgencyDocument(request.params.id, r.document, r.versions)) };
      },
    );

    app.post(
      '/agency/applicants/:id/documents',
      {
        config: { admission: 'upload' },
        schema: {
          tags,
          summary: 'Upload a document on the applicant\'s behalf (act access; multipart part "file")',
          params: idParam,
          querystring: uploadQuery,
          consumes: ['multipart/form-data'],
          response: { 201: ZDocument, ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const applicantId = request.params.id;
        const actor = actorOf(request);
        const { grant } = await agencyAccess(ctx, principalOf(request), applicantId, 'act', actor);
        if (!request.isMultipart()) {
          throw new ProblemError(415, 'unsupported_media_type', 'Unsupported media type', {
            detail: 'Send the file as multipart/form-data in a part named "file".',
          });
        }
        const part = await request.file();
        if (!part) throw problems.validation([{ field: 'file', code: 'required', message: 'Attach a file.' }]);
        const file = await receiveFile(part.file, ctx.blobs.tempDir, ctx.config.uploadMaxBytes);
        // The grant is held for the whole write: a revocation meanwhile cancels the upload.
        const stored = await ctx.db.transaction(async (tx) => {
          await holdGrant(tx, grant.id, 'act');
          return storeUpload(
            { ...ctx, db: tx },
            applicantId,
            file,
            part.filename,
            {
              meta: {
                kind: request.query.kind,
                relatesTo: request.query.relatesTo ?? null,
                issuedOn: request.query.issuedOn ?? null,
              },
            },
            onBehalf(actor, applicantId),
          );
        });
        return reply.code(201).send(presentAgencyDocument(applicantId, stored.document, [stored.version]));
      },
    );

    app.get(
      '/agency/applicants/:id/documents/:documentId/versions/:version/file',
      {
        schema: {
          tags,
          summary: "Download one version of the applicant's document (view access), as an attachment",
          params: z.object({ id: z.string().max(60), documentId: z.uuid(), version: z.coerce.number().int().min(1) }),
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        await agencyAccess(ctx, principalOf(request), request.params.id, 'view', actor);
        const [doc] = await ctx.db
          .select()
          .from(documents)
          .where(and(eq(documents.id, request.params.documentId), eq(documents.ownerId, request.params.id)));
        if (!doc) throw problems.notFound('document');
        const version = await getVersion(ctx, doc.id, request.params.version);
        // Every consultant's read is audited on the applicant's behalf (special-category ones as
        // document.read_special).
        return sendDocumentFile(ctx, reply, doc, version, onBehalf(actor, request.params.id), 'document.read');
      },
    );

    // ---------- Agency administrators: consultants and partner universities ----------
    const ZConsultant = z.object({
      id: z.string(),
      email: z.string(),
      fullName: z.string(),
      agencyAdmin: z.boolean(),
      disabled: z.boolean(),
    });
    const manage = (request: Parameters<typeof principalOf>[0]) => {
      const principal = principalOf(request);
      authorize(principal, 'agency.manage', { agencyId: principal?.agencyId ?? null });
      // These operations act on the principal's own agency: an administrator has none (was a 500).
      if (!principal.agencyId) throw problems.forbidden();
      return principal as typeof principal & { agencyId: string };
    };

    app.get(
      '/agency/consultants',
      {
        schema: {
          tags,
          summary: "My agency's consultants",
          response: { 200: z.object({ items: z.array(ZConsultant) }), ...problemResponses(401, 403) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, 'agency.work', { agencyId: principal?.agencyId ?? null });
        const rows = await ctx.db
          .select()
          .from(users)
          .where(and(eq(users.agencyId, principal.agencyId as string), eq(users.role, 'consultant')))
          .orderBy(asc(users.fullName));
        return {
          items: rows.map((u) => ({
            id: u.id,
            email: u.email,
            fullName: u.fullName,
            agencyAdmin: u.agencyAdmin,
            disabled: u.disabledAt !== null,
          })),
        };
      },
    );

    app.post(
      '/agency/consultants',
      {
        schema: {
          tags,
          summary: 'Agency administrators: add a consultant to my agency',
          body: z.strictObject({
            email: ZEmail,
            fullName: ZFullName,
            password: ZPassword,
            locale: ZLocale.default('en'),
          }),
          response: { 201: ZConsultant, ...problemResponses(400, 401, 403, 409) },
        },
      },
      async (request, reply) => {
        const principal = manage(request);
        const user = await createUser(
          ctx,
          { ...request.body, role: 'consultant', agencyId: principal.agencyId, emailVerified: true },
          actorOf(request),
        );
        return reply
          .code(201)
          .send({ id: user.id, email: user.email, fullName: user.fullName, agencyAdmin: false, disabled: false });
      },
    );

    app.patch(
      '/agency/consultants/:id',
      {
        schema: {
          tags,
          summary: 'Agency administrators: disable a consultant (sessions end at once) or make them an administrator',
          params: idParam,
          body: z.strictObject({ disabled: z.boolean().optional(), agencyAdmin: z.boolean().optional() }),
          response: { 200: ZConsultant, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const principal = manage(request);
        const [user] = /^[0-9a-f-]{36}$/.test(request.params.id)
          ? await ctx.db.select().from(users).where(eq(users.id, request.params.id))
          : [];
        if (!user || user.agencyId !== principal.agencyId || user.role !== 'consultant')
          throw problems.notFound('consultant');
        if (user.id === principal.id && (request.body.disabled || request.body.agencyAdmin === false)) {
          throw problems.conflict('cannot_demote_self', 'You cannot disable or demote yourself.');
        }
        if (request.body.agencyAdmin !== undefined && request.body.agencyAdmin !== user.agencyAdmin) {
          await ctx.db.transaction(async (tx) => {
            await tx.update(users).set({ agencyAdmin: request.body.agencyAdmin }).where(eq(users.id, user.id));
            await recordAudit(tx, ctx.clock, actorOf(request), {
              action: 'agency.consultant_role',
              subjectType: 'user',
              subjectId: user.id,
              before: { agencyAdmin: user.agencyAdmin },
              after: { agencyAdmin: request.body.agencyAdmin },
            });
          });
        }
        const updated =
          request.body.disabled !== undefined
            ? await setUserDisabled(ctx, user.id, request.body.disabled, 'agency administrator', actorOf(request))
            : user;
        return {
          id: user.id,
          email: user.email,
          fullName: user.fullName,
          agencyAdmin: request.body.agencyAdmin ?? user.agencyAdmin,
          disabled: updated.disabledAt !== null,
        };
      },
    );

    app.get(
      '/agency/universities',
      {
        schema: {
          tags,
          summary: "My agency's partner universities",
          response: {
            200: z.object({
              agency: z.object({ slug: z.string(), name: ZName }),
              universities: z.array(z.object({ slug: z.string(), name: ZName })),
            }),
            ...problemResponses(401, 403),
          },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, 'agency.work', { agencyId: principal?.agencyId ?? null });
        const [agency] = await ctx.db
          .select()
          .from(agencies)
          .where(eq(agencies.id, principal.agencyId as string));
        const rows = await ctx.db
          .select({ slug: universities.slug, en: universities.nameEn, ru: universities.nameRu })
          .from(agencyUniversities)
          .innerJoin(universities, eq(universities.id, agencyUniversities.universityId))
          .where(eq(agencyUniversities.agencyId, principal.agencyId as string))
          .orderBy(asc(universities.nameEn));
        return {
          agency: { slug: agency?.slug ?? '', name: { en: agency?.nameEn ?? '', ru: agency?.nameRu ?? '' } },
          universities: rows.map((r) => ({ slug: r.slug, name: { en: r.en, ru: r.ru } })),
        };
      },
    );

    app.put(
      '/agency/universities',
      {
        schema: {
          tags,
          summary: 'Agency administrators: set the partner universities (the catalog shows the agency on their pages)',
          body: z.strictObject({ universities: z.array(z.string().min(2).max(120)).max(500) }),
          response: { 200: z.object({ universities: z.array(z.string()) }), ...problemResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const principal = manage(request);
        const slugs = [...new Set(request.body.universities)];
        const rows = slugs.length
          ? await ctx.db.select().from(universities).where(inArray(universities.slug, slugs))
          : [];
        const unknown = slugs.filter((s) => !rows.some((r) => r.slug === s));
        if (unknown.length) {
          throw problems.validation(
            unknown.map((s) => ({
              field: 'body.universities',
              code: 'unknown_value',
              message: `No university "${s}".`,
            })),
          );
        }
        await ctx.db.transaction(async (tx) => {
          const before = await tx
            .select({ id: agencyUniversities.universityId })
            .from(agencyUniversities)
            .where(eq(agencyUniversities.agencyId, principal.agencyId));
          await tx.delete(agencyUniversities).where(eq(agencyUniversities.agencyId, principal.agencyId));
          if (rows.length) {
            await tx
              .insert(agencyUniversities)
              .values(rows.map((r) => ({ agencyId: principal.agencyId, universityId: r.id })));
          }
          await recordAudit(tx, ctx.clock, actorOf(request), {
            action: 'agency.partners',
            subjectType: 'agency',
            subjectId: principal.agencyId,
            before: { universities: before.map((b) => b.id) },
            after: { universities: rows.map((r) => r.id) },
          });
        });
        return { universities: slugs.sort() };
      },
    );
  };
}
