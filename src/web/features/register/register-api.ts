/**
 * Client and types of the electronic register (issue 8) for teachers, students, parents and guardians.
 * Shapes follow the shared contract and the server's Zod schemas (src/server/routes/register*.routes.ts).
 */
import { request, uploadFile } from '../../api';
import type { Text } from '../catalog/catalog-api';

export const ATTENDANCE_STATUSES = ['present', 'absent', 'late', 'excused'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];
export type ScaleId = 'five_point' | 'pass_fail' | 'hundred_point';
export type AssessmentKind = 'current' | 'exam' | 'final';

export interface StudentRef {
  id: string;
  number: string;
  nameLatin: string;
  nameCyrillic: string | null;
  status: string;
}

export interface CourseRef {
  id: string;
  code: string;
  name: Text;
  scale: ScaleId;
  term: { id: string; name: Text; closedAt: string | null };
  group: { id: string; code: string };
  teachers: { id: string; fullName: string }[];
  parentId: string | null;
}

export interface SheetSession {
  id: string;
  startsAt: string;
  kind: string;
  topic: string | null;
}

export interface SheetAssessment {
  id: string;
  title: string;
  kind: AssessmentKind;
  weight: number;
  heldOn: string | null;
}

export interface FinalGradeView {
  average: number | null;
  value: number | null;
  source: 'final' | 'computed' | 'none';
  passed: boolean | null;
  complete: boolean;
}

export interface Sheet {
  course: CourseRef & { passMark: number; min: number; max: number };
  termClosed: boolean;
  canOverride: boolean;
  students: StudentRef[];
  sessions: SheetSession[];
  assessments: SheetAssessment[];
  attendance: {
    sessionId: string;
    studentId: string;
    status: AttendanceStatus;
    reason: string | null;
    hasDocument?: boolean;
  }[];
  grades: { assessmentId: string; studentId: string; value: number; comment: string | null }[];
  finals: ({ studentId: string } & FinalGradeView)[];
  attendanceSummary: { studentId: string; rate: number | null; absent: number; currentStreak: number }[];
}

export interface AttendanceMarkInput {
  studentId: string;
  /** null removes the mark. */
  status: AttendanceStatus | null;
  reason?: string;
}

export interface GradeInput {
  assessmentId: string;
  studentId: string;
  value: number | null;
  comment?: string;
}

export interface Override {
  reason: string;
}

export type RiskReason =
  | { kind: 'low_attendance'; rate: number; threshold: number }
  | { kind: 'absence_streak'; length: number; threshold: number }
  | { kind: 'failing_grade'; courseId: string; assessmentId: string; value: number; passMark: number };

export interface Attestation {
  id: string;
  kind: 'state_attestation' | 'preparatory_completion';
  heldOn: string;
  result: 'passed' | 'failed';
  grade: number | null;
  qualification: Text | null;
  protocolNumber: string | null;
  recordedAt: string;
}

export interface StudentCourse {
  id: string;
  code: string;
  name: Text;
  scale: ScaleId;
  passMark: number;
  assessments: {
    id: string;
    title: string;
    kind: AssessmentKind;
    weight: number;
    heldOn: string | null;
    value: number | null;
  }[];
  final: FinalGradeView;
  attendance: { present: number; late: number; absent: number; excused: number; rate: number | null };
}

export interface StudentView {
  student: {
    id: string;
    number: string;
    nameLatin: string;
    nameCyrillic: string | null;
    status: string;
    university: { slug: string; name: Text };
    program: { slug?: string; name: Text } | null;
    groups: { id: string; code: string }[];
  };
  terms: { id: string; name: Text; academicYear: string; closed: boolean; courses: StudentCourse[] }[];
  attendanceLog: {
    sessionId: string;
    courseId: string;
    courseCode: string;
    startsAt: string;
    status: AttendanceStatus;
    reason: string | null;
  }[];
  progress: { month: string; attendanceRate: number | null; averageGrade5: number | null }[];
  rotations: {
    id: string;
    clinicalBase: string;
    department: string | null;
    supervisor: { fullName: string } | null;
    startsOn: string;
    endsOn: string;
    result: 'pass' | 'fail' | null;
  }[];
  attestations: Attestation[];
  risk: RiskReason[];
}

export type GuardianRelation = 'parent' | 'sponsor';
export type LinkStatus = 'invited' | 'requested' | 'active' | 'ended' | 'declined';

export interface GuardianLink {
  id: string;
  email: string;
  relation: GuardianRelation;
  status: LinkStatus;
  guardian: { fullName: string } | null;
  createdAt: string;
  confirmedAt: string | null;
  endedAt: string | null;
}

export interface Child {
  studentId: string;
  nameLatin: string;
  nameCyrillic: string | null;
  university: { name: Text };
  relation: GuardianRelation;
}

export interface GuardianInvitation {
  studentName: string;
  relation: GuardianRelation;
  email: string;
  status: LinkStatus;
}

export interface NotificationKind {
  kind: string;
  essential: boolean;
  optedOut: boolean;
}

type Signal = AbortSignal | undefined;
const at = (value: string) => encodeURIComponent(value);
const BASE = '/api/v1/register';

export const registerApi = {
  // ---------- Teachers ----------
  teaching: (signal?: Signal) => request<{ items: CourseRef[] }>('GET', `${BASE}/teaching`, undefined, { signal }),
  sheet: (courseId: string, signal?: Signal) =>
    request<Sheet>('GET', `${BASE}/courses/${at(courseId)}/sheet`, undefined, { signal }),
  saveAttendance: (courseId: string, body: { sessionId: string; marks: AttendanceMarkInput[]; override?: Override }) =>
    request<{ saved: number }>('PUT', `${BASE}/courses/${at(courseId)}/attendance`, body),
  /** Attaches a justification (PDF, JPEG or PNG) to an excused mark that is already saved. */
  attachExcuseDocument: (sessionId: string, studentId: string, file: File, overrideReason: string | null) =>
    uploadFile<{ sessionId: string; studentId: string; sha256: string }>(
      `${BASE}/attendance/excuse-document`,
      file,
      () => undefined,
      undefined,
      { sessionId, studentId, ...(overrideReason ? { overrideReason } : {}) },
    ),
  saveGrades: (courseId: string, body: { grades: GradeInput[]; override?: Override }) =>
    request<{ saved: number }>('PUT', `${BASE}/courses/${at(courseId)}/grades`, body),

  // ---------- Students ----------
  me: (signal?: Signal) => request<StudentView>('GET', `${BASE}/me`, undefined, { signal }),
  student: (id: string, signal?: Signal) =>
    request<StudentView>('GET', `${BASE}/students/${at(id)}`, undefined, { signal }),
  guardians: (signal?: Signal) =>
    request<{ items: GuardianLink[] }>('GET', `${BASE}/me/guardians`, undefined, { signal }),
  inviteGuardian: (body: { email: string; relation: GuardianRelation; locale?: 'en' | 'ru' }) =>
    request<GuardianLink>('POST', `${BASE}/me/guardians`, body),
  acceptGuardian: (id: string) => request<unknown>('POST', `${BASE}/me/guardians/${at(id)}/accept`),
  endGuardian: (id: string) => request<unknown>('POST', `${BASE}/me/guardians/${at(id)}/end`),

  // ---------- Parents and sponsors ----------
  children: (signal?: Signal) => request<{ items: Child[] }>('GET', `${BASE}/children`, undefined, { signal }),
  requestLink: (body: {
    studentNumber: string;
    universitySlug: string;
    dateOfBirth?: string;
    relation: GuardianRelation;
  }) => request<unknown>('POST', `${BASE}/guardian-requests`, body),
  invitation: (token: string, signal?: Signal) =>
    request<GuardianInvitation>('GET', `${BASE}/guardian-invitations/${at(token)}`, undefined, { signal }),
  acceptInvitation: (body: { token: string; fullName?: string; password?: string; locale?: 'en' | 'ru' }) =>
    request<{ studentId: string }>('POST', `${BASE}/guardian-invitations/accept`, body),

  // ---------- Notifications (account page) ----------
  notifications: (signal?: Signal) =>
    request<{ kinds: NotificationKind[] }>('GET', '/api/v1/me/notifications', undefined, { signal }),
  saveNotifications: (optOut: string[]) =>
    request<{ kinds: NotificationKind[] }>('PUT', '/api/v1/me/notifications', { optOut }),
};
