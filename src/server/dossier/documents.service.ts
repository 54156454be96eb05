import { randomUUID } from 'node:crypto';
import fs, { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { auditLog, documents, documentVersions, users } from '../../db/schema.js';
import type { DocumentFacts, DocumentKind } from '../../domain/dossier/dossier.schema.js';
import type { AppContext } from '../context.js';
import { DecryptionError, decryptContent, type Envelope, encryptContent } from '../files/encryption.js';
import { type ReceivedFile, safeFileName } from '../files/upload.js';
import { renderVerdictMail } from '../mail/templates.js';
import { authorize, type Principal } from '../policies/policy.js';
import { requireHealthConsent } from '../privacy/consent.service.js';
import { ProblemError, problems } from '../problem.js';
import { type Actor, recordAudit } from '../services/audit.service.js';
import { appliedUniversities } from './dossier.service.js';

export type DocumentRow = typeof documents.$inferSelect;
export type VersionRow = typeof documentVersions.$inferSelect;

export interface DocumentMeta {
  kind: DocumentKind;
  relatesTo: string | null;
  issuedOn: string | null;
}

/** Loads a document and checks the principal may act on it; others get 404, as if it did not exist. */
export async function loadDocument(
  ctx: AppContext,
  principal: Principal | null,
  id: string,
  action: 'document.read' | 'document.upload' | 'document.verify',
): Promise<DocumentRow> {
  const [doc] = await ctx.db.select().from(documents).where(eq(documents.id, id));
  const applied =
    doc && principal && principal.id !== doc.ownerId ? await appliedUniversities(ctx.db, doc.ownerId) : [];
  if (!doc) {
    if (!principal) throw problems.unauthenticated();
    throw problems.notFound('document');
  }
  authorize(principal, action, { userId: doc.ownerId, appliedUniversityIds: applied }, { hideExistence: true });
  return doc;
}

/** Whether files of this kind are special-category data, stored encrypted and audited on every read. */
export function isSpecialCategory(ctx: AppContext, kind: string): boolean {
  return (ctx.config.encryptedDocumentKinds as readonly string[]).includes(kind);
}

/**
 * Moves a received file into the blob store: in clear under its hash, or, for special-category
 * kinds, sealed in memory (uploads are at most UPLOAD_MAX_BYTES) under a fresh random key.
 */
async function storeContent(
  ctx: AppContext,
  file: ReceivedFile,
  kind: string,
): Promise<{ blobKey: string; encryption: Envelope | null }> {
  if (!isSpecialCategory(ctx, kind))
    return { blobKey: await ctx.blobs.put(file.tempFile, file.sha256), encryption: null };
  try {
    const { ciphertext, envelope } = encryptContent(await fs.readFile(file.tempFile), ctx.fileKeys);
    return { blobKey: await ctx.blobs.putSealed(ciphertext), encryption: envelope };
  } finally {
    await fs.rm(file.tempFile, { force: true });
  }
}

/** Stores an uploaded file as a new document, or as the next version of one (the old versions stay). */
export async function storeUpload(
  ctx: AppContext,
  ownerId: string,
  file: ReceivedFile,
  fileName: string,
  target: { meta: DocumentMeta } | { document: DocumentRow },
  actor: Actor,
): Promise<{ document: DocumentRow; version: VersionRow }> {
  // Health data is processed only with the person's active consent (whoever uploads: the applicant,
  // or a consultant on their behalf); the received file is dropped when it is missing.
  if (('meta' in target ? target.meta.kind : target.document.kind) === 'medical_report') {
    await requireHealthConsent(ctx.db, ownerId).catch(async (error: unknown) => {
      await rm(file.tempFile, { force: true });
      throw error;
    });
  }
  const kind = 'meta' in target ? target.meta.kind : target.document.kind;
  const { blobKey, encryption } = await storeContent(ctx, file, kind);
  const now = ctx.clock.now();
  const versionOf = (documentId: string, version: number): VersionRow => ({
    documentId,
    version,
    blobKey,
    sha256: file.sha256,
    size: file.size,
    mediaType: file.mediaType,
    fileName: safeFileName(fileName, file.mediaType),
    width: file.width,
    height: file.height,
    encryption,
    uploadedBy: actor.userId ?? ownerId,
    uploadedAt: now,
  });
  if ('meta' in target) {
    // A new document: the document, its first version and the audit entry in one statement (one
    // statement is one transaction). On the embedded database each statement holds up every other
    // request for about a millisecond, and uploads come in bursts at deadlines.
    const document: DocumentRow = {
      id: randomUUID(),
      ownerId,
      kind: target.meta.kind,
      relatesTo: target.meta.relatesTo,
      issuedOn: target.meta.issuedOn,
      status: 'pending',
      rejectionCode: null,
      rejectionNote: null,
      verifiedBy: null,
      verifiedAt: null,
      currentVersion: 1,
      createdAt: now,
      updatedAt: now,
    };
    const version = versionOf(document.id, 1);
    // The same entry recordAudit writes.
    const audit = ctx.db.insert(auditLog).values({
      at: now,
      actorUserId: actor.userId,
      onBehalfOfUserId: actor.onBehalfOfUserId ?? null,
      action: 'document.uploaded',
      subjectType: 'document',
      subjectId: document.id,
      before: null,
      after: { kind: document.kind, version: version.version, sha256: version.sha256, size: version.size },
      reason: null,
      ip: actor.ip ?? null,
    });
    await ctx.db.execute(
      sql`with d as (${ctx.db.insert(documents).values(document).getSQL()}), v as (${ctx.db.insert(documentVersions).values(version).getSQL()}) ${audit.getSQL()}`,
    );
    return { document, version };
  }
  return ctx.db.transaction(async (tx) => {
    // Lock the row so two re-uploads at once get versions n+1 and n+2.
    const [locked] = await tx.select().from(documents).where(eq(documents.id, target.document.id)).for('update');
    if (!locked) throw problems.notFound('document');
    const [doc] = await tx
      .update(documents)
      .set({
        currentVersion: locked.currentVersion + 1,
        status: 'pending',
        rejectionCode: null,
        rejectionNote: null,
        verifiedBy: null,
        verifiedAt: null,
        updatedAt: now,
      })
      .where(eq(documents.id, locked.id))
      .returning();
    if (!doc) throw problems.notFound('document');
    const [version] = await tx.insert(documentVersions).values(versionOf(doc.id, doc.currentVersion)).returning();
    if (!version) throw new Error('version insert returned nothing');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'document.uploaded',
      subjectType: 'document',
      subjectId: doc.id,
      after: { kind: doc.kind, version: version.version, sha256: version.sha256, size: version.size },
    });
    return { document: doc, version };
  });
}

/**
 * The content of one version, ready to send: a stream for a file in clear; for a sealed file the
 * decrypted bytes, whose GCM tag is checked before anything is returned (a damaged or altered file
 * gives `file_unreadable` and no body). Every read of a special-category document is audited as
 * `document.read_special` (who, on whose behalf, which version); `auditOtherReads` names the action
 * for other reads when the caller audits those too (the agency's downloads).
 */
export async function readVersionContent(
  ctx: AppContext,
  doc: DocumentRow,
  version: VersionRow,
  actor: Actor,
  auditOtherReads?: string,
): Promise<Readable | Buffer> {
  let decrypted: Buffer | undefined;
  if (version.encryption) {
    const sealed = await ctx.blobs.read(version.blobKey);
    try {
      decrypted = decryptContent(sealed, version.encryption, ctx.fileKeys);
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      ctx.log?.error(
        { documentId: doc.id, version: version.version, keyId: version.encryption.keyId, reason: error.message },
        'an encrypted file failed its integrity check',
      );
      throw new ProblemError(500, 'file_unreadable', 'File cannot be read', {
        detail: 'The stored file failed its integrity check and was not sent; the administrators have been alerted.',
      });
    }
  }
  const special = !!version.encryption || isSpecialCategory(ctx, doc.kind);
  const action = special ? 'document.read_special' : auditOtherReads;
  // No read without its audit entry: the entry is written before anything is sent.
  if (action) {
    await recordAudit(ctx.db, ctx.clock, actor, {
      action,
      subjectType: 'document',
      subjectId: doc.id,
      after: { version: version.version, kind: doc.kind, ownerId: doc.ownerId },
    });
  }
  return decrypted ?? ctx.blobs.open(version.blobKey);
}

export async function listDocuments(ctx: AppContext, ownerId: string) {
  const docs = await ctx.db
    .select()
    .from(documents)
    .where(eq(documents.ownerId, ownerId))
    .orderBy(asc(documents.createdAt));
  const versions = await ctx.db
    .select({ v: documentVersions })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(eq(documents.ownerId, ownerId))
    .orderBy(desc(documentVersions.version));
  return docs.map((d) => ({ document: d, versions: versions.map((r) => r.v).filter((v) => v.documentId === d.id) }));
}

export async function getVersion(ctx: AppContext, documentId: string, version: number): Promise<VersionRow> {
  const [row] = await ctx.db
    .select()
    .from(documentVersions)
    .where(and(eq(documentVersions.documentId, documentId), eq(documentVersions.version, version)));
  if (!row) throw problems.notFound('version');
  return row;
}

/**
 * The owner's documents, each with its current version only (in one query): what the checks and a
 * submission snapshot need, in the same order and shape as listDocuments.
 */
export async function currentDocuments(
  ctx: AppContext,
  ownerId: string,
): Promise<{ document: DocumentRow; versions: VersionRow[] }[]> {
  const rows = await ctx.db
    .select({ d: documents, v: documentVersions })
    .from(documents)
    .leftJoin(
      documentVersions,
      and(eq(documentVersions.documentId, documents.id), eq(documentVersions.version, documents.currentVersion)),
    )
    .where(eq(documents.ownerId, ownerId))
    .orderBy(asc(documents.createdAt));
  return rows.map((r) => ({ document: r.d, versions: r.v ? [r.v] : [] }));
}

/** What the automatic checks see of an applicant's documents. */
export function factsOf(rows: { document: DocumentRow; versions: VersionRow[] }[]): DocumentFacts[] {
  return rows.map(({ document: d, versions }) => {
    const current = versions.find((v) => v.version === d.currentVersion);
    return {
      id: d.id,
      kind: d.kind as DocumentKind,
      relatesTo: d.relatesTo,
      issuedOn: d.issuedOn,
      width: current?.width ?? null,
      height: current?.height ?? null,
      status: d.status as DocumentFacts['status'],
    };
  });
}

/** The applicant corrects what a document is about; the file and the verdict stay. */
export async function updateDocumentFacts(
  ctx: AppContext,
  doc: DocumentRow,
  changes: { issuedOn?: string | null | undefined; relatesTo?: string | null | undefined },
  actor: Actor,
): Promise<void> {
  const next = {
    issuedOn: changes.issuedOn === undefined ? doc.issuedOn : changes.issuedOn,
    relatesTo: changes.relatesTo === undefined ? doc.relatesTo : changes.relatesTo,
  };
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(documents)
      .set({ ...next, updatedAt: ctx.clock.now() })
      .where(eq(documents.id, doc.id));
    await recordAudit(tx, ctx.clock, actor, {
      action: 'document.facts_updated',
      subjectType: 'document',
      subjectId: doc.id,
      before: { issuedOn: doc.issuedOn, relatesTo: doc.relatesTo },
      after: next,
    });
  });
}

export const REJECTION_CODES = [
  'illegible',
  'wrong_document',
  'expired',
  'incomplete',
  'not_certified',
  'name_mismatch',
  'other',
] as const;

/** An officer's verdict on the current version; audited and e-mailed to the applicant in their language. */
export async function recordVerdict(
  ctx: AppContext,
  doc: DocumentRow,
  verdict: {
    status: 'accepted' | 'rejected';
    code?: (typeof REJECTION_CODES)[number] | undefined;
    note?: string | undefined;
  },
  actor: Actor,
): Promise<DocumentRow> {
  if (verdict.status === 'rejected' && !verdict.code) {
    throw problems.validation([
      { field: 'body.code', code: 'required', message: 'Give the reason for the rejection.' },
    ]);
  }
  const now = ctx.clock.now();
  const updated = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(documents)
      .set({
        status: verdict.status,
        rejectionCode: verdict.status === 'rejected' ? (verdict.code ?? 'other') : null,
        rejectionNote: verdict.status === 'rejected' ? (verdict.note ?? null) : null,
        verifiedBy: actor.userId,
        verifiedAt: now,
        updatedAt: now,
      })
      .where(eq(documents.id, doc.id))
      .returning();
    if (!row) throw problems.notFound('document');
    await recordAudit(tx, ctx.clock, actor, {
      action: 'document.verdict',
      subjectType: 'document',
      subjectId: doc.id,
      before: { status: doc.status, version: doc.currentVersion },
      after: { status: row.status, version: row.currentVersion, code: row.rejectionCode },
      reason: verdict.note ?? null,
    });
    return row;
  });
  const [owner] = await ctx.db.select().from(users).where(eq(users.id, doc.ownerId));
  if (owner) {
    try {
      await ctx.mailer.send(
        renderVerdictMail(owner.locale, owner.email, owner.fullName, {
          kind: doc.kind,
          status: verdict.status,
          code: updated.rejectionCode,
          note: updated.rejectionNote,
          link: `${ctx.config.publicUrl}/documents`,
        }),
      );
    } catch (error) {
      ctx.log?.error({ err: error }, 'could not send the verdict e-mail');
    }
  }
  return updated;
}
