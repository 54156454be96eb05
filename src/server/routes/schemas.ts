import { z } from 'zod';

/** Shared request/response schemas; named Z<Role> as in STYLE.md. */
export const ZEmail = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'Enter a valid e-mail address.' }));
export const ZPassword = z.string().min(1).max(1024);
export const ZLocale = z.enum(['en', 'ru']);
export const ZFullName = z.string().trim().min(1).max(200);

export const ZProblem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string(),
    errors: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

/** Response map entries for the problems a route may answer with. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ZProblem])) as Record<number, typeof ZProblem>;
}
