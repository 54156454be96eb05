/**
 * A small campaign with exam-based scores and submitted applications written straight to the
 * database (the submission path itself is tested in applications.test.ts), for allocation tests.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import {
  applicationChoices,
  applications,
  campaigns,
  competitions,
  examResults,
  programs,
  universities,
} from '../../src/db/schema.js';
import { KAZNMU_RESIDENCY_EXAMS } from '../../src/domain/exams/exam-plan.js';
import { seedDemoCatalog } from '../../src/seed/demo.js';
import { saveCampaign } from '../../src/server/campaigns/campaign.service.js';
import { SYSTEM_PRINCIPAL } from '../../src/server/policies/policy.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { Agent, TEST_PASSWORD, type TestApp } from './test-app.js';

export const PROGRAMS = [
  'kaznmu-residency-cardiology',
  'kaznmu-residency-endocrinology',
  'kaznmu-residency-ophthalmology',
] as const;

export interface CompetitionSpec {
  program: (typeof PROGRAMS)[number];
  funding: 'contract' | 'quota';
  seats: number;
  revertsTo?: { program: (typeof PROGRAMS)[number]; funding: 'contract' | 'quota' };
}

export interface Fixture {
  campaignId: string;
  slug: string;
  universityId: string;
  /** Competition ids in the order of the specs. */
  competitionIds: string[];
}

export async function allocationCampaign(t: TestApp, slug: string, specs: CompetitionSpec[]): Promise<Fixture> {
  await seedDemoCatalog(t.ctx);
  const [university] = await t.ctx.db.select().from(universities).where(eq(universities.slug, 'kaznmu'));
  if (!university) throw new Error('no kaznmu');
  const { id } = await saveCampaign(
    t.ctx,
    SYSTEM_PRINCIPAL,
    {
      slug,
      university: 'kaznmu',
      title: { en: `Allocation test ${slug}`, ru: `Тест распределения ${slug}` },
      academicYear: '2026/27',
      level: 'residency',
      windows: [],
      requirements: [],
      eligibility: { requiresHigherMedicalEducation: false, requiresInternship: false, source: 'test' },
      maxPriorities: 5,
      notes: null,
      source: 'test',
      competitions: specs.map((s) => ({
        program: s.program,
        funding: s.funding,
        studyForm: 'full_time',
        applicantGroup: 'foreign',
        seats: s.seats,
        revertsTo: s.revertsTo ? { ...s.revertsTo, studyForm: 'full_time' } : null,
      })),
    },
    SYSTEM_ACTOR,
  );
  await t.ctx.db
    .update(campaigns)
    .set({
      examPlan: KAZNMU_RESIDENCY_EXAMS as unknown as Record<string, unknown>,
      scoreConfig: {
        mode: 'exams',
        weights: { rubric: 0, exams: 1 },
        tieBreaks: [{ source: 'exam', slotId: 'specialty' }],
        source: 'test: exam total, then the specialty exam',
      },
    })
    .where(eq(campaigns.id, id));
  const rows = await t.ctx.db
    .select({ competition: competitions, program: programs })
    .from(competitions)
    .innerJoin(programs, eq(programs.id, competitions.programId))
    .where(eq(competitions.campaignId, id));
  const competitionIds = specs.map(
    (s) =>
      rows.find((r) => r.program.slug === s.program && r.competition.funding === s.funding)?.competition.id as string,
  );
  return { campaignId: id, slug, universityId: university.id, competitionIds };
}

export interface ApplicantSpec {
  name: string;
  citizenship?: string | null;
  /** Language and specialty exam scores (pass mark below both by default). */
  language: number;
  specialty: number;
  /** Indices into the fixture's competitions, first choice first. */
  choices: number[];
  failed?: boolean;
}

export interface Applicant {
  userId: string;
  email: string;
  applicationId: string;
  number: string;
  signIn(): Promise<Agent>;
}

let counter = 0;

/** Creates the accounts, submitted applications with a dossier snapshot, and passed exam results. */
export async function submittedApplicants(t: TestApp, f: Fixture, specs: ApplicantSpec[]): Promise<Applicant[]> {
  const out: Applicant[] = [];
  const now = t.clock.now();
  for (const spec of specs) {
    const email = `${spec.name.toLowerCase().replace(/[^a-z0-9]/g, '')}-${randomUUID().slice(0, 6)}@example.org`;
    const user = await createUser(
      t.ctx,
      { email, password: TEST_PASSWORD, fullName: spec.name, role: 'applicant' },
      SYSTEM_ACTOR,
    );
    counter += 1;
    const number = `MA-T-${String(counter).padStart(6, '0')}`;
    const [surname, given] = spec.name.split(' ');
    const citizenship = spec.citizenship === undefined ? 'IN' : spec.citizenship;
    const [app] = await t.ctx.db
      .insert(applications)
      .values({
        applicantId: user.id,
        campaignId: f.campaignId,
        status: 'submitted',
        number,
        submittedAt: now,
        snapshot: {
          dossier: {
            latinName: { surname: surname ?? spec.name, givenNames: given ?? '' },
            cyrillicName: { surname: 'Тестов', givenNames: 'Тест', patronymic: null },
            citizenship,
          },
        },
        snapshotSha256: 'test',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!app) throw new Error('no application');
    await t.ctx.db.insert(applicationChoices).values(
      spec.choices.map((i, k) => ({
        applicationId: app.id,
        competitionId: f.competitionIds[i] as string,
        priority: k + 1,
      })),
    );
    await t.ctx.db.insert(examResults).values(
      (['language', 'specialty'] as const).map((slotId) => ({
        applicantId: user.id,
        campaignId: f.campaignId,
        slotId,
        attempt: 1,
        status: 'final',
        score: spec[slotId],
        outcome: spec.failed && slotId === 'specialty' ? 'failed' : 'passed',
        enteredBy: user.id,
        enteredAt: now,
      })),
    );
    const seq = counter;
    out.push({
      userId: user.id,
      email,
      applicationId: app.id,
      number,
      async signIn() {
        const agent = new Agent(t.app);
        // One address per applicant, as in real life (login throttling counts per address).
        agent.ip = `10.1.${(seq >> 8) & 255}.${seq & 255}`;
        const res = await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
        if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
        return agent;
      },
    });
  }
  return out;
}
