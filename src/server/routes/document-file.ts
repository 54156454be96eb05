import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { type DocumentRow, readVersionContent, type VersionRow } from '../dossier/documents.service.js';
import type { Actor } from '../services/audit.service.js';

/**
 * Sends one document version as an attachment, the same headers for files in clear and encrypted
 * ones (the length is the plaintext's). Encrypted files are authenticated before the first byte.
 */
export async function sendDocumentFile(
  ctx: AppContext,
  reply: FastifyReply,
  doc: DocumentRow,
  version: VersionRow,
  actor: Actor,
  auditOtherReads?: string,
) {
  const content = await readVersionContent(ctx, doc, version, actor, auditOtherReads);
  const ascii = version.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', version.mediaType)
    .header('content-length', String(version.size))
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(version.fileName)}`,
    )
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private, no-store')
    .send(content);
}
