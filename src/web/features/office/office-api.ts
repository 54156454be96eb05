/** Client of the admissions office: a campaign's applications, one applicant's application, extensions. */
import { request } from '../../api';
import type { ApplicationStatus, ApplicationView } from '../applications/applications-api';
import type { Text } from '../catalog/catalog-api';

export interface OfficeApplication {
  id: string;
  number: string | null;
  status: ApplicationStatus;
  submittedAt: string | null;
  applicant: {
    id: string;
    email: string;
    fullName: string;
    latinName: string | null;
    citizenship: string | null;
    category: string | null;
  };
  documents: { pending: number; accepted: number; rejected: number };
  choices: { priority: number; program: string; title: Text; funding: string; studyForm: string }[];
}

export const FILTERS = ['status', 'program', 'documents', 'q'] as const;
export type Filter = (typeof FILTERS)[number];
export const STATUS_FILTERS = ['submitted', 'withdrawn'] as const;
export const DOCUMENT_FILTERS = ['pending', 'rejected', 'all_accepted'] as const;

/** Only the filters the API knows, without empty ones. */
export function filterQuery(search: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of FILTERS) {
    const value = search.get(name)?.trim();
    if (value) query.set(name, value);
  }
  return query;
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);

export const officeApi = {
  applications: (slug: string, query: URLSearchParams, signal?: Signal) =>
    request<{ items: OfficeApplication[] }>(
      'GET',
      `/api/v1/campaigns/${at(slug)}/applications?${query.toString()}`,
      undefined,
      { signal },
    ),
  exportUrl: (slug: string, query: URLSearchParams, format: 'xlsx' | 'csv') => {
    const params = new URLSearchParams(query);
    params.set('format', format);
    return `/api/v1/campaigns/${at(slug)}/applications/export?${params.toString()}`;
  },
  applicant: (slug: string, applicantId: string, signal?: Signal) =>
    request<ApplicationView>('GET', `/api/v1/campaigns/${at(slug)}/applicants/${at(applicantId)}`, undefined, {
      signal,
    }),
  grantExtension: (slug: string, body: { applicantId: string; until: string; reason: string }) =>
    request<void>('POST', `/api/v1/campaigns/${at(slug)}/extensions`, body),
};
