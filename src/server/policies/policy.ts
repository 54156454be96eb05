import type { Role } from '../../domain/roles.js';
import { problems } from '../problem.js';

/** The signed-in person as policies see them. */
export interface Principal {
  id: string;
  role: Role;
  universityId: string | null;
  agencyId: string | null;
  /** A consultant who administers their agency (consultants, partner universities). */
  agencyAdmin?: boolean;
}

/**
 * Who may do what on whose data. Every route asks here; later capabilities add actions.
 * An action on an object the principal may not even know about answers 404, not 403.
 */
export type Action =
  | 'user.list'
  | 'user.create'
  | 'user.read'
  | 'user.update'
  | 'user.disable'
  | 'user.role'
  | 'audit.read'
  | 'person.export'
  | 'person.erase'
  | 'consent.manage'
  | 'catalog.university.create'
  | 'catalog.university.update'
  | 'catalog.program.write'
  | 'dossier.read'
  | 'dossier.write'
  | 'document.read'
  | 'document.upload'
  | 'document.verify'
  | 'campaign.write'
  | 'campaign.applications.read'
  | 'campaign.extension.grant'
  | 'campaign.allocate'
  | 'admission.manage'
  | 'application.write'
  | 'agency.work'
  | 'agency.manage'
  | 'lead.route'
  | 'adaptation.configure'
  | 'register.manage'
  | 'register.teach'
  | 'register.student.read'
  | 'register.dashboard';

export interface Subject {
  /** For agency.*: the agency the object belongs to (a lead, a task, a case). */
  agencyId?: string | null;
  /** The user the action is about: the account for user.*, the applicant for dossier, document and application. */
  userId?: string;
  universityId?: string | null;
  /** Universities with a campaign to which the applicant has submitted an application. */
  appliedUniversityIds?: readonly string[];
  /** register.*: teachers of the course (register.teach), or of any course of the student (register.student.read). */
  courseTeacherIds?: readonly string[];
  /** register.*: staff (curators, teachers) of the group, or of any group of the student. */
  groupStaffIds?: readonly string[];
  /** register.student.read: parents and sponsors with an active link to the student. */
  guardianUserIds?: readonly string[];
  /** register.student.read: the student's own account. */
  studentUserId?: string;
}

/** University staff who handle applications: officers decide, reviewers read. */
function staffOf(
  principal: Principal,
  universityIds: readonly string[] | undefined,
  roles: readonly string[],
): boolean {
  return (
    roles.includes(principal.role) && !!principal.universityId && (universityIds ?? []).includes(principal.universityId)
  );
}

function officerOf(principal: Principal, universityId: string | null | undefined): boolean {
  return principal.role === 'officer' && !!universityId && universityId === principal.universityId;
}

export function can(principal: Principal | null, action: Action, subject: Subject = {}): boolean {
  if (!principal) return false;
  const admin = principal.role === 'administrator';
  switch (action) {
    case 'user.list':
    case 'user.create':
    case 'user.disable':
    case 'user.role':
    case 'audit.read':
      return admin;
    case 'user.read':
    case 'user.update':
      return admin || subject.userId === principal.id;
    case 'person.export':
      // Everyone may take their own data; administrators export for a person who asks (audited).
      return admin || subject.userId === principal.id;
    case 'person.erase':
      return admin;
    case 'consent.manage':
      // Consents are personal: nobody gives or withdraws one for someone else.
      return subject.userId === principal.id;
    case 'catalog.university.create':
      return admin;
    case 'catalog.university.update':
    case 'catalog.program.write':
      // Officers edit the catalog entries of their own university only.
      return (
        admin ||
        (principal.role === 'officer' && !!subject.universityId && subject.universityId === principal.universityId)
      );
    case 'dossier.write':
    case 'document.upload':
    case 'application.write':
      // Only the applicants themselves (consultants acting with consent come with the agency issue).
      return principal.role === 'applicant' && subject.userId === principal.id;
    case 'dossier.read':
    case 'document.read':
      // The applicant, and the staff of a university the applicant has submitted an application to.
      return (
        admin ||
        subject.userId === principal.id ||
        staffOf(principal, subject.appliedUniversityIds, ['officer', 'reviewer'])
      );
    case 'document.verify':
      return admin || staffOf(principal, subject.appliedUniversityIds, ['officer']);
    case 'campaign.write':
    case 'campaign.extension.grant':
    case 'campaign.allocate':
    case 'admission.manage':
      return admin || (principal.role === 'officer' && subject.universityId === principal.universityId);
    case 'agency.work':
      // Consultants work inside their own agency only (grants per applicant are checked by agency/access.ts).
      return principal.role === 'consultant' && !!principal.agencyId && subject.agencyId === principal.agencyId;
    case 'agency.manage':
      return (
        admin ||
        (principal.role === 'consultant' &&
          !!principal.agencyId &&
          subject.agencyId === principal.agencyId &&
          !!principal.agencyAdmin)
      );
    case 'lead.route':
      return admin;
    case 'adaptation.configure':
      return admin || (principal.role === 'officer' && subject.universityId === principal.universityId);
    case 'register.manage':
      // Structure, students, settings, attestation, closing terms and overriding closed ones.
      return admin || officerOf(principal, subject.universityId);
    case 'register.teach':
      // Sheet reads and grade/attendance writes of one course: its teachers, the university's officers.
      return (
        admin ||
        officerOf(principal, subject.universityId) ||
        ((principal.role === 'teacher' || principal.role === 'officer') &&
          (subject.courseTeacherIds ?? []).includes(principal.id))
      );
    case 'register.student.read':
      return (
        admin ||
        officerOf(principal, subject.universityId) ||
        (!!subject.studentUserId && subject.studentUserId === principal.id) ||
        (principal.role === 'parent' && (subject.guardianUserIds ?? []).includes(principal.id)) ||
        ((principal.role === 'teacher' || principal.role === 'officer') &&
          ((subject.courseTeacherIds ?? []).includes(principal.id) ||
            (subject.groupStaffIds ?? []).includes(principal.id)))
      );
    case 'register.dashboard':
      return (
        admin ||
        officerOf(principal, subject.universityId) ||
        ((principal.role === 'teacher' || principal.role === 'officer') &&
          (subject.groupStaffIds ?? []).includes(principal.id))
      );
    case 'campaign.applications.read':
      return (
        admin ||
        ((principal.role === 'officer' || principal.role === 'reviewer') &&
          subject.universityId === principal.universityId)
      );
  }
}

/** The installation itself (demo data, command line): acts as an administrator, audited with no user. */
export const SYSTEM_PRINCIPAL: Principal = {
  id: '00000000-0000-0000-0000-000000000000',
  role: 'administrator',
  universityId: null,
  agencyId: null,
};

/** Throws the right problem when the principal may not act: 401 anonymous, 404 when hiding existence, else 403. */
export function authorize(
  principal: Principal | null,
  action: Action,
  subject: Subject = {},
  options: { hideExistence?: boolean } = {},
): asserts principal is Principal {
  if (!principal) throw problems.unauthenticated();
  if (can(principal, action, subject)) return;
  throw options.hideExistence ? problems.notFound() : problems.forbidden();
}
