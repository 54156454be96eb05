import { z } from 'zod';
import { DOCUMENT_KINDS, ZDossier } from '../../domain/dossier/dossier.schema.js';
import type { DocumentRow, VersionRow } from '../dossier/documents.service.js';

export const ZDocumentVersion = z
  .object({
    version: z.number().int(),
    fileName: z.string(),
    size: z.number().int(),
    mediaType: z.string(),
    sha256: z.string(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    uploadedAt: z.string(),
    downloadUrl: z.string(),
  })
  .meta({ id: 'DocumentVersion' });

export const ZDocument = z
  .object({
    id: z.uuid(),
    kind: z.enum(DOCUMENT_KINDS),
    relatesTo: z.string().nullable(),
    issuedOn: z.string().nullable(),
    status: z.enum(['pending', 'accepted', 'rejected']),
    rejection: z.object({ code: z.string(), note: z.string().nullable() }).nullable(),
    verifiedAt: z.string().nullable(),
    currentVersion: z.number().int(),
    versions: z.array(ZDocumentVersion).describe('newest first; every version is kept'),
  })
  .meta({ id: 'Document' });

export const ZDossierView = z
  .object({
    dossier: ZDossier.nullable(),
    updatedAt: z.string().nullable(),
    grades: z
      .array(
        z.object({
          educationId: z.string(),
          fivePoint: z.number(),
          anchors: z.array(z.object({ from: z.number(), to: z.number() })),
        }),
      )
      .describe('each grade converted to the 5-point scale, with the anchors of the piecewise-linear rule'),
  })
  .meta({ id: 'DossierView' });

export function presentDocument(d: DocumentRow, versions: VersionRow[]): z.infer<typeof ZDocument> {
  return {
    id: d.id,
    kind: d.kind as z.infer<typeof ZDocument>['kind'],
    relatesTo: d.relatesTo,
    issuedOn: d.issuedOn,
    status: d.status as z.infer<typeof ZDocument>['status'],
    rejection: d.status === 'rejected' && d.rejectionCode ? { code: d.rejectionCode, note: d.rejectionNote } : null,
    verifiedAt: d.verifiedAt?.toISOString() ?? null,
    currentVersion: d.currentVersion,
    versions: versions.map((v) => ({
      version: v.version,
      fileName: v.fileName,
      size: v.size,
      mediaType: v.mediaType,
      sha256: v.sha256,
      width: v.width,
      height: v.height,
      uploadedAt: v.uploadedAt.toISOString(),
      downloadUrl: `/api/v1/documents/${d.id}/versions/${v.version}/file`,
    })),
  };
}
