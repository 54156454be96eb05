import type { User } from '../../api';

/** Administrators edit every program; an admissions officer those of their own university (as the API checks). */
export function canEditProgram(user: User | null, universityId: string): boolean {
  if (!user) return false;
  return user.role === 'administrator' || (user.role === 'officer' && user.universityId === universityId);
}
