/** Client and types of entrance exams. Mirrors src/server/routes/exams.routes.ts and src/domain/exams/exam-plan.ts. */
import { request, uploadFile } from '../../api';
import type { Text } from '../catalog/catalog-api';

export type SlotKind = 'language' | 'specialty' | 'accreditation';
export type Outcome = 'absent' | 'failed' | 'passed';
export type ApplicantGroup = 'foreign' | 'local';

export interface ExamOption {
  id: string;
  title: Text;
}

export interface ExamSlot {
  id: string;
  title: Text;
  kind: SlotKind;
  options: { local: ExamOption[]; foreign: ExamOption[] };
  maxScore: number;
  passPercent: number;
  /** Retakes after a failed first attempt; 0 = one attempt only. */
  retakes: number;
}

export interface ExamPlan {
  slots: ExamSlot[];
  source: string;
}

export interface ExamSession {
  id: string;
  slotId: string;
  startsAt: string;
  endsAt: string;
  mode: 'on_site' | 'online';
  location: string | null;
  capacity: number;
  booked: number;
}

export interface ExamResult {
  attempt: number;
  status: 'absent' | 'sat';
  score: number | null;
  outcome: Outcome;
}

export interface MySlot {
  slotId: string;
  title: Text;
  kind: SlotKind;
  options: ExamOption[];
  maxScore: number;
  passPercent: number;
  booking: {
    sessionId: string;
    optionId: string;
    startsAt: string;
    endsAt: string;
    mode: ExamSession['mode'];
    location: string | null;
  } | null;
  results: ExamResult[];
}

export interface MyExams {
  group: ApplicantGroup;
  slots: MySlot[];
  sessions: ExamSession[];
}

export interface GridRow {
  applicantId: string;
  applicationNumber: string;
  fullName: string;
  results: Record<string, ExamResult | null>;
}

export interface ResultRowInput {
  applicationNumber: string;
  slotId: string;
  status: 'absent' | 'sat';
  score?: number;
  /** The next attempt number records a retake; omitted, the latest attempt is corrected. */
  attempt?: number;
}

export interface CompetitiveItem {
  applicationNumber: string;
  fullName: string;
  eligible: boolean;
  reason: string | null;
  tuple: number[];
  explanation: { code: string; params: Record<string, string | number> }[];
}

export const EXAM_PRESETS = ['kaznmu-residency', 'russian-accreditation'] as const;

/** The pass mark in points: passed at or above `passPercent` % of `maxScore`. */
export function passMark(slot: { maxScore: number; passPercent: number }): number {
  return Math.round(slot.maxScore * slot.passPercent) / 100;
}

/** The outcome the server gives a result (src/domain/exams/exam-plan.ts, examOutcome). */
export function outcomeOf(slot: { maxScore: number; passPercent: number }, status: 'absent' | 'sat', score: number) {
  if (status === 'absent') return 'absent';
  return score * 100 >= slot.passPercent * slot.maxScore ? 'passed' : 'failed';
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);

export const examsApi = {
  plan: (slug: string, signal?: Signal) =>
    request<{ plan: ExamPlan | null; sessions: ExamSession[] }>(
      'GET',
      `/api/v1/campaigns/${at(slug)}/exam-plan`,
      undefined,
      {
        signal,
      },
    ),
  applyPreset: (slug: string, preset: string) =>
    request<void>('PUT', `/api/v1/campaigns/${at(slug)}/exam-plan`, { preset }),
  createSession: (
    slug: string,
    body: { slotId: string; startsAt: string; endsAt: string; mode: string; location?: string; capacity: number },
  ) => request<{ id: string }>('POST', `/api/v1/campaigns/${at(slug)}/exam-sessions`, body),
  deleteSession: (id: string) => request<void>('DELETE', `/api/v1/exam-sessions/${at(id)}`),
  mine: (slug: string, signal?: Signal) =>
    request<MyExams>('GET', `/api/v1/me/exams/${at(slug)}`, undefined, { signal }),
  book: (slug: string, slotId: string, body: { sessionId: string; optionId: string }) =>
    request<void>('PUT', `/api/v1/me/exams/${at(slug)}/bookings/${at(slotId)}`, body),
  cancel: (slug: string, slotId: string) =>
    request<void>('DELETE', `/api/v1/me/exams/${at(slug)}/bookings/${at(slotId)}`),
  calendarUrl: '/api/v1/me/exams.ics',
  grid: (slug: string, signal?: Signal) =>
    request<{ slots: ExamSlot[]; rows: GridRow[] }>('GET', `/api/v1/campaigns/${at(slug)}/exam-results`, undefined, {
      signal,
    }),
  saveResults: (slug: string, rows: ResultRowInput[]) =>
    request<{ saved: number }>('PUT', `/api/v1/campaigns/${at(slug)}/exam-results`, { rows }),
  importResults: (slug: string, file: File, onProgress: (fraction: number) => void) =>
    uploadFile<{ saved: number }>(`/api/v1/campaigns/${at(slug)}/exam-results/import`, file, onProgress),
  competitive: (slug: string, signal?: Signal) =>
    request<{ items: CompetitiveItem[] }>('GET', `/api/v1/campaigns/${at(slug)}/competitive-scores`, undefined, {
      signal,
    }),
};
