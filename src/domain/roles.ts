/** The roles of MedAdmit (see shared/product/BRIEF.md "Who uses it"). */
export const ROLES = [
  'administrator',
  'officer',
  'reviewer',
  'teacher',
  'consultant',
  'applicant',
  'student',
  'parent',
] as const;

export type Role = (typeof ROLES)[number];

/** Roles that act for one university and must name it. */
export const UNIVERSITY_ROLES: readonly Role[] = ['officer', 'reviewer', 'teacher'];
/** Roles that act for one agency and must name it. */
export const AGENCY_ROLES: readonly Role[] = ['consultant'];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
