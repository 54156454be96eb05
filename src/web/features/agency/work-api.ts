/**
 * Client of the agency's pipeline, tasks, notes, timeline and reports (docs/API.md "Agency workspace:
 * pipeline, tasks, adaptation, reports"). A server without these routes answers "No such route":
 * the screens then say the part is not available instead of failing.
 */
import { ApiError, request } from '../../api';

export const STAGES = [
  'inquiry',
  'consultation',
  'dossier',
  'applied',
  'admitted',
  'contract_payment',
  'invitation',
  'visa',
  'arrived',
  'registered',
  'enrolled',
  'adapted',
] as const;
export type Stage = (typeof STAGES)[number];

export interface StageState {
  reachedAt: string | null;
  source: 'system' | 'manual' | null;
}

export interface DerivedStages {
  stages: Record<Stage, StageState>;
  current: { stage: Stage; reachedAt: string } | null;
}

export interface PipelineItem {
  id: string;
  fullName: string;
  email: string;
  citizenship: string | null;
  scope: 'view' | 'act';
  stage: { stage: Stage; reachedAt: string } | null;
  universities: { slug: string; name: { en: string; ru: string } }[];
  consultant: { id: string; fullName: string } | null;
  openTasks: number;
  nextTask: { id: string; title: string; dueAt: string } | null;
}

export interface PipelineFilter {
  stage?: string | undefined;
  university?: string | undefined;
  consultant?: string | undefined;
  q?: string | undefined;
}

export interface Task {
  id: string;
  title: string;
  dueAt: string;
  applicant: { id: string; fullName: string } | null;
  lead: { id: string; name: string } | null;
  assignee: { id: string; fullName: string } | null;
  createdBy: string;
  doneAt: string | null;
  createdAt: string;
}

export interface Note {
  id: string;
  body: string;
  author: { id: string; fullName: string };
  createdAt: string;
}

export interface TimelineEvent {
  at: string;
  type: string;
  summary: string;
  actor: { id: string; fullName: string } | null;
  onBehalf: boolean;
  data: Record<string, unknown> | null;
}

export interface FunnelRow {
  counts: Record<Stage, number>;
  conversions: { from: Stage; to: Stage; rate: number | null }[];
  applicants: number;
}

export interface FunnelReport {
  from: string;
  to: string;
  stages: Stage[];
  total: FunnelRow | null;
  universities: ({ university: { slug: string; name: { en: string; ru: string } } } & FunnelRow)[];
}

export interface AdaptationItem {
  id: string;
  title: { en: string; ru: string };
  dueAt: string;
  workingDays: boolean;
  essential: boolean;
  source: string;
  doneAt: string | null;
  doneBy: string | null;
  overdue: boolean;
}

export interface Adaptation {
  university: { slug: string; name: { en: string; ru: string } };
  /** The university set no checklist: the built-in default applies. */
  isDefault: boolean;
  items: AdaptationItem[];
}

/** The checklists, whether the answer is a list or wraps it. */
function checklists(answer: unknown): Adaptation[] {
  if (Array.isArray(answer)) return answer as Adaptation[];
  const record = (answer ?? {}) as { items?: Adaptation[]; universities?: Adaptation[] };
  return record.items ?? record.universities ?? [];
}

/** True when the server has no such route (the feature is not deployed), as opposed to "not yours". */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && error.message === 'No such route.';
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);

export type NoteSubject = { applicantId: string } | { leadId: string };
const notesPath = (subject: NoteSubject) =>
  'applicantId' in subject
    ? `/api/v1/agency/applicants/${at(subject.applicantId)}/notes`
    : `/api/v1/agency/leads/${at(subject.leadId)}/notes`;

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const workApi = {
  pipeline: (filter: PipelineFilter, signal?: Signal) =>
    request<{ items: PipelineItem[] }>('GET', `/api/v1/agency/pipeline${query({ ...filter })}`, undefined, {
      signal,
    }),
  stages: (id: string, signal?: Signal) =>
    request<DerivedStages>('GET', `/api/v1/agency/applicants/${at(id)}/stages`, undefined, { signal }),
  setStage: (id: string, stage: Stage, body: { reached: boolean; at?: string }) =>
    request<DerivedStages>('PUT', `/api/v1/agency/applicants/${at(id)}/stages/${at(stage)}`, body),
  timeline: (id: string, signal?: Signal) =>
    request<{ items: TimelineEvent[] }>('GET', `/api/v1/agency/applicants/${at(id)}/timeline`, undefined, {
      signal,
    }),
  /** Notes about an applicant or about a lead. */
  notes: (subject: NoteSubject, signal?: Signal) =>
    request<{ items: Note[] }>('GET', `${notesPath(subject)}`, undefined, { signal }),
  addNote: (subject: NoteSubject, body: string) => request<Note>('POST', notesPath(subject), { body }),
  tasks: (filter: { open?: boolean; assignee?: 'me'; applicant?: string; lead?: string }, signal?: Signal) =>
    request<{ items: Task[] }>(
      'GET',
      `/api/v1/agency/tasks${query({
        open: filter.open === undefined ? undefined : String(filter.open),
        assignee: filter.assignee,
        applicant: filter.applicant,
        lead: filter.lead,
      })}`,
      undefined,
      { signal },
    ),
  addTask: (body: {
    title: string;
    dueAt: string;
    applicantId?: string;
    leadId?: string;
    assigneeId?: string | null;
  }) => request<Task>('POST', '/api/v1/agency/tasks', body),
  funnel: (range: { from?: string; to?: string }, signal?: Signal) =>
    request<FunnelReport>('GET', `/api/v1/agency/reports/funnel${query(range)}`, undefined, { signal }),
  funnelXlsxUrl: (range: { from?: string; to?: string }, lang: 'en' | 'ru') =>
    `/api/v1/agency/reports/funnel${query({ ...range, format: 'xlsx', lang })}`,
  adaptation: async (id: string, signal?: Signal) =>
    checklists(await request<unknown>('GET', `/api/v1/agency/applicants/${at(id)}/adaptation`, undefined, { signal })),
  setAdaptationItem: async (id: string, itemId: string, body: { done: boolean; university: string }) =>
    checklists(await request<unknown>('PUT', `/api/v1/agency/applicants/${at(id)}/adaptation/${at(itemId)}`, body)),
  myAdaptation: async (signal?: Signal) =>
    checklists(await request<unknown>('GET', '/api/v1/me/adaptation', undefined, { signal })),
  setMyAdaptationItem: async (itemId: string, body: { done: boolean; university: string }) =>
    checklists(await request<unknown>('PUT', `/api/v1/me/adaptation/${at(itemId)}`, body)),
  updateTask: (id: string, body: { done?: boolean; dueAt?: string; title?: string }) =>
    request<Task>('PATCH', `/api/v1/agency/tasks/${at(id)}`, body),
};
