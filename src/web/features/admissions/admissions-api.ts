/**
 * Client and types of allocation, ranked lists and enrollment. Mirrors the zod schemas of
 * src/server/routes/allocation.routes.ts (officers, the applicant, and the public lists).
 */
import { request } from '../../api';
import type { Text } from '../catalog/catalog-api';

export const ENTRY_STATES = ['admitted', 'confirmed', 'admitted_higher', 'waiting', 'not_admitted'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

export const VISA_STEPS = ['requested', 'invitation_issued', 'visa_issued', 'arrived', 'registered'] as const;
export type VisaStep = (typeof VISA_STEPS)[number];
export type OfficerVisaStep = Exclude<VisaStep, 'requested'>;

export const ADMISSION_STATUSES = ['offered', 'confirmed', 'enrolled', 'declined', 'expired', 'superseded'] as const;
export type AdmissionStatus = (typeof ADMISSION_STATUSES)[number];

export interface Cutoff {
  score: number[];
  lottery: number;
}

export interface RunSummary {
  id: string;
  seq: number;
  status: string;
  inputSha256: string;
  outputSha256: string;
  stats: Record<string, number>;
  violations: string[];
  offersMade: number;
  offersWithdrawn: number;
}

export interface RunRow {
  id: string;
  seq: number;
  status: string;
  reason: string;
  inputSha256: string;
  outputSha256: string;
  stats: Record<string, unknown>;
  check: Record<string, unknown>;
  confirmBy: string | null;
  createdAt: string;
}

export interface EnrollmentSettings {
  confirmDays: number;
  visaFreeCountries: string[];
  prepaymentRequired: boolean;
  migrationRegistrationWorkingDays: number;
  invitationWorkingDays: number;
  source: string;
}

export interface Visa {
  status: VisaStep;
  requestedAt: string;
  invitationIssuedAt: string | null;
  invitationNumber: string | null;
  visaIssuedAt: string | null;
  arrivedAt: string | null;
  registrationDueAt: string | null;
  registeredAt: string | null;
}

export interface Admission {
  id: string;
  status: AdmissionStatus;
  competitionId: string;
  priority: number;
  confirmBy: string;
  consentAt: string | null;
  contractAcceptedAt: string | null;
  prepaymentConfirmedAt: string | null;
  confirmedAt: string | null;
}

export interface OfficeAdmission extends Admission {
  applicationNumber: string | null;
  fullName: string;
  program: Text;
  funding: string;
  citizenship: string | null;
  needsVisa: boolean;
  visa: Visa | null;
}

export interface Order {
  id: string;
  number: string;
  competitionId: string;
  program: Text;
  funding: string;
  quotaReferral: boolean;
  students: number;
  issuedAt: string;
}

export interface MyChoice {
  priority: number;
  competitionId: string;
  program: Text;
  funding: string;
  state: EntryState | null;
  reason: string | null;
  position: number | null;
  capacity: number | null;
  admitted: number | null;
  cutoff: Cutoff | null;
  yours: Cutoff | null;
}

export interface MyAdmission extends Admission {
  program: Text;
  funding: string;
  orderNumber: string | null;
  needsVisa: boolean;
  invitation: { allowed: boolean; blocker: string | null };
  visa: Visa | null;
}

export interface MyCampaignAdmission {
  campaign: { slug: string; title: Text };
  code: string;
  lottery: number;
  run: { seq: number; publishedAt: string } | null;
  choices: MyChoice[];
  admission: MyAdmission | null;
}

export interface PublicProgram {
  slug: string;
  title: Text;
}

export interface PublicLists {
  campaign: { slug: string; title: Text; academicYear: string };
  run: {
    seq: number;
    publishedAt: string;
    confirmBy: string | null;
    inputSha256: string;
    outputSha256: string;
  } | null;
  competitions: {
    id: string;
    program: PublicProgram;
    funding: string;
    studyForm: string;
    capacity: number;
    admitted: number;
    applications: number;
    cutoff: Cutoff | null;
  }[];
}

export interface PublicEntry {
  position: number;
  code: string;
  priority: number;
  score: number[];
  lottery: number;
  state: EntryState;
}

export interface PublicList {
  campaign: { slug: string; title: Text };
  run: { seq: number; publishedAt: string };
  competition: { id: string; program: PublicProgram; funding: string; studyForm: string };
  capacity: number;
  admitted: number;
  cutoff: Cutoff | null;
  entries: PublicEntry[];
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);
const campaignPath = (slug: string) => `/api/v1/campaigns/${at(slug)}`;

export const admissionsApi = {
  // Officers
  runs: (slug: string, signal?: Signal) =>
    request<{ items: RunRow[] }>('GET', `${campaignPath(slug)}/allocation-runs`, undefined, { signal }),
  run: (slug: string, reason: string) =>
    request<RunSummary>('POST', `${campaignPath(slug)}/allocation-runs`, { reason }),
  setSeats: (slug: string, competitionId: string, body: { seats: number; revertsTo: string | null; reason: string }) =>
    request<{ id: string; seats: number; revertsTo: string | null }>(
      'PATCH',
      `${campaignPath(slug)}/competitions/${at(competitionId)}`,
      body,
    ),
  settings: (slug: string, signal?: Signal) =>
    request<EnrollmentSettings>('GET', `${campaignPath(slug)}/enrollment-settings`, undefined, { signal }),
  saveSettings: (slug: string, body: EnrollmentSettings) =>
    request<EnrollmentSettings>('PUT', `${campaignPath(slug)}/enrollment-settings`, body),
  admissions: (slug: string, status: string, signal?: Signal) => {
    const query = new URLSearchParams();
    if (status) query.set('status', status);
    return request<{ items: OfficeAdmission[] }>(
      'GET',
      `${campaignPath(slug)}/admissions?${query.toString()}`,
      undefined,
      { signal },
    );
  },
  closeConfirmations: (slug: string) =>
    request<{ expired: number; run: RunSummary | null }>(
      'POST',
      `${campaignPath(slug)}/admissions/close-confirmations`,
    ),
  confirmPrepayment: (id: string, reference: string) =>
    request<Admission>('POST', `/api/v1/admissions/${at(id)}/prepayment`, { reference }),
  visaStep: (id: string, body: { step: OfficerVisaStep; at?: string; reference?: string }) =>
    request<Visa>('POST', `/api/v1/admissions/${at(id)}/visa/steps`, body),
  issueOrder: (slug: string, competitionId: string, signedBy: string) =>
    request<{ id: string; number: string }>('POST', `${campaignPath(slug)}/orders`, { competitionId, signedBy }),
  orders: (slug: string, signal?: Signal) =>
    request<{ items: Order[] }>('GET', `${campaignPath(slug)}/orders`, undefined, { signal }),
  orderUrl: (id: string, format: 'pdf' | 'xlsx', lang: 'en' | 'ru') =>
    `/api/v1/orders/${at(id)}/document?format=${format}&lang=${lang}`,

  // The applicant
  mine: (signal?: Signal) =>
    request<{ items: MyCampaignAdmission[] }>('GET', '/api/v1/me/admissions', undefined, { signal }),
  confirm: (id: string, body: { consent: boolean; acceptContract?: boolean }) =>
    request<Admission>('POST', `/api/v1/admissions/${at(id)}/confirm`, body),
  decline: (id: string) => request<void>('POST', `/api/v1/admissions/${at(id)}/decline`),
  requestVisa: (id: string, body: { passportNumber: string; consulateCity: string; consulateCountry: string }) =>
    request<Visa>('POST', `/api/v1/admissions/${at(id)}/visa`, body),

  // Anyone
  lists: (slug: string, signal?: Signal) =>
    request<PublicLists>('GET', `/api/v1/public/campaigns/${at(slug)}/ranked-lists`, undefined, { signal }),
  list: (slug: string, competitionId: string, signal?: Signal) =>
    request<PublicList>('GET', `/api/v1/public/campaigns/${at(slug)}/ranked-lists/${at(competitionId)}`, undefined, {
      signal,
    }),
};

/** The step an officer may record next on a visa case; null when the path is complete. */
export function nextVisaStep(visa: Visa | null): OfficerVisaStep | null {
  if (!visa) return null;
  const next = VISA_STEPS[VISA_STEPS.indexOf(visa.status) + 1];
  return (next as OfficerVisaStep | undefined) ?? null;
}
