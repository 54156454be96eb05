import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DOCUMENT_KINDS, type TDossier, ZDossier } from '../../domain/dossier/dossier.schema.js';
import { toFivePoint } from '../../domain/dossier/grade-conversion.js';
import type { AppContext } from '../context.js';
import {
  getVersion,
  listDocuments,
  loadDocument,
  REJECTION_CODES,
  recordVerdict,
  storeUpload,
  updateDocumentFacts,
} from '../dossier/documents.service.js';
import { appliedUniversities, getDossier, saveDossier } from '../dossier/dossier.service.js';
import { receiveFile } from '../files/upload.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import { presentDocument, ZDocument, ZDossierView } from '../presenters/dossier.presenter.js';
import { ProblemError, problems } from '../problem.js';
import { sendDocumentFile } from './document-file.js';
import { problemResponses } from './schemas.js';

const tags = ['dossier'];
export const uploadQuery = z.strictObject({
  kind: z.enum(DOCUMENT_KINDS),
  relatesTo: z.string().min(1).max(40).optional().describe('the dossier entry, e.g. the education id of a diploma'),
  issuedOn: z.iso.date().optional().describe('issue date (medical report freshness)'),
});

function dossierView(dossier: TDossier | null, updatedAt: Date | null) {
  return {
    dossier,
    updatedAt: updatedAt?.toISOString() ?? null,
    grades: (dossier?.education ?? []).flatMap((e) => {
      if (!e.grade) return [];
      const converted = toFivePoint(e.grade);
      return [{ educationId: e.id, fivePoint: converted.value, anchors: converted.anchors }];
    }),
  };
}

export function dossierRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    const applicantOf = async (request: { params: { id: string } }, principal: ReturnType<typeof principalOf>) => {
      const applied = principal?.id === request.params.id ? [] : await appliedUniversities(ctx.db, request.params.id);
      authorize(
        principal,
        'dossier.read',
        { userId: request.params.id, appliedUniversityIds: applied },
        { hideExistence: true },
      );
    };

    app.get(
      '/me/dossier',
      {
        schema: {
          tags,
          summary: 'My dossier, with grades converted to the 5-point scale',
          response: { 200: ZDossierView, ...problemResponses(401) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (!principal) throw problems.unauthenticated();
        const { dossier, updatedAt } = await getDossier(ctx, principal.id);
        return dossierView(dossier, updatedAt);
      },
    );

    app.put(
      '/me/dossier',
      {
        schema: {
          tags,
          summary: 'Save my dossier (applicants)',
          body: ZDossier,
          response: { 200: ZDossierView, ...problemResponses(400, 401, 403) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        authorize(principal, 'dossier.write', { userId: principal?.id ?? '' });
        const saved = await saveDossier(ctx, principal.id, request.body, actorOf(request));
        return dossierView(saved, ctx.clock.now());
      },
    );

    app.get(
      '/applicants/:id/dossier',
      {
        schema: {
          tags,
          summary: "An applicant's dossier (the applicant; officers and reviewers of universities applied to)",
          params: z.object({ id: z.uuid() }),
          response: { 200: ZDossierView, ...problemResponses(401, 404) },
        },
      },
      async (request) => {
        await applicantOf(request, principalOf(request));
        const { dossier, updatedAt } = await getDossier(ctx, request.params.id);
        return dossierView(dossier, updatedAt);
      },
    );

    const listFor = async (ownerId: string) => {
      const rows = await listDocuments(ctx, ownerId);
      return { items: rows.map((r) => presentDocument(r.document, r.versions)) };
    };

    app.get(
      '/me/documents',
      {
        config: { admission: 'upload' },
        schema: {
          tags,
          summary: 'My documents and their versions',
          response: { 200: z.object({ items: z.array(ZDocument) }), ...problemResponses(401) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        if (!principal) throw problems.unauthenticated();
        return listFor(principal.id);
      },
    );

    app.get(
      '/applicants/:id/documents',
      {
        schema: {
          tags,
          summary: "An applicant's documents (the applicant; officers and reviewers of universities applied to)",
          params: z.object({ id: z.uuid() }),
          response: { 200: z.object({ items: z.array(ZDocument) }), ...problemResponses(401, 404) },
        },
      },
      async (request) => {
        await applicantOf(request, principalOf(request));
        return listFor(request.params.id);
      },
    );

    const receive = async (request: FastifyRequest) => {
      if (!request.isMultipart()) {
        throw new ProblemError(415, 'unsupported_media_type', 'Unsupported media type', {
          detail: 'Send the file as multipart/form-data in a part named "file".',
        });
      }
      const part = await request.file();
      if (!part) throw problems.validation([{ field: 'file', code: 'required', message: 'Attach a file.' }]);
      const file = await receiveFile(part.file, ctx.blobs.tempDir, ctx.config.uploadMaxBytes);
      return { file, fileName: part.filename };
    };

    app.post(
      '/me/documents',
      {
        config: { admission: 'upload' },
        schema: {
          tags,
          summary: 'Upload a new document (PDF, JPEG or PNG, decided by content); multipart part "file"',
          querystring: uploadQuery,
          consumes: ['multipart/form-data'],
          response: { 201: ZDocument, ...problemResponses(400, 401, 403, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        authorize(principal, 'document.upload', { userId: principal?.id ?? '' });
        const { file, fileName } = await receive(request);
        const { document, version } = await storeUpload(
          ctx,
          principal.id,
          file,
          fileName,
          {
            meta: {
              kind: request.query.kind,
              relatesTo: request.query.relatesTo ?? null,
              issuedOn: request.query.issuedOn ?? null,
            },
          },
          actorOf(request),
        );
        return reply.code(201).send(presentDocument(document, [version]));
      },
    );

    app.post(
      '/documents/:id/versions',
      {
        config: { admission: 'upload' },
        schema: {
          tags,
          summary: 'Upload a new version of a document (its verdict goes back to pending; earlier versions stay)',
          params: z.object({ id: z.uuid() }),
          consumes: ['multipart/form-data'],
          response: { 201: ZDocument, ...problemResponses(400, 401, 404, 409, 413, 415, 422) },
        },
      },
      async (request, reply) => {
        const doc = await loadDocument(ctx, principalOf(request), request.params.id, 'document.upload');
        const { file, fileName } = await receive(request);
        const { document } = await storeUpload(ctx, doc.ownerId, file, fileName, { document: doc }, actorOf(request));
        const rows = await listDocuments(ctx, doc.ownerId);
        return reply
          .code(201)
          .send(presentDocument(document, rows.find((r) => r.document.id === document.id)?.versions ?? []));
      },
    );

    app.patch(
      '/documents/:id',
      {
        schema: {
          tags,
          summary: 'Correct what a document is about (issue date, related dossier entry)',
          params: z.object({ id: z.uuid() }),
          body: z.strictObject({
            issuedOn: z.iso.date().nullable().optional(),
            relatesTo: z.string().min(1).max(40).nullable().optional(),
          }),
          response: { 200: ZDocument, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) => {
        const doc = await loadDocument(ctx, principalOf(request), request.params.id, 'document.upload');
        await updateDocumentFacts(ctx, doc, request.body, actorOf(request));
        const rows = await listDocuments(ctx, doc.ownerId);
        const row = rows.find((r) => r.document.id === doc.id);
        if (!row) throw problems.notFound('document');
        return presentDocument(row.document, row.versions);
      },
    );

    app.get(
      '/documents/:id/versions/:version/file',
      {
        schema: {
          tags,
          summary: 'Download one version, as an attachment',
          params: z.object({ id: z.uuid(), version: z.coerce.number().int().min(1) }),
        },
      },
      async (request, reply) => {
        const doc = await loadDocument(ctx, principalOf(request), request.params.id, 'document.read');
        const version = await getVersion(ctx, doc.id, request.params.version);
        return sendDocumentFile(ctx, reply, doc, version, actorOf(request));
      },
    );

    app.post(
      '/documents/:id/verdict',
      {
        schema: {
          tags,
          summary: 'Accept or reject the current version (officers of a university applied to); e-mails the applicant',
          params: z.object({ id: z.uuid() }),
          body: z.strictObject({
            status: z.enum(['accepted', 'rejected']),
            code: z.enum(REJECTION_CODES).optional(),
            note: z.string().trim().max(2000).optional(),
          }),
          response: { 200: ZDocument, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) => {
        const doc = await loadDocument(ctx, principalOf(request), request.params.id, 'document.verify');
        await recordVerdict(ctx, doc, request.body, actorOf(request));
        const rows = await listDocuments(ctx, doc.ownerId);
        const row = rows.find((r) => r.document.id === doc.id);
        if (!row) throw problems.notFound('document');
        return presentDocument(row.document, row.versions);
      },
    );
  };
}
