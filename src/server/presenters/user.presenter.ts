import { z } from 'zod';
import { ROLES } from '../../domain/roles.js';
import type { UserRow } from '../services/session.service.js';

export const ZUser = z
  .object({
    id: z.uuid(),
    email: z.string(),
    fullName: z.string(),
    role: z.enum(ROLES),
    locale: z.enum(['en', 'ru']),
    emailVerified: z.boolean(),
    universityId: z.uuid().nullable(),
    agencyId: z.uuid().nullable(),
    agencyAdmin: z.boolean().describe('a consultant who administers their agency'),
    disabled: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });

export type TUser = z.infer<typeof ZUser>;

/** Never returns the password hash or any other column not listed here. */
export function presentUser(user: UserRow): TUser {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    universityId: user.universityId,
    agencyId: user.agencyId,
    agencyAdmin: user.agencyAdmin,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}
