/**
 * An agency's world written straight to the database: two agencies, consultants, applicants with
 * active, view-only and revoked grants, dossiers, submitted applications, admissions, visa cases and
 * an enrollment order — each dated, so stages and funnel numbers are known in advance.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import {
  admissions,
  agencies,
  agencyGrants,
  applicationEvents,
  enrollmentOrders,
  leads,
  visaCases,
} from '../../src/db/schema.js';
import { ZDossier } from '../../src/domain/dossier/dossier.schema.js';
import { onBehalf } from '../../src/server/agency/access.js';
import { saveDossier } from '../../src/server/dossier/dossier.service.js';
import {
  type Applicant,
  allocationCampaign,
  type Fixture,
  PROGRAMS,
  submittedApplicants,
} from './allocation-fixtures.js';
import type { Agent, TestApp } from './test-app.js';

export const at = (iso: string) => new Date(iso);

export interface Consultant {
  agent: Agent;
  userId: string;
  email: string;
}

export interface AgencyWorld {
  fixture: Fixture;
  agencyA: string;
  agencyB: string;
  /** Consultants of agency A, and one of agency B. */
  c1: Consultant;
  c2: Consultant;
  cB: Consultant;
  /** Act grant to A: lead, dossier (saved by c1 on behalf), paid place with prepayment, visa case up to arrival. */
  arun: Applicant;
  /** View grant to A: quota place confirmed. */
  bela: Applicant;
  /** Act grant to A: applied only. */
  chen: Applicant;
  /** Grant to A revoked. */
  dara: Applicant;
  /** Act grant to B only. */
  eko: Applicant;
  /** Act grant to A: visa-free (KZ), enrolled by an order, no visa case. */
  farid: Applicant;
  leadA: string;
  leadB: string;
  arunAdmission: string;
}

export async function insertAgency(t: TestApp, slug: string): Promise<string> {
  const [row] = await t.ctx.db
    .insert(agencies)
    .values({ slug, nameEn: `Agency ${slug}`, nameRu: `Агентство ${slug}` })
    .returning();
  if (!row) throw new Error('no agency');
  return row.id;
}

export async function grant(
  t: TestApp,
  agencyId: string,
  applicantId: string,
  scope: 'view' | 'act',
  options: { grantedAt?: Date; revokedAt?: Date } = {},
) {
  await t.ctx.db.insert(agencyGrants).values({
    agencyId,
    applicantId,
    scope,
    grantedAt: options.grantedAt ?? t.clock.now(),
    revokedAt: options.revokedAt ?? null,
  });
}

export async function admit(
  t: TestApp,
  f: Fixture,
  applicant: Applicant,
  competition: number,
  values: Partial<typeof admissions.$inferInsert> & { createdAt: Date },
): Promise<string> {
  const [row] = await t.ctx.db
    .insert(admissions)
    .values({
      campaignId: f.campaignId,
      applicantId: applicant.userId,
      applicationId: applicant.applicationId,
      competitionId: f.competitionIds[competition] as string,
      runId: randomUUID(),
      priority: 1,
      status: 'offered',
      confirmBy: new Date(values.createdAt.getTime() + 5 * 86_400_000),
      updatedAt: values.createdAt,
      ...values,
    })
    .returning();
  if (!row) throw new Error('no admission');
  return row.id;
}

export async function agencyWorld(t: TestApp): Promise<AgencyWorld> {
  const agencyA = await insertAgency(t, `aw-a-${randomUUID().slice(0, 6)}`);
  const agencyB = await insertAgency(t, `aw-b-${randomUUID().slice(0, 6)}`);
  // Signed in at the fixture's "now" (31 August 2026), so the sessions do not expire in between.
  t.clock.set(at('2026-08-31T09:00:00Z'));
  const c1 = await t.signedIn('consultant', { agencyId: agencyA });
  const c2 = await t.signedIn('consultant', { agencyId: agencyA });
  const cB = await t.signedIn('consultant', { agencyId: agencyB });

  // Applications are submitted on 1 June 2026 (the test clock's start).
  t.clock.set(at('2026-06-01T09:00:00Z'));
  const fixture = await allocationCampaign(t, `agency-work-${randomUUID().slice(0, 6)}`, [
    { program: PROGRAMS[0], funding: 'contract', seats: 5 },
    { program: PROGRAMS[1], funding: 'quota', seats: 5 },
  ]);
  const [arun, bela, chen, dara, eko, farid] = (await submittedApplicants(t, fixture, [
    { name: 'Arun Paid', citizenship: 'IN', language: 80, specialty: 80, choices: [0] },
    { name: 'Bela Quota', citizenship: 'NG', language: 80, specialty: 80, choices: [1] },
    { name: 'Chen Applied', citizenship: 'CN', language: 80, specialty: 80, choices: [0] },
    { name: 'Dara Revoked', citizenship: 'EG', language: 80, specialty: 80, choices: [0] },
    { name: 'Eko Other', citizenship: 'GH', language: 80, specialty: 80, choices: [0] },
    { name: 'Farid Enrolled', citizenship: 'KZ', language: 80, specialty: 80, choices: [0] },
  ])) as Applicant[] as [Applicant, Applicant, Applicant, Applicant, Applicant, Applicant];

  await t.ctx.db
    .insert(applicationEvents)
    .values({ applicationId: arun.applicationId, at: at('2026-06-01T09:00:00Z'), type: 'submitted' });

  const granted = at('2026-05-12T09:00:00Z');
  await grant(t, agencyA, arun.userId, 'act', { grantedAt: granted });
  await grant(t, agencyA, bela.userId, 'view', { grantedAt: granted });
  await grant(t, agencyA, chen.userId, 'act', { grantedAt: granted });
  await grant(t, agencyA, dara.userId, 'act', { grantedAt: granted, revokedAt: at('2026-05-20T09:00:00Z') });
  await grant(t, agencyB, eko.userId, 'act', { grantedAt: granted });
  await grant(t, agencyA, farid.userId, 'act', { grantedAt: granted });

  const lead = (agencyId: string, applicantId: string | null, name: string, createdAt: Date) =>
    t.ctx.db
      .insert(leads)
      .values({
        agencyId,
        applicantId,
        name,
        email: `${name.toLowerCase().replace(/\W/g, '')}@example.org`,
        message: 'Residency in cardiology?',
        status: applicantId ? 'converted' : 'new',
        createdAt,
        updatedAt: createdAt,
      })
      .returning();
  const [leadA] = await lead(agencyA, arun.userId, 'Arun Paid', at('2026-05-10T09:00:00Z'));
  const [leadB] = await lead(agencyB, null, 'Someone Else', at('2026-05-10T09:00:00Z'));

  // Arun's dossier is saved by consultant c1 on his behalf.
  t.clock.set(at('2026-05-20T09:00:00Z'));
  await saveDossier(
    t.ctx,
    arun.userId,
    ZDossier.parse({ latinName: { surname: 'Paid', givenNames: 'Arun' }, citizenship: 'IN' }),
    onBehalf({ userId: c1.userId }, arun.userId),
  );

  const arunAdmission = await admit(t, fixture, arun, 0, {
    createdAt: at('2026-07-01T09:00:00Z'),
    status: 'confirmed',
    consentAt: at('2026-07-02T09:00:00Z'),
    contractAcceptedAt: at('2026-07-02T09:00:00Z'),
    prepaymentConfirmedAt: at('2026-07-03T09:00:00Z'),
    confirmedAt: at('2026-07-03T09:00:00Z'),
  });
  await t.ctx.db.insert(visaCases).values({
    admissionId: arunAdmission,
    applicantId: arun.userId,
    campaignId: fixture.campaignId,
    status: 'arrived',
    requestedAt: at('2026-07-05T09:00:00Z'),
    request: { passportNumber: 'P1234567', consulateCity: 'Delhi', consulateCountry: 'IN' },
    invitationIssuedAt: at('2026-07-25T09:00:00Z'),
    invitationNumber: 'INV-1',
    visaIssuedAt: at('2026-08-05T09:00:00Z'),
    // A Friday: 7 working days later is Tuesday 1 September.
    arrivedAt: at('2026-08-21T10:00:00Z'),
    registrationDueAt: at('2026-09-01T10:00:00Z'),
    updatedAt: at('2026-08-21T10:00:00Z'),
  });

  await admit(t, fixture, bela, 1, {
    createdAt: at('2026-06-20T09:00:00Z'),
    status: 'confirmed',
    consentAt: at('2026-07-02T09:00:00Z'),
    confirmedAt: at('2026-07-02T09:00:00Z'),
  });

  const faridAdmission = await admit(t, fixture, farid, 0, {
    createdAt: at('2026-07-10T09:00:00Z'),
    status: 'enrolled',
    consentAt: at('2026-07-11T09:00:00Z'),
    contractAcceptedAt: at('2026-07-11T09:00:00Z'),
    prepaymentConfirmedAt: at('2026-07-12T09:00:00Z'),
    confirmedAt: at('2026-07-12T09:00:00Z'),
  });
  const [order] = await t.ctx.db
    .insert(enrollmentOrders)
    .values({
      campaignId: fixture.campaignId,
      competitionId: fixture.competitionIds[0] as string,
      number: `ORD-${randomUUID().slice(0, 6)}`,
      quotaReferral: false,
      students: [],
      signedBy: 'Rector',
      issuedBy: c1.userId,
      issuedAt: at('2026-08-25T09:00:00Z'),
    })
    .returning();
  await t.ctx.db
    .update(admissions)
    .set({ orderId: order?.id ?? null })
    .where(eq(admissions.id, faridAdmission));

  // From here on it is Monday 31 August 2026.
  t.clock.set(at('2026-08-31T09:00:00Z'));
  return {
    fixture,
    agencyA,
    agencyB,
    c1,
    c2,
    cB,
    arun,
    bela,
    chen,
    dara,
    eko,
    farid,
    leadA: leadA?.id ?? '',
    leadB: leadB?.id ?? '',
    arunAdmission,
  };
}
