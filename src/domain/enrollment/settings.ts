/**
 * Enrollment rules of a campaign, as data an officer edits (per university and year), each with its
 * source: how long admitted applicants have to confirm, which citizenships need a visa invitation
 * (RULES S4-14: far-abroad countries and Turkmenistan are invited only after the preliminary
 * agreement's payment is confirmed), and the migration-registration deadline after arrival.
 */
import { z } from 'zod';

const country = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as TM');

/**
 * Near-abroad countries whose citizens enter Russia without a visa. Everyone else (far abroad, and
 * Turkmenistan, which S4-14 names explicitly) needs an invitation. Verify before relying on it.
 */
export const DEFAULT_VISA_FREE = ['AM', 'AZ', 'BY', 'KG', 'KZ', 'MD', 'TJ', 'UZ'] as const;

export const ZEnrollmentSettings = z.strictObject({
  /** Calendar days an admitted applicant has to confirm (consent, contract, prepayment). */
  confirmDays: z.number().int().min(1).max(60).default(5),
  /** Citizenships that need no visa invitation; every other one does (S4-14). */
  visaFreeCountries: z
    .array(country)
    .max(250)
    .default([...DEFAULT_VISA_FREE]),
  /** Paid places need the prepayment confirmed before the seat is confirmed and before an invitation (S4-14). */
  prepaymentRequired: z.boolean().default(true),
  /** Working days the university has to register an arrived student with the migration authorities. */
  migrationRegistrationWorkingDays: z.number().int().min(1).max(90).default(7),
  /** Working days the ministry usually takes to issue an electronic invitation (about 20). */
  invitationWorkingDays: z.number().int().min(1).max(90).default(20),
  source: z
    .string()
    .trim()
    .max(500)
    .default(
      'S4-14 (invitation only after payment of the preliminary agreement); invitation ≈ 20 working days and migration registration within 7 working days of arrival: public practice, verify per year',
    ),
});
export type TEnrollmentSettings = z.infer<typeof ZEnrollmentSettings>;

export function enrollmentSettings(raw: unknown): TEnrollmentSettings {
  return ZEnrollmentSettings.parse(raw ?? {});
}

/** Whether a citizen of this country needs a visa invitation (stateless persons and unknown citizenship do). */
export function needsVisa(citizenship: string | null | undefined, settings: TEnrollmentSettings): boolean {
  if (!citizenship) return true;
  return !settings.visaFreeCountries.includes(citizenship.toUpperCase());
}

/** `days` working days (Monday–Friday) after `from`, at the same time of day. Public holidays are not modelled. */
export function addWorkingDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d;
}
