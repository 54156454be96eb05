/**
 * Client of the register's officer endpoints (structure, students, settings, guardian requests,
 * attestation, transcripts) and of the dashboard, as /tmp/register-contract.md describes them.
 */
import { ApiError, type ProgressListener, request, uploadFile } from '../../api';

export interface Text {
  en: string;
  ru: string;
}

export interface Term {
  id: string;
  academicYear: string;
  name: Text;
  startsOn: string;
  endsOn: string;
  closedAt: string | null;
}

export interface ProgramRef {
  id: string;
  slug: string;
  name: Text;
}

export interface GroupSummary {
  id: string;
  code: string;
  faculty: Text;
  academicYear: string;
  program: ProgramRef | null;
  studentCount: number;
}

export type StudentStatus = 'active' | 'graduated' | 'completed' | 'expelled' | 'on_leave';

export interface StudentRef {
  id: string;
  number: string;
  nameLatin: string;
  nameCyrillic: string | null;
  status: string;
}

export interface StudentItem extends StudentRef {
  groups: { id: string; code: string }[];
}

export type StaffRole = 'curator' | 'teacher';

export const SCALES = ['five_point', 'hundred_point', 'pass_fail'] as const;
export type Scale = (typeof SCALES)[number];

export interface CourseRef {
  id: string;
  code: string;
  name: Text;
  scale: Scale;
  term: { id: string; name: Text; closedAt: string | null };
  group: { id: string; code: string };
  teachers: { id: string; fullName: string }[];
  parentId: string | null;
}

export interface GroupDetail {
  id: string;
  code: string;
  faculty: Text;
  academicYear: string;
  program: ProgramRef | null;
  students: StudentRef[];
  staff: { userId: string; fullName: string; role: StaffRole }[];
  courses: CourseRef[];
}

/** A person of the university who can teach or curate (for the pickers). */
export interface StaffMember {
  id: string;
  fullName: string;
  email?: string;
  role: string;
}

export const ASSESSMENT_KINDS = ['current', 'exam', 'final'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

export interface Assessment {
  id: string;
  title: string;
  kind: AssessmentKind;
  weight: number;
  heldOn: string | null;
}

export const SESSION_KINDS = ['lecture', 'seminar', 'practical', 'clinical'] as const;

export interface RegisterSettings {
  atRisk: { minAttendanceRate: number; absenceStreak: number; failingGrade: boolean };
  alerts: { absenceStreak: boolean; failingGrade: boolean; lowAttendance: boolean; digestHourUtc: number };
  passMarks: { five_point: number; hundred_point: number; pass_fail: 1 };
  lateCountsAsPresent: boolean;
}

export type GuardianStatus = 'invited' | 'requested' | 'active' | 'ended' | 'declined';

export interface GuardianLink {
  id: string;
  email: string;
  relation: 'parent' | 'sponsor';
  status: GuardianStatus;
  guardian: { fullName: string } | null;
  student?: StudentRef | null;
  createdAt: string;
  confirmedAt: string | null;
  endedAt: string | null;
}

export const ATTESTATION_KINDS = ['state_attestation', 'preparatory_completion'] as const;
export type AttestationKind = (typeof ATTESTATION_KINDS)[number];

export interface Attestation {
  id: string;
  kind: AttestationKind;
  heldOn: string;
  result: 'passed' | 'failed';
  grade: number | null;
  qualification: Text | null;
  protocolNumber: string | null;
  recordedAt: string;
}

export type RiskReason =
  | { kind: 'low_attendance'; rate: number; threshold: number }
  | { kind: 'absence_streak'; length: number; threshold: number }
  | {
      kind: 'failing_grade';
      courseId: string;
      assessmentId: string;
      value: number;
      passMark: number;
      /** Present when the server names the course; otherwise it is looked up in the dashboard's courses. */
      course?: { code: string; name: Text } | null;
    };

export interface DashboardGroup {
  id: string;
  code: string;
  faculty: Text;
  students: number;
  attendanceRate: number | null;
  averageGrade5: number | null;
  atRisk: number;
}

export interface DashboardCourse {
  id: string;
  code: string;
  name: Text;
  group: { id: string; code: string };
  attendanceRate: number | null;
  distribution: { label: string; count: number }[];
  failing: number;
}

export interface Dashboard {
  summary: { students: number; attendanceRate: number | null; atRisk: number };
  groups: DashboardGroup[];
  courses: DashboardCourse[];
  atRisk: { student: StudentRef; group: { id: string; code: string } | null; reasons: RiskReason[] }[];
}

export interface DashboardFilter {
  termId?: string | undefined;
  faculty?: string | undefined;
  groupId?: string | undefined;
  courseId?: string | undefined;
}

/** A problem row of an import: "row 3 column email" with its code. */
export interface ImportProblem {
  field: string;
  code: string;
  message: string;
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);
const BASE = '/api/v1/register';

/**
 * Administrators belong to no university: they choose one on the page, and every request of this
 * client names it (`universityId`); officers act in their own and send nothing.
 */
let universityScope: string | undefined;

export function setUniversityScope(id: string | undefined): void {
  universityScope = id;
}

export function currentUniversityScope(): string | undefined {
  return universityScope;
}

const scoped = <T extends object>(body: T): T & { universityId?: string } =>
  universityScope ? { ...body, universityId: universityScope } : body;

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  if (universityScope) search.set('universityId', universityScope);
  for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** True when the server has no such route (not deployed yet), as opposed to "not yours". */
export function isMissingRoute(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404 && /no such route/i.test(error.message);
}

export const officerApi = {
  terms: (signal?: Signal) => request<{ items: Term[] }>('GET', `${BASE}/terms${query({})}`, undefined, { signal }),
  createTerm: (body: { academicYear: string; name: Text; startsOn: string; endsOn: string }) =>
    request<Term>('POST', `${BASE}/terms`, scoped(body)),
  closeTerm: (id: string, reason?: string) =>
    request<Term>('POST', `${BASE}/terms/${at(id)}/close`, reason ? { reason } : {}),
  reopenTerm: (id: string, reason: string) => request<Term>('POST', `${BASE}/terms/${at(id)}/reopen`, { reason }),

  groups: (signal?: Signal) =>
    request<{ items: GroupSummary[] }>('GET', `${BASE}/groups${query({})}`, undefined, { signal }),
  group: (id: string, signal?: Signal) =>
    request<GroupDetail>('GET', `${BASE}/groups/${at(id)}`, undefined, { signal }),
  createGroup: (body: { code: string; faculty: Text; academicYear: string; programId?: string }) =>
    request<GroupSummary>('POST', `${BASE}/groups`, scoped(body)),
  setMembers: (id: string, studentIds: string[]) =>
    request<unknown>('PUT', `${BASE}/groups/${at(id)}/members`, { studentIds }),
  setStaff: (id: string, staff: { userId: string; role: StaffRole }[]) =>
    request<unknown>('PUT', `${BASE}/groups/${at(id)}/staff`, { staff }),
  staff: (signal?: Signal) =>
    request<{ items: StaffMember[] }>('GET', `${BASE}/staff${query({})}`, undefined, { signal }),

  students: (filter: { q?: string; groupId?: string }, signal?: Signal) =>
    request<{ items: StudentItem[] }>('GET', `${BASE}/students${query(filter)}`, undefined, { signal }),
  createStudent: (body: {
    email: string;
    nameLatin: string;
    nameCyrillic?: string;
    number: string;
    groupId?: string;
    locale?: 'en' | 'ru';
  }) => request<StudentRef>('POST', `${BASE}/students`, scoped(body)),
  fromEnrollment: (body: { campaignId: string; groupId?: string }) =>
    request<{ created: number; skipped: number }>('POST', `${BASE}/students/from-enrollment`, body),
  importStudents: (file: File, onProgress: ProgressListener, locale: 'en' | 'ru') =>
    uploadFile<{ created?: number; imported?: number; updated?: number }>(
      `${BASE}/students/import${query({ locale })}`,
      file,
      onProgress,
    ),

  courses: (signal?: Signal) =>
    request<{ items: CourseRef[] }>('GET', `${BASE}/teaching${query({})}`, undefined, { signal }),
  createCourse: (body: {
    termId: string;
    groupId: string;
    code: string;
    name: Text;
    scale: Scale;
    hours?: number;
    credits?: number;
    teacherIds: string[];
  }) => request<CourseRef>('POST', `${BASE}/courses`, body),
  weeklySessions: (
    id: string,
    weekly: { from: string; to: string; weekdays: number[]; time: string; kind: string; timeZone?: string },
  ) => request<{ created: number }>('POST', `${BASE}/courses/${at(id)}/sessions`, { weekly }),
  addAssessment: (id: string, body: { title: string; kind: AssessmentKind; weight: number; heldOn?: string }) =>
    request<Assessment>('POST', `${BASE}/courses/${at(id)}/assessments`, body),

  settings: (signal?: Signal) =>
    request<RegisterSettings>('GET', `${BASE}/settings${query({})}`, undefined, { signal }),
  saveSettings: (body: RegisterSettings) => request<RegisterSettings>('PUT', `${BASE}/settings${query({})}`, body),

  guardianRequests: (signal?: Signal) =>
    request<{ items: GuardianLink[] }>('GET', `${BASE}/guardian-links${query({ status: 'requested' })}`, undefined, {
      signal,
    }),
  confirmGuardian: (id: string) => request<unknown>('POST', `${BASE}/guardian-links/${at(id)}/confirm`, {}),
  endGuardian: (id: string) => request<unknown>('POST', `${BASE}/guardian-links/${at(id)}/end`, {}),

  addAttestation: (
    studentId: string,
    body: {
      kind: AttestationKind;
      heldOn: string;
      result: 'passed' | 'failed';
      grade?: number;
      qualification?: Text;
      protocolNumber?: string;
    },
  ) => request<Attestation>('POST', `${BASE}/students/${at(studentId)}/attestations`, body),
  transcriptUrl: (studentId: string, format: 'pdf' | 'xlsx', lang?: 'en' | 'ru') =>
    `${BASE}/students/${at(studentId)}/transcript.${format}${lang ? `?lang=${lang}` : ''}`,

  dashboard: (filter: DashboardFilter, signal?: Signal) =>
    request<Dashboard>('GET', `${BASE}/dashboard${query({ ...filter })}`, undefined, { signal }),
  dashboardXlsxUrl: (filter: DashboardFilter, lang: 'en' | 'ru') =>
    `${BASE}/dashboard.xlsx${query({ ...filter, lang })}`,
};
