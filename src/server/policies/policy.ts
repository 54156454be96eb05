import type { Role } from '../../domain/roles.js';
import { problems } from '../problem.js';

/** The signed-in person as policies see them. */
export interface Principal {
  id: string;
  role: Role;
  universityId: string | null;
  agencyId: string | null;
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
  | 'audit.read'
  | 'catalog.university.create'
  | 'catalog.university.update'
  | 'catalog.program.write';

export interface Subject {
  /** The user the action is about, for user.* actions. */
  userId?: string;
  universityId?: string | null;
}

export function can(principal: Principal | null, action: Action, subject: Subject = {}): boolean {
  if (!principal) return false;
  const admin = principal.role === 'administrator';
  switch (action) {
    case 'user.list':
    case 'user.create':
    case 'user.disable':
    case 'audit.read':
      return admin;
    case 'user.read':
    case 'user.update':
      return admin || subject.userId === principal.id;
    case 'catalog.university.create':
      return admin;
    case 'catalog.university.update':
    case 'catalog.program.write':
      // Officers edit the catalog entries of their own university only.
      return (
        admin ||
        (principal.role === 'officer' && !!subject.universityId && subject.universityId === principal.universityId)
      );
  }
}

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
