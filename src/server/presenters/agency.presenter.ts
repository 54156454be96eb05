/**
 * What the agency workspace sends about leads, the applicants who granted access and their documents.
 * The invitation token's hash, the lead's internal ids of program and university, and the applicant's
 * own download addresses never leave the server.
 */
import { z } from 'zod';
import type { LeadOrigin, LeadRow } from '../agency/leads.service.js';
import type { DocumentRow, VersionRow } from '../dossier/documents.service.js';
import { presentDocument, type ZDocument } from './dossier.presenter.js';

const ZName = z.object({ en: z.string(), ru: z.string() });
const ZRef = z.object({ slug: z.string(), name: ZName });

export const ZLead = z.object({
  id: z.string(),
  agencyId: z.string().nullable(),
  name: z.string(),
  email: z.string(),
  phone: z.string().nullable(),
  citizenship: z.string().nullable(),
  level: z.string().nullable(),
  specialty: z.string().nullable(),
  message: z.string(),
  locale: z.string(),
  status: z.string(),
  consultantId: z.string().nullable(),
  applicantId: z.string().nullable(),
  source: z.string().nullable().describe('"program:<slug>", "university:<slug>" or "site"'),
  origin: z
    .object({ program: ZRef.nullable(), university: ZRef.nullable() })
    .describe('the catalog page the question was asked on, with names to show (null when asked elsewhere)'),
  invitedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TLead = z.infer<typeof ZLead>;

export function presentLead(l: LeadRow, origin: LeadOrigin | undefined): TLead {
  return {
    id: l.id,
    agencyId: l.agencyId,
    name: l.name,
    email: l.email,
    phone: l.phone,
    citizenship: l.citizenship,
    level: l.level,
    specialty: l.specialty,
    message: l.message,
    locale: l.locale,
    status: l.status,
    consultantId: l.consultantId,
    applicantId: l.applicantId,
    source: l.source,
    origin: origin ?? { program: null, university: null },
    invitedAt: l.invitedAt?.toISOString() ?? null,
    createdAt: l.createdAt.toISOString(),
  };
}

const ZPerson = z.object({ id: z.string(), fullName: z.string() });

export const ZAgencyApplicant = z.object({
  id: z.string(),
  fullName: z.string(),
  email: z.string(),
  scope: z.enum(['view', 'act']),
  consultant: ZPerson.nullable().describe("the agency's consultant in charge of the case, if any"),
});

export function presentAgencyApplicant(a: {
  user: { id: string; fullName: string; email: string };
  scope: string;
  consultant: { id: string; fullName: string } | null;
}): z.infer<typeof ZAgencyApplicant> {
  return {
    id: a.user.id,
    fullName: a.user.fullName,
    email: a.user.email,
    scope: a.scope === 'act' ? 'act' : 'view',
    consultant: a.consultant ? { id: a.consultant.id, fullName: a.consultant.fullName } : null,
  };
}

/**
 * An applicant's document as a consultant of an agency sees it: every download goes through the
 * agency's own address, which checks the grant and audits the read on the applicant's behalf.
 */
export function presentAgencyDocument(
  applicantId: string,
  d: DocumentRow,
  versions: VersionRow[],
): z.infer<typeof ZDocument> {
  const doc = presentDocument(d, versions);
  const base = `/api/v1/agency/applicants/${encodeURIComponent(applicantId)}/documents/${d.id}/versions`;
  return { ...doc, versions: doc.versions.map((v) => ({ ...v, downloadUrl: `${base}/${v.version}/file` })) };
}
