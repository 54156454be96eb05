/**
 * The world of the authorization matrix (issue 9): two universities (A = KazNMU with a campaign, a
 * register and its staff; B = a register university of its own), two agencies, applicants with
 * dossiers, documents, applications and an admission, students with grades, and parents (one with
 * an active guardian link, one without). Built once per test file from the agency and register
 * fixtures; every principal of the matrix is signed in at the end.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import {
  adaptationItems,
  agencyGrants,
  agencyTasks,
  attendance,
  enrollmentOrders,
  examSessions,
  grades,
  guardianLinks,
  reviews,
  rotations,
  rubrics,
  universities,
  users,
} from '../../src/db/schema.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { type AgencyWorld, agencyWorld } from './agency-fixtures.js';
import { multipart, pdfBytes } from './files.js';
import { createRegisterFixture, type RegisterFixture, type SignedIn } from './register-fixtures.js';
import { type Agent, TEST_PASSWORD, type TestApp } from './test-app.js';

/** The principals of the matrix, in the order of the table's columns. */
export const COLUMNS = [
  'anon',
  'admin',
  'offA',
  'offB',
  'revA',
  'revB',
  'teaA',
  'teaB',
  'conA',
  'conB',
  'appl',
  'appl2',
  'stud',
  'stud2',
  'parL',
  'parU',
] as const;
export type Column = (typeof COLUMNS)[number];

/** What each column means, printed under the table. */
export const COLUMN_MEANING: Record<Column, string> = {
  anon: 'anonymous (no session)',
  admin: 'administrator',
  offA: 'officer of university A (the target objects are A’s)',
  offB: 'officer of university B (another university)',
  revA: 'reviewer of A, assigned to the target application',
  revB: 'reviewer of B',
  teaA: 'teacher of A: teaches the course, curates the group of the target student',
  teaB: 'teacher of B',
  conA: 'consultant (agency administrator) of agency A, which holds an act grant of the target applicant',
  conB: 'consultant (agency administrator) of agency B (another agency)',
  appl: 'the target applicant (own objects)',
  appl2: 'another applicant (granted to agency B)',
  stud: 'the target student (own register objects)',
  stud2: 'another student of the same group',
  parL: 'parent with an active guardian link to the target student',
  parU: 'parent without a link',
};

export interface AuthzWorld {
  t: TestApp;
  aw: AgencyWorld;
  regA: RegisterFixture;
  regB: RegisterFixture;
  campaign: string;
  universityA: { id: string; slug: string };
  universityB: { id: string; slug: string };
  program: string;
  competitionId: string;
  /** The target applicant's objects. */
  applicantId: string;
  applicationId: string;
  documentId: string;
  admissionId: string;
  grantId: string;
  orderId: string;
  reviewId: string;
  examSessionId: string;
  taskId: string;
  adaptationItemId: string;
  leadId: string;
  /** The second consultant of agency A (target of consultant management). */
  consultant2Id: string;
  /** The target student's objects. */
  studentId: string;
  studentNumber: string;
  rotationId: string;
  guardianLinkId: string;
  /** Who each column is (null: anonymous). */
  users: Record<Column, { userId: string; email: string } | null>;
  agents: Record<Column, Agent>;
  /** Signs the column in again (after logout or a password change). */
  signInAgain(column: Column): Promise<void>;
  /** Values no parent or consultant may ever receive (for the field-level walk). */
  secrets: {
    applicantPassport: string;
    otherApplicantPassport: string;
    visaPassport: string;
    teacherComment: string;
  };
}

const day = 86_400_000;

async function userRow(t: TestApp, role: 'parent' | 'administrator' | 'reviewer', universityId?: string) {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.org`;
  const user = await createUser(
    t.ctx,
    { email, password: TEST_PASSWORD, fullName: `Authz ${role}`, role, ...(universityId ? { universityId } : {}) },
    SYSTEM_ACTOR,
  );
  return { userId: user.id, email };
}

export async function buildAuthzWorld(t: TestApp): Promise<AuthzWorld> {
  const db = t.ctx.db;
  const aw = await agencyWorld(t); // clock: Monday 31 August 2026
  const now = t.clock.now();
  const { arun: x, eko: y, fixture } = aw;
  // Both consultants administer their agencies, so the columns differ by agency only.
  await db
    .update(users)
    .set({ agencyAdmin: true })
    .where(inArray(users.id, [aw.c1.userId, aw.cB.userId]));

  const regA = await createRegisterFixture(t, { universityId: fixture.universityId, students: 2 });
  const regB = await createRegisterFixture(t, { students: 1 });
  const [uB] = await db.select().from(universities).where(eq(universities.id, regB.universityId));

  const reviewerA = await userRow(t, 'reviewer', fixture.universityId);
  const reviewerB = await userRow(t, 'reviewer', regB.universityId);
  const admin = await userRow(t, 'administrator');
  const parentLinked = await userRow(t, 'parent');
  const parentUnlinked = await userRow(t, 'parent');
  const [s, s2] = regA.students as [RegisterFixture['students'][0], RegisterFixture['students'][0]];

  // The applicants sign in now (their own agents upload and fill the dossier below).
  const applicantAgent = await x.signIn();
  const otherAgent = await y.signIn();
  const applicantPassport = 'X-PASSPORT-7731';
  const otherApplicantPassport = 'Y-PASSPORT-5529';
  const dossier = (surname: string, passport: string) => ({
    latinName: { surname, givenNames: 'Test' },
    citizenship: 'IN',
    passport: { number: passport, issuingCountry: 'IN', issuedOn: '2022-01-10', expiresOn: '2032-01-09' },
  });
  for (const [agent, body] of [
    [applicantAgent, dossier('Paid', applicantPassport)],
    [otherAgent, dossier('Other', otherApplicantPassport)],
  ] as const) {
    const res = await agent.request({ method: 'PUT', url: '/api/v1/me/dossier', payload: body });
    if (res.statusCode !== 200) throw new Error(`dossier: ${res.body}`);
  }
  const upload = multipart('passport.pdf', pdfBytes());
  const doc = await applicantAgent.request({
    method: 'POST',
    url: '/api/v1/me/documents?kind=passport',
    payload: upload.payload,
    headers: upload.headers,
  });
  if (doc.statusCode !== 201) throw new Error(`upload: ${doc.body}`);
  const documentId = (doc.json() as { id: string }).id;

  // A rubric and a review of the target application, assigned to reviewer A.
  const rubricSet = await regA.officer.agent.request({
    method: 'PUT',
    url: `/api/v1/campaigns/${fixture.slug}/rubric`,
    payload: { preset: 'rudn-2021-bachelor-specialist' },
  });
  if (rubricSet.statusCode !== 200) throw new Error(`rubric: ${rubricSet.body}`);
  const [rubric] = await db.select().from(rubrics).where(eq(rubrics.campaignId, fixture.campaignId));
  const [review] = await db
    .insert(reviews)
    .values({
      applicationId: x.applicationId,
      reviewerId: reviewerA.userId,
      rubricId: rubric?.id as string,
      assignedAt: now,
    })
    .returning();
  const [session] = await db
    .insert(examSessions)
    .values({
      campaignId: fixture.campaignId,
      slotId: 'language',
      startsAt: new Date(now.getTime() + 10 * day),
      endsAt: new Date(now.getTime() + 10 * day + 7_200_000),
      mode: 'on_site',
      capacity: 10,
    })
    .returning();
  const [task] = await db
    .insert(agencyTasks)
    .values({
      agencyId: aw.agencyA,
      applicantId: x.userId,
      title: 'Call about the visa',
      dueAt: new Date(now.getTime() + 2 * day),
      createdBy: aw.c1.userId,
      createdAt: now,
    })
    .returning();
  await db.insert(adaptationItems).values({
    applicantId: x.userId,
    universityId: fixture.universityId,
    itemId: 'registration',
    dueAt: new Date(now.getTime() + 3 * day),
  });
  const [grantRow] = await db
    .select()
    .from(agencyGrants)
    .where(and(eq(agencyGrants.applicantId, x.userId), eq(agencyGrants.agencyId, aw.agencyA)));
  const [order] = await db.select().from(enrollmentOrders).where(eq(enrollmentOrders.campaignId, fixture.campaignId));

  // The target student: a grade with a teacher's comment, an absence, a rotation and a parent.
  const teacherComment = 'Revise the cranial nerves (teacher only)';
  await db.insert(grades).values({
    assessmentId: regA.assessments[0]?.id as string,
    studentId: s.id,
    value: 3,
    comment: teacherComment,
    updatedBy: regA.teacher.userId,
    updatedAt: now,
  });
  await db.insert(attendance).values({
    sessionId: regA.sessions[0]?.id as string,
    studentId: s.id,
    status: 'absent',
    updatedBy: regA.teacher.userId,
    updatedAt: now,
  });
  const [rotation] = await db
    .insert(rotations)
    .values({
      studentId: s.id,
      termId: regA.term.id,
      clinicalBase: 'City Hospital 1',
      supervisorId: regA.teacher.userId,
      startsOn: '2026-03-01',
      endsOn: '2026-03-28',
      createdAt: now,
    })
    .returning();
  const [link] = await db
    .insert(guardianLinks)
    .values({
      studentId: s.id,
      guardianUserId: parentLinked.userId,
      email: parentLinked.email,
      relation: 'parent',
      status: 'active',
      createdBy: s.userId,
      createdAt: now,
      confirmedAt: now,
      confirmedBy: s.userId,
    })
    .returning();

  const who: Record<Column, { userId: string; email: string } | null> = {
    anon: null,
    admin,
    offA: regA.officer,
    offB: regB.officer,
    revA: reviewerA,
    revB: reviewerB,
    teaA: regA.teacher,
    teaB: regB.teacher,
    conA: aw.c1,
    conB: aw.cB,
    appl: { userId: x.userId, email: x.email },
    appl2: { userId: y.userId, email: y.email },
    stud: s,
    stud2: s2,
    parL: parentLinked,
    parU: parentUnlinked,
  };
  const agents = {} as Record<Column, Agent>;
  const signInAgain = async (column: Column) => {
    const agent = t.agent();
    const person = who[column];
    // One client address per principal, so throttling of one never touches another.
    agent.ip = `127.0.9.${COLUMNS.indexOf(column) + 1}`;
    if (person) {
      const res = await agent.post('/api/v1/auth/login', { email: person.email, password: TEST_PASSWORD });
      if (res.statusCode !== 200) throw new Error(`login of ${column} failed: ${res.body}`);
    }
    agents[column] = agent;
  };
  for (const column of COLUMNS) await signInAgain(column);

  const signed = (s: SignedIn) => s.userId;
  return {
    t,
    aw,
    regA,
    regB,
    campaign: fixture.slug,
    universityA: { id: fixture.universityId, slug: 'kaznmu' },
    universityB: { id: regB.universityId, slug: uB?.slug as string },
    program: 'kaznmu-residency-cardiology',
    competitionId: fixture.competitionIds[0] as string,
    applicantId: x.userId,
    applicationId: x.applicationId,
    documentId,
    admissionId: aw.arunAdmission,
    grantId: grantRow?.id as string,
    orderId: order?.id as string,
    reviewId: review?.id as string,
    examSessionId: session?.id as string,
    taskId: task?.id as string,
    adaptationItemId: 'registration',
    leadId: aw.leadA,
    consultant2Id: signed(aw.c2),
    studentId: s.id,
    studentNumber: s.number,
    rotationId: rotation?.id as string,
    guardianLinkId: link?.id as string,
    users: who,
    agents,
    signInAgain,
    secrets: {
      applicantPassport,
      otherApplicantPassport,
      visaPassport: 'P1234567',
      teacherComment,
    },
  };
}
