/**
 * Client and types of portfolio reviewing. Mirrors src/server/routes/scoring.routes.ts and the rubric
 * schema of src/domain/scoring/rubric.schema.ts.
 */
import { request } from '../../api';
import type { Text } from '../catalog/catalog-api';
import type { Dossier } from '../dossier/dossier-api';

/** Half-open [from, to); `to: null` runs up to and including the criterion's max. */
export interface Band {
  from: number;
  to: number | null;
  points: number;
}

export type Criterion =
  | {
      kind: 'banded';
      id: string;
      label: Text;
      min: number;
      max: number;
      bands: Band[];
      auto: string | null;
      source: string;
    }
  | { kind: 'yes_no'; id: string; label: Text; points: number; auto: string | null; source: string }
  | {
      kind: 'exclusive';
      id: string;
      label: Text;
      options: { id: string; label: Text; points: number; auto: string | null }[];
      source: string;
    };

export interface Rubric {
  slug: string;
  title: Text;
  maximum: number;
  criteria: Criterion[];
  source: string;
}

/** banded: the value; yes_no: a boolean; exclusive: the chosen option id. null = not given. */
export type ScoreInput = number | boolean | string | null;

export interface Provenance {
  code: string;
  params: Record<string, string | number>;
}

export interface ScoreItem {
  criterionId: string;
  points: number;
  input?: ScoreInput;
}

export type ReviewRole = 'reader' | 'senior';
export type ReviewStatus = 'assigned' | 'submitted';
export type FileStatusCode = 'incomplete' | 'needs_reconciliation' | 'final';

export interface QueueItem {
  id: string;
  role: ReviewRole;
  status: ReviewStatus;
  campaign: string;
  applicationNumber: string | null;
  assignedAt: string;
  total: number | null;
}

export interface ReviewFile {
  id: string;
  role: ReviewRole;
  status: ReviewStatus;
  applicationNumber: string | null;
  applicantId: string;
  campaign: string;
  rubric: Rubric;
  prescore: { inputs: Record<string, ScoreInput>; provenance: Record<string, Provenance> };
  /** What this reviewer submitted last, if anything. */
  inputs: Record<string, ScoreInput> | null;
  total: number | null;
  comment: string | null;
  dossier: Dossier | null;
  /** The readers' scores; only a senior reviewer sees them. */
  readers: { reviewerId: string; total: number | null; items: ScoreItem[] | null; comment: string | null }[];
}

export interface FileStatus {
  status: FileStatusCode;
  total: number | null;
  items: { criterionId: string; points: number }[];
  readersSubmitted: number;
  readersRequired: number;
}

export interface ReviewSettings {
  readersRequired: number;
  reconciliationThreshold: number;
  /** Null: an officer of the university reconciles. */
  seniorReviewerId: string | null;
}

export interface CampaignRubric {
  version: number | null;
  rubric: Rubric | null;
  settings: ReviewSettings;
}

export interface ReviewerProgress {
  reviewerId: string;
  name: string;
  role: ReviewRole;
  assigned: number;
  submitted: number;
}

export interface ScoreBreakdown {
  status: FileStatusCode;
  total: number | null;
  maximum: number | null;
  items: { criterionId: string; label: Text; points: number; maximum: number; source: string }[];
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);

export const reviewsApi = {
  queue: (filter: { campaign?: string; status?: string }, signal?: Signal) => {
    const query = new URLSearchParams();
    if (filter.campaign) query.set('campaign', filter.campaign);
    if (filter.status) query.set('status', filter.status);
    return request<{ items: QueueItem[] }>('GET', `/api/v1/me/reviews?${query.toString()}`, undefined, { signal });
  },
  review: (id: string, signal?: Signal) =>
    request<ReviewFile>('GET', `/api/v1/reviews/${at(id)}`, undefined, { signal }),
  submit: (
    id: string,
    body: { inputs: Record<string, ScoreInput>; comment?: string; reasons?: Record<string, string> },
  ) => request<FileStatus>('PUT', `/api/v1/reviews/${at(id)}`, body),
  presets: (signal?: Signal) => request<{ items: Rubric[] }>('GET', '/api/v1/rubric-presets', undefined, { signal }),
  rubric: (slug: string, signal?: Signal) =>
    request<CampaignRubric>('GET', `/api/v1/campaigns/${at(slug)}/rubric`, undefined, { signal }),
  applyPreset: (slug: string, preset: string) =>
    request<{ version: number }>('PUT', `/api/v1/campaigns/${at(slug)}/rubric`, { preset }),
  saveSettings: (slug: string, settings: ReviewSettings) =>
    request<void>('PUT', `/api/v1/campaigns/${at(slug)}/review-settings`, settings),
  assign: (slug: string) =>
    request<{ assigned: number; applications: number }>('POST', `/api/v1/campaigns/${at(slug)}/reviews/assign`),
  progress: (slug: string, signal?: Signal) =>
    request<{ items: ReviewerProgress[] }>('GET', `/api/v1/campaigns/${at(slug)}/reviews/progress`, undefined, {
      signal,
    }),
  myScore: (slug: string, signal?: Signal) =>
    request<ScoreBreakdown>('GET', `/api/v1/me/applications/${at(slug)}/score`, undefined, { signal }),
};
