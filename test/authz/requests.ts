/**
 * One request per API operation for the authorization matrix: the path parameters point at the
 * target objects of the world (the target applicant's document, university A's campaign, the target
 * student…), and the body is valid, so that authorization, not validation, decides the answer.
 * Operations that change the world in a way later cells would notice get fresh objects per cell or
 * run in the last phase (see `phase`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { assessments, examSessions, guardianLinks, users } from '../../src/db/schema.js';
import { CONSENT_PURPOSES, currentConsentText } from '../../src/domain/consent/texts.js';
import { exportCatalog } from '../../src/server/catalog/catalog.service.js';
import { giveConsent } from '../../src/server/privacy/consent.service.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import type { AuthzWorld, Column } from '../helpers/authz-world.js';
import { pdfBytes } from '../helpers/files.js';
import { TEST_PASSWORD } from '../helpers/test-app.js';

export interface CellRequest {
  url: string;
  body?: unknown;
  /** multipart/form-data: text fields first, then the part "file". */
  form?: { fields?: Record<string, string>; file: { name: string; content: Buffer; type: string } };
  headers?: Record<string, string>;
}

export interface OperationSpec {
  /** read: before any write; write: after the reads; last: destructive, in the order listed here. */
  phase?: 'read' | 'write' | 'last';
  /** The principal's session ends or changes: sign in again after the cell. */
  signInAfter?: boolean;
  /** Path parameters other than the defaults of `defaultParam`. */
  params?: (w: AuthzWorld, col: Column) => Promise<Record<string, string>> | Record<string, string>;
  query?: (w: AuthzWorld, col: Column) => string;
  body?: (w: AuthzWorld, col: Column) => Promise<unknown> | unknown;
  form?: (w: AuthzWorld, col: Column) => CellRequest['form'];
  headers?: (w: AuthzWorld, col: Column) => Record<string, string>;
}

const unique = () => randomUUID().slice(0, 8);
const pdf = () => ({ name: 'file.pdf', content: pdfBytes(), type: 'application/pdf' });
const csv = (text: string) => ({ name: 'rows.csv', content: Buffer.from(text), type: 'text/csv' });
const later = (w: AuthzWorld, days: number) => new Date(w.t.clock.now().getTime() + days * 86_400_000).toISOString();

/** The value of a path parameter by its name and the path segment before it. */
export function defaultParam(w: AuthzWorld, path: string, name: string): string {
  const before = path.slice(0, path.indexOf(`{${name}}`));
  const segment = before.split('/').filter(Boolean).pop() ?? '';
  switch (name) {
    case 'key':
      if (segment === 'programs') return w.program;
      if (segment === 'universities') return w.universityA.slug;
      return w.campaign;
    case 'campaign':
      return w.campaign;
    case 'slug':
      return w.universityA.slug;
    case 'applicantId':
      return w.applicantId;
    case 'competitionId':
      return w.competitionId;
    case 'documentId':
      return w.documentId;
    case 'version':
      return '1';
    case 'token':
      return randomBytes(24).toString('hex');
    case 'stage':
      return 'consultation';
    case 'itemId':
      return w.adaptationItemId;
    case 'slotId':
      return 'language';
    case 'purpose':
      return CONSENT_PURPOSES[0];
    case 'id':
      break;
    default:
      throw new Error(`no default for {${name}} in ${path}`);
  }
  const owners: Record<string, string> = {
    users: w.users.appl?.userId as string,
    applicants: w.applicantId,
    documents: w.documentId,
    reviews: w.reviewId,
    admissions: w.admissionId,
    orders: w.orderId,
    leads: w.leadId,
    'agency-grants': w.grantId,
    consultants: w.consultant2Id,
    tasks: w.taskId,
    'exam-sessions': w.examSessionId,
    terms: w.regA.term.id,
    groups: w.regA.group.id,
    courses: w.regA.course.id,
    assessments: w.regA.assessments[1]?.id as string,
    rotations: w.rotationId,
    students: w.studentId,
    guardians: w.guardianLinkId,
    'guardian-links': w.guardianLinkId,
  };
  const value = owners[segment];
  if (!value) throw new Error(`no default for {id} after /${segment}/ in ${path}`);
  return value;
}

/** A fresh active guardian link of the target student to a new parent (for ending links per cell). */
async function freshLink(w: AuthzWorld): Promise<string> {
  const email = `parent-${unique()}@example.org`;
  const user = await createUser(
    w.t.ctx,
    { email, password: TEST_PASSWORD, fullName: 'Fresh parent', role: 'parent' },
    SYSTEM_ACTOR,
  );
  const now = w.t.clock.now();
  const [row] = await w.t.ctx.db
    .insert(guardianLinks)
    .values({
      studentId: w.studentId,
      guardianUserId: user.id,
      email,
      relation: 'parent',
      status: 'active',
      createdBy: w.users.stud?.userId as string,
      createdAt: now,
      confirmedAt: now,
    })
    .returning();
  return row?.id as string;
}

async function freshUser(w: AuthzWorld): Promise<string> {
  const user = await createUser(
    w.t.ctx,
    { email: `victim-${unique()}@example.org`, password: TEST_PASSWORD, fullName: 'Fresh user', role: 'applicant' },
    SYSTEM_ACTOR,
  );
  return user.id;
}

const catalog = async (w: AuthzWorld) => exportCatalog(w.t.ctx);

export const OPERATIONS: Record<string, OperationSpec> = {
  'GET /api/health': {},
  'POST /api/v1/auth/register': {
    body: () => ({ email: `new-${unique()}@example.org`, password: TEST_PASSWORD, fullName: 'New Person' }),
  },
  'POST /api/v1/auth/verify-email': { body: () => ({ token: randomBytes(32).toString('hex') }) },
  'POST /api/v1/auth/resend-verification': { body: () => ({ email: `nobody-${unique()}@example.org` }) },
  'POST /api/v1/auth/login': {
    // An unknown account (a wrong password would count against a real one): 401 for everyone.
    body: () => ({ email: `nobody-${unique()}@example.org`, password: 'not the password at all' }),
  },
  'POST /api/v1/auth/logout': { phase: 'write', signInAfter: true },
  'GET /api/v1/auth/session': {},
  'POST /api/v1/auth/password-reset/request': { body: () => ({ email: `nobody-${unique()}@example.org` }) },
  'POST /api/v1/auth/password-reset/confirm': {
    body: () => ({ token: randomBytes(32).toString('hex'), password: 'a brand new passphrase' }),
  },
  'GET /api/v1/me': {},
  'PATCH /api/v1/me': { body: () => ({ locale: 'en' }) },
  'POST /api/v1/me/password': {
    signInAfter: true,
    body: () => ({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }),
  },
  'GET /api/v1/users': {},
  'POST /api/v1/users': {
    body: () => ({ email: `made-${unique()}@example.org`, password: TEST_PASSWORD, fullName: 'Made', role: 'parent' }),
  },
  'GET /api/v1/users/{id}': {},
  'GET /api/v1/audit': {},
  'POST /api/v1/users/{id}/disable': {
    params: async (w) => ({ id: await freshUser(w) }),
    body: () => ({ disabled: true, reason: 'matrix test' }),
  },
  'PUT /api/v1/users/{id}/role': {
    params: async (w) => ({ id: await freshUser(w) }),
    body: () => ({ role: 'parent', reason: 'matrix test' }),
  },
  'GET /api/v1/programs': {},
  'GET /api/v1/programs/{key}': {},
  'PUT /api/v1/programs/{key}': {
    body: async (w) => (await catalog(w)).programs.find((p) => p.slug === w.program),
  },
  'GET /api/v1/compare': { query: (w) => `programs=${w.program}` },
  'GET /api/v1/universities': {},
  'GET /api/v1/universities/{key}': {},
  'PUT /api/v1/universities/{key}': {
    body: async (w) => (await catalog(w)).universities.find((u) => u.slug === w.universityA.slug),
  },
  'GET /api/v1/me/dossier': {},
  'PUT /api/v1/me/dossier': {
    body: (w, col) => ({
      latinName: { surname: col === 'appl' ? 'Paid' : 'Someone', givenNames: 'Test' },
      citizenship: 'IN',
      ...(col === 'appl'
        ? {
            passport: {
              number: w.secrets.applicantPassport,
              issuingCountry: 'IN',
              issuedOn: '2022-01-10',
              expiresOn: '2032-01-09',
            },
          }
        : {}),
    }),
  },
  'GET /api/v1/applicants/{id}/dossier': {},
  'GET /api/v1/me/documents': {},
  'POST /api/v1/me/documents': { query: () => 'kind=transcript', form: () => ({ file: pdf() }) },
  'GET /api/v1/applicants/{id}/documents': {},
  'POST /api/v1/documents/{id}/versions': { form: () => ({ file: pdf() }) },
  'PATCH /api/v1/documents/{id}': { body: () => ({ issuedOn: '2022-01-10' }) },
  'GET /api/v1/documents/{id}/versions/{version}/file': {},
  'POST /api/v1/documents/{id}/verdict': { body: () => ({ status: 'accepted' }) },
  'GET /api/v1/campaigns': {},
  'GET /api/v1/campaigns/{key}': {},
  'PUT /api/v1/campaigns/{key}': {
    // The campaign as it is (re-saved unchanged).
    body: async (w) => {
      const res = await w.agents.admin.get(`/api/v1/campaigns/${w.campaign}`);
      const c = res.json() as Record<string, unknown> & {
        competitions: {
          program: { slug: string };
          funding: string;
          studyForm: string;
          applicantGroup: string;
          seats: number;
        }[];
      };
      return {
        slug: w.campaign,
        university: w.universityA.slug,
        title: c.title,
        academicYear: c.academicYear,
        level: c.level,
        windows: [],
        requirements: [],
        eligibility: { requiresHigherMedicalEducation: false, requiresInternship: false, source: 'test' },
        maxPriorities: 5,
        notes: null,
        source: 'test',
        competitions: c.competitions.map((k) => ({
          program: k.program.slug,
          funding: k.funding,
          studyForm: k.studyForm,
          applicantGroup: k.applicantGroup,
          seats: k.seats,
          revertsTo: null,
        })),
      };
    },
  },
  'POST /api/v1/campaigns/{key}/copy': { body: () => ({ slug: `copy-${unique()}` }) },
  'GET /api/v1/campaigns/{key}/calendar.ics': {},
  'GET /api/v1/campaigns/{key}/applications': {},
  'GET /api/v1/campaigns/{key}/applications/export': { query: () => 'format=csv' },
  'GET /api/v1/campaigns/{key}/applicants/{applicantId}': {},
  'POST /api/v1/campaigns/{key}/extensions': {
    body: (w) => ({ applicantId: w.applicantId, until: later(w, 10), reason: 'matrix test' }),
  },
  'GET /api/v1/me/applications': {},
  'GET /api/v1/me/applications/{campaign}': {},
  'PUT /api/v1/me/applications/{campaign}/choices': { body: (w) => ({ competitions: [w.competitionId] }) },
  'POST /api/v1/me/applications/{campaign}/submit': { headers: () => ({ 'idempotency-key': `k-${unique()}` }) },
  'POST /api/v1/me/applications/{campaign}/withdraw': { phase: 'last', body: () => ({ reason: 'matrix test' }) },
  'GET /api/v1/me/deadlines': {},
  'GET /api/v1/me/calendar.ics': {},
  'GET /api/v1/rubric-presets': {},
  'GET /api/v1/campaigns/{key}/rubric': {},
  'PUT /api/v1/campaigns/{key}/rubric': { body: () => ({ preset: 'rudn-2021-bachelor-specialist' }) },
  'PUT /api/v1/campaigns/{key}/review-settings': { body: () => ({ readersRequired: 1 }) },
  'POST /api/v1/campaigns/{key}/reviews/assign': {},
  'GET /api/v1/campaigns/{key}/reviews/progress': {},
  'GET /api/v1/me/reviews': {},
  'GET /api/v1/reviews/{id}': {},
  'PUT /api/v1/reviews/{id}': { body: () => ({ inputs: {} }) },
  'GET /api/v1/me/applications/{key}/score': {},
  'POST /api/v1/campaigns/{key}/allocation-runs': { phase: 'last', body: () => ({ reason: 'matrix test' }) },
  'GET /api/v1/campaigns/{key}/allocation-runs': {},
  'GET /api/v1/campaigns/{key}/enrollment-settings': {},
  'PUT /api/v1/campaigns/{key}/enrollment-settings': { body: () => ({}) },
  'PATCH /api/v1/campaigns/{key}/competitions/{competitionId}': { body: () => ({ seats: 5 }) },
  'GET /api/v1/campaigns/{key}/admissions': {},
  'POST /api/v1/campaigns/{key}/admissions/close-confirmations': { phase: 'last' },
  'POST /api/v1/admissions/{id}/prepayment': { body: () => ({ reference: 'PAY-1' }) },
  'POST /api/v1/admissions/{id}/visa/steps': { body: () => ({ step: 'registered' }) },
  'POST /api/v1/campaigns/{key}/orders': {
    phase: 'last',
    body: (w) => ({ competitionId: w.competitionId, signedBy: 'Rector' }),
  },
  'GET /api/v1/campaigns/{key}/orders': {},
  'GET /api/v1/orders/{id}/document': { query: () => 'format=pdf' },
  'GET /api/v1/me/admissions': {},
  'POST /api/v1/admissions/{id}/confirm': { body: () => ({ consent: true, acceptContract: true }) },
  'POST /api/v1/admissions/{id}/decline': { phase: 'last' },
  'POST /api/v1/admissions/{id}/visa': {
    body: () => ({ passportNumber: 'P7654321', consulateCity: 'Delhi', consulateCountry: 'IN' }),
  },
  'GET /api/v1/public/campaigns/{key}/ranked-lists': {},
  'GET /api/v1/public/campaigns/{key}/ranked-lists/{competitionId}': {},
  'GET /api/v1/public/lead-form': {},
  'POST /api/v1/public/leads': {
    // A form token the server never issued: refused the same way for everyone.
    body: () => ({
      name: 'Lead',
      email: `lead-${unique()}@example.org`,
      message: 'Tell me more',
      formToken: randomBytes(16).toString('hex'),
    }),
  },
  'GET /api/v1/agency/leads': {},
  'GET /api/v1/agency/leads/{id}': {},
  'PATCH /api/v1/agency/leads/{id}': { body: () => ({ status: 'contacted' }) },
  'POST /api/v1/agency/leads/{id}/invite': {},
  'POST /api/v1/admin/leads/{id}/route': {
    body: async (w) => {
      const [row] = await w.t.ctx.db.select().from(users).where(eq(users.id, w.aw.c1.userId));
      const agencies = (await import('../../src/db/schema.js')).agencies;
      const [agency] = await w.t.ctx.db
        .select()
        .from(agencies)
        .where(eq(agencies.id, row?.agencyId as string));
      return { agency: agency?.slug };
    },
  },
  'GET /api/v1/agency-invitations/{token}': {},
  'GET /api/v1/me/agency-grants': {},
  'POST /api/v1/me/agency-grants': { body: () => ({ invitation: randomBytes(16).toString('hex'), scope: 'view' }) },
  'DELETE /api/v1/me/agency-grants/{id}': { phase: 'last' },
  'GET /api/v1/agency/applicants/{id}': {},
  'GET /api/v1/agency/applicants/{id}/dossier': {},
  'PUT /api/v1/agency/applicants/{id}/dossier': {
    body: (w) => ({
      latinName: { surname: 'Paid', givenNames: 'Arun' },
      citizenship: 'IN',
      passport: {
        number: w.secrets.applicantPassport,
        issuingCountry: 'IN',
        issuedOn: '2022-01-10',
        expiresOn: '2032-01-09',
      },
    }),
  },
  'GET /api/v1/agency/applicants/{id}/documents': {},
  'POST /api/v1/agency/applicants/{id}/documents': { query: () => 'kind=transcript', form: () => ({ file: pdf() }) },
  'GET /api/v1/agency/applicants/{id}/documents/{documentId}/versions/{version}/file': {},
  'GET /api/v1/agency/consultants': {},
  'POST /api/v1/agency/consultants': {
    body: () => ({ email: `cons-${unique()}@example.org`, fullName: 'New Consultant', password: TEST_PASSWORD }),
  },
  'PATCH /api/v1/agency/consultants/{id}': { body: () => ({ agencyAdmin: false }) },
  'GET /api/v1/agency/universities': {},
  'PUT /api/v1/agency/universities': { body: (w) => ({ universities: [w.universityA.slug] }) },
  'GET /api/v1/agency/pipeline': {},
  'GET /api/v1/agency/applicants/{id}/stages': {},
  'PUT /api/v1/agency/applicants/{id}/stages/{stage}': { body: () => ({ reached: true }) },
  'PATCH /api/v1/agency/applicants/{id}/case': { body: (w) => ({ consultantId: w.aw.c1.userId }) },
  'GET /api/v1/agency/applicants/{id}/timeline': {},
  'GET /api/v1/agency/tasks': {},
  'POST /api/v1/agency/tasks': {
    body: (w) => ({ title: 'Follow up', dueAt: later(w, 3), applicantId: w.applicantId }),
  },
  'PATCH /api/v1/agency/tasks/{id}': { body: () => ({ title: 'Call about the visa again' }) },
  'GET /api/v1/agency/applicants/{id}/notes': {},
  'POST /api/v1/agency/applicants/{id}/notes': { body: () => ({ body: 'Called, all fine' }) },
  'GET /api/v1/agency/leads/{id}/notes': {},
  'POST /api/v1/agency/leads/{id}/notes': { body: () => ({ body: 'Called, all fine' }) },
  'GET /api/v1/universities/{slug}/adaptation-templates': {},
  'PUT /api/v1/universities/{slug}/adaptation-templates': {
    body: () => ({
      templates: [
        {
          country: '*',
          items: [{ id: 'registration', title: { en: 'Migration registration', ru: 'Миграционный учёт' }, dueDays: 7 }],
        },
      ],
    }),
  },
  'GET /api/v1/universities/{slug}/adaptation': {},
  'POST /api/v1/universities/{slug}/adaptation': {
    body: (w) => ({ applicantId: w.applicantId, arrivedAt: '2026-08-21T10:00:00Z' }),
  },
  'GET /api/v1/agency/applicants/{id}/adaptation': {},
  'POST /api/v1/agency/applicants/{id}/adaptation': { body: () => ({ arrivedAt: '2026-08-21T10:00:00Z' }) },
  'PUT /api/v1/agency/applicants/{id}/adaptation/{itemId}': { body: () => ({ done: true }) },
  'GET /api/v1/me/adaptation': {},
  'PUT /api/v1/me/adaptation/{itemId}': { body: () => ({ done: true }) },
  'GET /api/v1/agency/reports/funnel': {},
  'GET /api/v1/campaigns/{key}/exam-plan': {},
  'PUT /api/v1/campaigns/{key}/exam-plan': { body: () => ({ preset: 'kaznmu-residency' }) },
  'POST /api/v1/campaigns/{key}/exam-sessions': {
    body: (w) => ({ slotId: 'language', startsAt: later(w, 12), endsAt: later(w, 12.1), mode: 'online', capacity: 5 }),
  },
  'DELETE /api/v1/exam-sessions/{id}': {
    // A fresh sitting per cell, so the first success does not turn the others into 404.
    params: async (w) => {
      const now = w.t.clock.now().getTime();
      const [row] = await w.t.ctx.db
        .insert(examSessions)
        .values({
          campaignId: w.aw.fixture.campaignId,
          slotId: 'language',
          startsAt: new Date(now + 20 * 86_400_000),
          endsAt: new Date(now + 20 * 86_400_000 + 3_600_000),
          mode: 'online',
          capacity: 3,
        })
        .returning();
      return { id: row?.id as string };
    },
  },
  'GET /api/v1/me/exams/{key}': {},
  'PUT /api/v1/me/exams/{key}/bookings/{slotId}': {
    body: (w) => ({ sessionId: w.examSessionId, optionId: 'russian' }),
  },
  'DELETE /api/v1/me/exams/{key}/bookings/{slotId}': {},
  'GET /api/v1/me/exams.ics': {},
  'GET /api/v1/campaigns/{key}/exam-results': {},
  'PUT /api/v1/campaigns/{key}/exam-results': {
    body: (w) => ({ rows: [{ applicationNumber: w.aw.arun.number, slotId: 'language', status: 'sat', score: 80 }] }),
  },
  'GET /api/v1/campaigns/{key}/exam-results/export': { query: () => 'format=csv' },
  'POST /api/v1/campaigns/{key}/exam-results/import': {
    form: (w) => ({ file: csv(`applicationNumber,slotId,status,score\n${w.aw.arun.number},language,sat,80\n`) }),
  },
  'GET /api/v1/campaigns/{key}/score-config': {},
  'PUT /api/v1/campaigns/{key}/score-config': {
    body: () => ({
      mode: 'exams',
      weights: { rubric: 0, exams: 1 },
      tieBreaks: [{ source: 'exam', slotId: 'specialty' }],
      source: 'test: exam total, then the specialty exam',
    }),
  },
  'GET /api/v1/campaigns/{key}/competitive-scores': {},
  'GET /api/v1/register/terms': {},
  'POST /api/v1/register/terms': {
    body: () => ({
      academicYear: '2026/2027',
      name: { en: `Autumn ${unique()}`, ru: 'Осень' },
      startsOn: '2026-09-01',
      endsOn: '2027-01-31',
    }),
  },
  'POST /api/v1/register/terms/{id}/close': { phase: 'last', body: () => ({ reason: 'matrix test' }) },
  'POST /api/v1/register/terms/{id}/reopen': { phase: 'last', body: () => ({ reason: 'matrix test' }) },
  'GET /api/v1/register/groups': {},
  'POST /api/v1/register/groups': {
    body: () => ({ code: `G-${unique()}`, faculty: { en: 'Medicine', ru: 'Лечебный' }, academicYear: '2026/2027' }),
  },
  'GET /api/v1/register/groups/{id}': {},
  'PUT /api/v1/register/groups/{id}/members': {
    // The same members as before: a success changes nothing.
    body: (w) => ({ studentIds: w.regA.students.map((s) => s.id) }),
  },
  'PUT /api/v1/register/groups/{id}/staff': {
    body: (w) => ({ staff: [{ userId: w.regA.teacher.userId, role: 'curator' }] }),
  },
  'GET /api/v1/register/students': {},
  'POST /api/v1/register/students': {
    body: () => ({ email: `stud-${unique()}@example.org`, nameLatin: 'New Student', number: `N-${unique()}` }),
  },
  'POST /api/v1/register/students/from-enrollment': { body: (w) => ({ campaignId: w.aw.fixture.campaignId }) },
  'POST /api/v1/register/students/import': {
    form: () => {
      const tag = unique();
      return { file: csv(`email,name_latin,number\nimp-${tag}@example.org,Imported Student,I-${tag}\n`) };
    },
  },
  'GET /api/v1/register/teaching': {},
  'POST /api/v1/register/courses': {
    body: (w) => ({
      termId: w.regA.term.id,
      groupId: w.regA.group.id,
      code: `C-${unique()}`,
      name: { en: 'Physiology', ru: 'Физиология' },
      scale: 'five_point',
      teacherIds: [w.regA.teacher.userId],
    }),
  },
  'PATCH /api/v1/register/courses/{id}': { body: () => ({ hours: 72 }) },
  'POST /api/v1/register/courses/{id}/sessions': {
    body: (w) => ({ sessions: [{ startsAt: later(w, -1), kind: 'lecture', topic: 'Extra' }] }),
  },
  'POST /api/v1/register/courses/{id}/assessments': { body: () => ({ title: 'Quiz', kind: 'current', weight: 1 }) },
  'PATCH /api/v1/register/assessments/{id}': { body: () => ({ title: 'Test 2 (renamed)' }) },
  'DELETE /api/v1/register/assessments/{id}': {
    params: async (w) => {
      const [row] = await w.t.ctx.db
        .insert(assessments)
        .values({ courseId: w.regA.course.id, title: `Spare ${unique()}`, kind: 'current', weight: 1, position: 9 })
        .returning();
      return { id: row?.id as string };
    },
  },
  'GET /api/v1/register/courses/{id}/sheet': {},
  'PUT /api/v1/register/courses/{id}/attendance': {
    body: (w) => ({
      sessionId: w.regA.sessions[1]?.id,
      marks: [{ studentId: w.studentId, status: 'present' }],
    }),
  },
  'PUT /api/v1/register/courses/{id}/grades': {
    body: (w) => ({ grades: [{ assessmentId: w.regA.assessments[1]?.id, studentId: w.studentId, value: 4 }] }),
  },
  'POST /api/v1/register/attendance/excuse-document': {
    form: (w) => ({
      fields: { sessionId: w.regA.sessions[0]?.id as string, studentId: w.studentId },
      file: pdf(),
    }),
  },
  'GET /api/v1/register/staff': {},
  'GET /api/v1/register/rotations': {},
  'POST /api/v1/register/rotations': {
    body: (w) => ({
      studentId: w.studentId,
      clinicalBase: 'City Hospital 2',
      startsOn: '2026-04-01',
      endsOn: '2026-04-28',
    }),
  },
  'PATCH /api/v1/register/rotations/{id}': { body: () => ({ result: 'pass' }) },
  'GET /api/v1/register/me': {},
  'GET /api/v1/register/students/{id}': {},
  'GET /api/v1/register/me/guardians': {},
  'POST /api/v1/register/me/guardians': {
    body: () => ({ email: `guardian-${unique()}@example.org`, relation: 'parent' }),
  },
  'POST /api/v1/register/me/guardians/{id}/accept': {},
  'POST /api/v1/register/me/guardians/{id}/end': { params: async (w) => ({ id: await freshLink(w) }) },
  'GET /api/v1/register/guardian-invitations/{token}': {},
  'POST /api/v1/register/guardian-invitations/accept': { body: () => ({ token: randomBytes(24).toString('hex') }) },
  'POST /api/v1/register/guardian-requests': {
    body: (w) => ({ studentNumber: w.studentNumber, universitySlug: w.universityA.slug, relation: 'parent' }),
  },
  'GET /api/v1/register/children': {},
  'GET /api/v1/register/guardian-links': {},
  'POST /api/v1/register/guardian-links/{id}/confirm': {},
  'POST /api/v1/register/guardian-links/{id}/end': { params: async (w) => ({ id: await freshLink(w) }) },
  'GET /api/v1/register/settings': {},
  'PUT /api/v1/register/settings': { body: () => ({}) },
  'GET /api/v1/register/dashboard': {},
  'GET /api/v1/register/dashboard.xlsx': {},
  'GET /api/v1/me/notifications': {},
  'PUT /api/v1/me/notifications': { body: () => ({ optOut: [] }) },
  'POST /api/v1/register/students/{id}/attestations': {
    body: () => ({ kind: 'state_attestation', heldOn: '2026-06-20', result: 'passed' }),
  },
  'GET /api/v1/register/students/{id}/transcript.pdf': {},
  'GET /api/v1/register/students/{id}/transcript.xlsx': {},
  'GET /api/v1/me/export': {},
  'GET /api/v1/users/{id}/export': {},
  'POST /api/v1/users/{id}/erase': { params: async (w) => ({ id: await freshUser(w) }) },
  'GET /api/v1/consents/{purpose}': {},
  'GET /api/v1/me/consents': {},
  'POST /api/v1/me/consents': {
    body: () => ({ purpose: CONSENT_PURPOSES[0], textVersion: currentConsentText(CONSENT_PURPOSES[0]).version }),
  },
  'POST /api/v1/me/consents/{id}/withdraw': {
    // The target applicant's active consent (given again after each withdrawal).
    params: async (w) => {
      const purpose = CONSENT_PURPOSES[0];
      const { consent } = await giveConsent(
        w.t.ctx,
        w.applicantId,
        { purpose, textVersion: currentConsentText(purpose).version, locale: 'en' },
        SYSTEM_ACTOR,
      );
      return { id: consent.id };
    },
  },
};

/** The request of one cell. */
export async function buildRequest(
  w: AuthzWorld,
  col: Column,
  method: string,
  path: string,
  spec: OperationSpec,
): Promise<CellRequest> {
  const given = spec.params ? await spec.params(w, col) : {};
  let url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(given[name] ?? defaultParam(w, path, name)),
  );
  // Administrators name the university of register operations (everyone else has their own).
  const adminRegister = col === 'admin' && path.startsWith('/api/v1/register/');
  const query = [spec.query?.(w, col), adminRegister ? `universityId=${w.universityA.id}` : '']
    .filter(Boolean)
    .join('&');
  if (query) url += `?${query}`;
  const request: CellRequest = { url };
  if (spec.body) request.body = await spec.body(w, col);
  if (adminRegister && method === 'POST' && /\/register\/(terms|groups|students)$/.test(path))
    request.body = { ...(request.body as object), universityId: w.universityA.id };
  if (spec.form) request.form = spec.form(w, col);
  if (spec.headers) request.headers = spec.headers(w, col);
  return request;
}

/** multipart/form-data with text fields before the file. */
export function formPayload(form: NonNullable<CellRequest['form']>) {
  const boundary = `----authz${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(form.fields ?? {}))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${form.file.name}"\r\nContent-Type: ${form.file.type}\r\n\r\n`,
    ),
    form.file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
