/** Client and types of the documents API: listing, uploads with progress (XMLHttpRequest), verdicts. */
import { type ProgressListener, request, uploadFile } from '../../api';

export const DOCUMENT_KINDS = [
  'passport',
  'photo',
  'visa',
  'education_document',
  'transcript',
  'education_translation',
  'recognition',
  'internship_certificate',
  'language_certificate',
  'medical_report',
  'ministry_referral',
  'treaty_proof',
  'compatriot_proof',
  'achievement',
  'motivation_letter',
  'recommendation',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Kinds that belong to one education entry of the dossier (relatesTo = its id). */
export const EDUCATION_KINDS: readonly DocumentKind[] = ['education_document', 'transcript', 'education_translation'];
/** Language certificates belong to one certificate entry of the dossier. */
export const CERTIFICATE_KINDS: readonly DocumentKind[] = ['language_certificate'];

export const REJECTION_CODES = [
  'illegible',
  'wrong_document',
  'expired',
  'incomplete',
  'not_certified',
  'name_mismatch',
  'other',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

/** What the file input accepts; the server decides by content, not by name. */
export const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

export interface DocumentVersion {
  version: number;
  fileName: string;
  size: number;
  mediaType: string;
  sha256: string;
  width: number | null;
  height: number | null;
  uploadedAt: string;
  downloadUrl: string;
}

export interface ApplicantDocument {
  id: string;
  kind: DocumentKind;
  relatesTo: string | null;
  issuedOn: string | null;
  status: 'pending' | 'accepted' | 'rejected';
  rejection: { code: string; note: string | null } | null;
  verifiedAt: string | null;
  currentVersion: number;
  /** Newest first; every version is kept. */
  versions: DocumentVersion[];
}

export interface UploadMeta {
  kind: DocumentKind;
  relatesTo?: string | undefined;
  issuedOn?: string | undefined;
}

export type { ProgressListener };

type Signal = AbortSignal | undefined;

export const documentsApi = {
  mine: (signal?: Signal) =>
    request<{ items: ApplicantDocument[] }>('GET', '/api/v1/me/documents', undefined, { signal }),
  ofApplicant: (id: string, signal?: Signal) =>
    request<{ items: ApplicantDocument[] }>(
      'GET',
      `/api/v1/applicants/${encodeURIComponent(id)}/documents`,
      undefined,
      {
        signal,
      },
    ),
  upload: (meta: UploadMeta, file: File, onProgress: ProgressListener, signal?: Signal) => {
    const query = new URLSearchParams({ kind: meta.kind });
    if (meta.relatesTo) query.set('relatesTo', meta.relatesTo);
    if (meta.issuedOn) query.set('issuedOn', meta.issuedOn);
    return uploadFile<ApplicantDocument>(`/api/v1/me/documents?${query.toString()}`, file, onProgress, signal);
  },
  uploadVersion: (documentId: string, file: File, onProgress: ProgressListener, signal?: Signal) =>
    uploadFile<ApplicantDocument>(
      `/api/v1/documents/${encodeURIComponent(documentId)}/versions`,
      file,
      onProgress,
      signal,
    ),
  /** Corrects what a document is about (its issue date, the dossier entry); the file and the verdict stay. */
  updateFacts: (documentId: string, facts: { issuedOn?: string | null; relatesTo?: string | null }) =>
    request<ApplicantDocument>('PATCH', `/api/v1/documents/${encodeURIComponent(documentId)}`, facts),
  verdict: (documentId: string, body: { status: 'accepted' | 'rejected'; code?: RejectionCode; note?: string }) =>
    request<ApplicantDocument>('POST', `/api/v1/documents/${encodeURIComponent(documentId)}/verdict`, body),
};
