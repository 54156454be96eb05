/** Client and types of the agency workspace: the public question form, leads, grants and acting for applicants. */
import { type ProgressListener, request, uploadFile } from '../../api';
import type { Text } from '../catalog/catalog-api';
import type { ApplicantDocument, UploadMeta } from '../documents/documents-api';
import type { Dossier, DossierView } from '../dossier/dossier-api';

export const LEAD_STATUSES = ['new', 'contacted', 'invited', 'converted', 'closed'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export type GrantScope = 'view' | 'act';

export interface Lead {
  id: string;
  agencyId: string | null;
  name: string;
  email: string;
  phone: string | null;
  citizenship: string | null;
  level: string | null;
  specialty: string | null;
  message: string;
  locale: string;
  status: LeadStatus;
  consultantId: string | null;
  applicantId: string | null;
  /** "program:<slug>", "university:<slug>" or "site". */
  source: string | null;
  /** The catalog page the question was asked on, with names to show. */
  origin: { program: AgencyRef | null; university: AgencyRef | null };
  invitedAt: string | null;
  createdAt: string;
}

export interface AgencyRef {
  slug: string;
  name: Text;
}

export interface Grant {
  id: string;
  agency: AgencyRef;
  scope: GrantScope;
  grantedAt: string;
  revokedAt: string | null;
}

export interface AgencyApplicant {
  id: string;
  fullName: string;
  email: string;
  scope: GrantScope;
  /** The agency's consultant in charge of the case. */
  consultant: { id: string; fullName: string } | null;
}

export interface Consultant {
  id: string;
  email: string;
  fullName: string;
  agencyAdmin: boolean;
  disabled: boolean;
}

export interface QuestionInput {
  name: string;
  email: string;
  phone?: string | undefined;
  citizenship?: string | undefined;
  level?: string | undefined;
  specialty?: string | undefined;
  message: string;
  locale: 'en' | 'ru';
  university?: string | undefined;
  program?: string | undefined;
  formToken: string;
  website: string;
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);

export const agencyApi = {
  // ---------- Public ----------
  formToken: (signal?: Signal) =>
    request<{ formToken: string }>('GET', '/api/v1/public/lead-form', undefined, { signal }),
  ask: (body: QuestionInput) => request<void>('POST', '/api/v1/public/leads', body),

  // ---------- Leads ----------
  leads: (status: LeadStatus | '', signal?: Signal) =>
    request<{ items: Lead[] }>('GET', `/api/v1/agency/leads${status ? `?status=${at(status)}` : ''}`, undefined, {
      signal,
    }),
  lead: (id: string, signal?: Signal) => request<Lead>('GET', `/api/v1/agency/leads/${at(id)}`, undefined, { signal }),
  updateLead: (id: string, body: { status?: 'new' | 'contacted' | 'closed'; consultantId?: string | null }) =>
    request<Lead>('PATCH', `/api/v1/agency/leads/${at(id)}`, body),
  invite: (id: string) => request<{ invitedAt: string }>('POST', `/api/v1/agency/leads/${at(id)}/invite`),
  assignCase: (applicantId: string, consultantId: string | null) =>
    request<{ consultant: { id: string; fullName: string } | null }>(
      'PATCH',
      `/api/v1/agency/applicants/${at(applicantId)}/case`,
      { consultantId },
    ),

  // ---------- Applicants' side ----------
  invitation: (token: string, signal?: Signal) =>
    request<{ agency: AgencyRef }>('GET', `/api/v1/agency-invitations/${at(token)}`, undefined, {
      signal,
    }),
  grants: (signal?: Signal) => request<{ items: Grant[] }>('GET', '/api/v1/me/agency-grants', undefined, { signal }),
  grant: (body: { invitation?: string; agency?: string; scope: GrantScope }) =>
    request<Grant>('POST', '/api/v1/me/agency-grants', body),
  revoke: (id: string) => request<void>('DELETE', `/api/v1/me/agency-grants/${at(id)}`),

  // ---------- Acting for applicants ----------
  applicant: (id: string, signal?: Signal) =>
    request<AgencyApplicant>('GET', `/api/v1/agency/applicants/${at(id)}`, undefined, { signal }),
  dossier: async (id: string, signal?: Signal): Promise<DossierView> => {
    const view = await request<{ dossier: Dossier | null; updatedAt: string | null }>(
      'GET',
      `/api/v1/agency/applicants/${at(id)}/dossier`,
      undefined,
      { signal },
    );
    return { ...view, grades: [] };
  },
  saveDossier: async (id: string, dossier: Dossier): Promise<DossierView> => {
    const view = await request<{ dossier: Dossier | null; updatedAt: string | null }>(
      'PUT',
      `/api/v1/agency/applicants/${at(id)}/dossier`,
      dossier,
    );
    return { ...view, grades: [] };
  },
  /** The documents, each version with the agency's own download address (the server gives it). */
  documents: (id: string, signal?: Signal) =>
    request<{ items: ApplicantDocument[] }>('GET', `/api/v1/agency/applicants/${at(id)}/documents`, undefined, {
      signal,
    }),
  upload: async (id: string, meta: UploadMeta, file: File, onProgress: ProgressListener, signal?: Signal) => {
    const query = new URLSearchParams({ kind: meta.kind });
    if (meta.relatesTo) query.set('relatesTo', meta.relatesTo);
    if (meta.issuedOn) query.set('issuedOn', meta.issuedOn);
    return uploadFile<ApplicantDocument>(
      `/api/v1/agency/applicants/${at(id)}/documents?${query.toString()}`,
      file,
      onProgress,
      signal,
    );
  },

  // ---------- The agency ----------
  consultants: (signal?: Signal) =>
    request<{ items: Consultant[] }>('GET', '/api/v1/agency/consultants', undefined, { signal }),
  addConsultant: (body: { email: string; fullName: string; password: string; locale: 'en' | 'ru' }) =>
    request<Consultant>('POST', '/api/v1/agency/consultants', body),
  updateConsultant: (id: string, body: { disabled?: boolean; agencyAdmin?: boolean }) =>
    request<Consultant>('PATCH', `/api/v1/agency/consultants/${at(id)}`, body),
  partners: (signal?: Signal) =>
    request<{ agency: AgencyRef; universities: AgencyRef[] }>('GET', '/api/v1/agency/universities', undefined, {
      signal,
    }),
  setPartners: (universities: string[]) =>
    request<{ universities: string[] }>('PUT', '/api/v1/agency/universities', { universities }),
};
