/** Client and types of campaigns and applications. Mirrors src/server/presenters/application.presenter.ts. */
import { request } from '../../api';
import type { Text } from '../catalog/catalog-api';

export interface CampaignListItem {
  slug: string;
  title: Text;
  university: { slug: string; name: Text };
  academicYear: string;
  level: string;
  /** Whether some competition's documents window is open now (server time). */
  openNow: boolean;
  competitions: number;
}

export interface Competition {
  id: string;
  program: { slug: string; title: Text; level: string; languages: string[] };
  funding: string;
  studyForm: string;
  applicantGroup: string;
  /** Seats the university set (S4-4). */
  seats: number;
  /** Competition that receives the unfilled seats. */
  revertsTo: string | null;
}

export interface CampaignWindow {
  kind: 'documents' | 'exams' | 'enrollment';
  opens: string | null;
  closes: string | null;
  yearRound: boolean;
  studyForms: string[];
  funding: string[];
  source: string;
}

export interface Requirement {
  id: string;
  type: string;
  categories: string[] | null;
  optional: boolean;
  source: string;
}

export interface Campaign {
  id: string;
  slug: string;
  university: string;
  title: Text;
  academicYear: string;
  level: string;
  windows: CampaignWindow[];
  requirements: Requirement[];
  maxPriorities: number;
  notes: Text | null;
  source: string;
  competitions: Competition[];
  updatedAt: string;
}

export type CheckStatus = 'pass' | 'fail' | 'review' | 'missing';

export interface Check {
  /** Requirement id, 'eligibility.<rule>', the name-consistency requirement, or 'dossier'. */
  id: string;
  status: CheckStatus;
  /** Stops submission. */
  blocking: boolean;
  code: string;
  params: Record<string, string | number>;
  source: string;
}

export type WindowState = 'not_open' | 'open' | 'closed' | 'not_stated';

export interface Choice {
  priority: number;
  competition: Competition;
  checks: Check[];
  complete: boolean;
  window: { state: WindowState; cutoff: string | null };
}

export type ApplicationStatus = 'draft' | 'submitted' | 'withdrawn';

export interface ApplicationView {
  campaign: { slug: string; title: Text; maxPriorities: number };
  application: {
    id: string;
    status: ApplicationStatus;
    number: string | null;
    submittedAt: string | null;
    snapshotSha256: string | null;
  } | null;
  choices: Choice[];
  extensionUntil: string | null;
  timeline: { at: string; type: string; data: unknown }[];
}

export interface Receipt {
  applicationId: string;
  number: string;
  submittedAt: string;
  snapshotSha256: string;
}

export interface MyApplication {
  campaign: string;
  title: Text;
  status: ApplicationStatus;
  number: string | null;
  submittedAt: string | null;
}

export interface Deadline {
  campaign: string;
  title: Text;
  kind: 'documents' | 'exams' | 'enrollment';
  closes: string;
  extended: boolean;
  source: string;
  studyForms: string[];
  funding: string[];
}

type Signal = AbortSignal | undefined;
const at = (slug: string) => encodeURIComponent(slug);

export const applicationsApi = {
  campaigns: (query: Record<string, string> = {}, signal?: Signal) =>
    request<{ items: CampaignListItem[] }>(
      'GET',
      `/api/v1/campaigns?${new URLSearchParams(query).toString()}`,
      undefined,
      { signal },
    ),
  campaign: (slug: string, signal?: Signal) =>
    request<Campaign>('GET', `/api/v1/campaigns/${at(slug)}`, undefined, { signal }),
  mine: (signal?: Signal) =>
    request<{ items: MyApplication[] }>('GET', '/api/v1/me/applications', undefined, { signal }),
  application: (slug: string, signal?: Signal) =>
    request<ApplicationView>('GET', `/api/v1/me/applications/${at(slug)}`, undefined, { signal }),
  setChoices: (slug: string, competitions: string[]) =>
    request<ApplicationView>('PUT', `/api/v1/me/applications/${at(slug)}/choices`, { competitions }),
  /** The same key on a retry returns the same receipt instead of a second submission. */
  submit: (slug: string, idempotencyKey: string) =>
    request<Receipt>('POST', `/api/v1/me/applications/${at(slug)}/submit`, undefined, {
      headers: { 'Idempotency-Key': idempotencyKey },
    }),
  withdraw: (slug: string, reason: string) =>
    request<ApplicationView>(
      'POST',
      `/api/v1/me/applications/${at(slug)}/withdraw`,
      reason.trim() ? { reason: reason.trim() } : {},
    ),
  deadlines: (signal?: Signal) => request<{ items: Deadline[] }>('GET', '/api/v1/me/deadlines', undefined, { signal }),
};

/** A key for one submission attempt; crypto.randomUUID where the page is a secure context. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
