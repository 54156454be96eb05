import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { registerSettingsSchema } from '../../domain/register/settings.js';
import type { AppContext } from '../context.js';
import { actorOf, principalOf, requireAuth } from '../plugins/auth.plugin.js';
import { ALERT_KINDS, notificationPrefs, setNotificationOptOuts } from '../register/alerts.service.js';
import { recordAttestation } from '../register/attestation.service.js';
import { buildDashboard, renderDashboardXlsx } from '../register/dashboard.service.js';
import {
  acceptGuardianRequest,
  acceptInvitation,
  confirmLink,
  endLinkAsOfficer,
  endMyGuardianLink,
  invitationPreview,
  inviteGuardian,
  listChildren,
  listLinksForOfficer,
  listMyGuardians,
  requestLink,
} from '../register/guardians.service.js';
import { getRegisterSettings, saveRegisterSettings } from '../register/register-settings.service.js';
import {
  buildStudentView,
  myStudent,
  presentStudentView,
  studentForReading,
} from '../register/student-view.service.js';
import { renderTranscriptPdf, renderTranscriptXlsx, transcriptData } from '../register/transcript.service.js';
import { problemResponses, ZEmail, ZFullName, ZLocale, ZPassword } from './schemas.js';

const tags = ['register'];
const ZId = z.guid();
const idParam = z.object({ id: ZId });
const ZText = z.object({ en: z.string(), ru: z.string() });
const ZUniversityQuery = z.object({ universityId: ZId.optional().describe('administrators: the university') });
const ZRelation = z.enum(['parent', 'sponsor']);
const ZLinkStatus = z.enum(['invited', 'requested', 'active', 'ended', 'declined']);

const ZStudentRef = z.object({
  id: z.string(),
  number: z.string(),
  nameLatin: z.string(),
  nameCyrillic: z.string().nullable(),
  status: z.string(),
});
const ZRiskReason = z.union([
  z.object({ kind: z.literal('low_attendance'), rate: z.number(), threshold: z.number() }),
  z.object({ kind: z.literal('absence_streak'), length: z.number(), threshold: z.number() }),
  z.object({
    kind: z.literal('failing_grade'),
    courseId: z.string(),
    assessmentId: z.string(),
    value: z.number(),
    passMark: z.number(),
  }),
]);
const ZAttestation = z.object({
  id: z.string(),
  kind: z.enum(['state_attestation', 'preparatory_completion']),
  heldOn: z.string(),
  result: z.enum(['passed', 'failed']),
  grade: z.number().nullable(),
  qualification: ZText.nullable(),
  protocolNumber: z.string().nullable(),
  recordedAt: z.string(),
});
const ZStudentView = z
  .object({
    student: ZStudentRef.extend({
      email: z.string().optional().describe('not shown to parents and sponsors'),
      university: z.object({ slug: z.string(), name: ZText }),
      program: z.object({ id: z.string(), slug: z.string(), name: ZText }).nullable(),
      groups: z.array(z.object({ id: z.string(), code: z.string() })),
    }),
    terms: z.array(
      z.object({
        id: z.string(),
        name: ZText,
        academicYear: z.string(),
        closed: z.boolean(),
        courses: z.array(
          z.object({
            id: z.string(),
            code: z.string(),
            name: ZText,
            scale: z.enum(['five_point', 'pass_fail', 'hundred_point']),
            passMark: z.number(),
            assessments: z.array(
              z.object({
                id: z.string(),
                title: z.string(),
                kind: z.enum(['current', 'exam', 'final']),
                weight: z.number(),
                heldOn: z.string().nullable(),
                value: z.number().nullable(),
                comment: z.string().nullable().optional().describe("the teacher's comment; not shown to parents"),
              }),
            ),
            final: z.object({
              average: z.number().nullable(),
              value: z.number().nullable(),
              source: z.enum(['final', 'computed', 'none']),
              passed: z.boolean().nullable(),
              complete: z.boolean(),
            }),
            attendance: z.object({
              present: z.number().int(),
              late: z.number().int(),
              absent: z.number().int(),
              excused: z.number().int(),
              rate: z.number().nullable(),
            }),
          }),
        ),
      }),
    ),
    attendanceLog: z.array(
      z.object({
        sessionId: z.string(),
        courseId: z.string(),
        courseCode: z.string(),
        startsAt: z.string(),
        status: z.enum(['present', 'absent', 'late', 'excused']),
        reason: z.string().nullable().describe('null for parents and sponsors'),
      }),
    ),
    progress: z.array(
      z.object({ month: z.string(), attendanceRate: z.number().nullable(), averageGrade5: z.number().nullable() }),
    ),
    rotations: z.array(
      z.object({
        id: z.string(),
        clinicalBase: z.string(),
        department: z.string().nullable(),
        supervisor: z.object({ fullName: z.string() }).nullable(),
        startsOn: z.string(),
        endsOn: z.string(),
        result: z.enum(['pass', 'fail']).nullable(),
      }),
    ),
    attestations: z.array(ZAttestation),
    risk: z.array(ZRiskReason),
  })
  .meta({ id: 'StudentView' });

const ZGuardianLink = z.object({
  id: z.string(),
  email: z.string(),
  relation: ZRelation,
  status: ZLinkStatus,
  guardian: z.object({ fullName: z.string() }).nullable(),
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
});
const ZOfficerLink = ZGuardianLink.extend({ student: ZStudentRef });

const ZDashboardQuery = z.object({
  termId: ZId.optional(),
  groupId: ZId.optional(),
  courseId: ZId.optional(),
  faculty: z.string().trim().min(1).max(200).optional(),
  universityId: ZId.optional().describe('administrators: the university'),
});
const ZDashboard = z.object({
  summary: z.object({ students: z.number().int(), attendanceRate: z.number().nullable(), atRisk: z.number().int() }),
  groups: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      faculty: ZText,
      students: z.number().int(),
      attendanceRate: z.number().nullable(),
      averageGrade5: z.number().nullable(),
      atRisk: z.number().int(),
    }),
  ),
  courses: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      name: ZText,
      group: z.object({ id: z.string(), code: z.string() }),
      attendanceRate: z.number().nullable(),
      distribution: z.array(z.object({ label: z.string(), count: z.number().int() })),
      failing: z.number().int(),
    }),
  ),
  atRisk: z.array(
    z.object({
      student: ZStudentRef,
      group: z.object({ id: z.string(), code: z.string() }),
      reasons: z.array(ZRiskReason),
    }),
  ),
});
const ZNotifications = z.object({
  kinds: z.array(z.object({ kind: z.enum(ALERT_KINDS), essential: z.boolean(), optedOut: z.boolean() })),
});

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function registerPeopleRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // ---------- A student's register ----------
    app.get(
      '/register/me',
      {
        schema: {
          tags,
          summary: 'My register (students): grades, attendance, progress, rotations, attestation, risk',
          response: { 200: ZStudentView, ...problemResponses(401, 404) },
        },
      },
      async (request) => {
        const student = await myStudent(ctx, principalOf(request));
        return presentStudentView(await buildStudentView(ctx, student), 'student');
      },
    );

    app.get(
      '/register/students/:id',
      {
        schema: {
          tags,
          summary:
            "A student's register: the student, linked parents and sponsors (read only), teachers, curators, officers",
          description:
            'Parents and sponsors get no e-mail address, teachers’ comments or absence reasons. 404 for anyone else.',
          params: idParam,
          response: { 200: ZStudentView, ...problemResponses(401, 404) },
        },
      },
      async (request) => {
        const { student, viewer } = await studentForReading(ctx, principalOf(request), request.params.id);
        return presentStudentView(await buildStudentView(ctx, student), viewer);
      },
    );

    // ---------- Parents and sponsors: the student's side ----------
    app.get(
      '/register/me/guardians',
      {
        schema: {
          tags,
          summary: 'My parents and sponsors: invitations, requests, active and ended links',
          response: { 200: z.object({ items: z.array(ZGuardianLink) }), ...problemResponses(401, 404) },
        },
      },
      async (request) => ({ items: await listMyGuardians(ctx, principalOf(request)) }),
    );

    app.post(
      '/register/me/guardians',
      {
        schema: {
          tags,
          summary: 'Invite a parent or sponsor by e-mail (a link valid 14 days; inviting again renews it)',
          body: z.strictObject({
            email: ZEmail,
            relation: ZRelation,
            locale: ZLocale.optional().describe('language of the e-mail when the address has no account yet'),
          }),
          response: { 201: ZGuardianLink, ...problemResponses(400, 401, 404, 409, 429) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await inviteGuardian(ctx, principalOf(request), request.body, actorOf(request))),
    );

    app.post(
      '/register/me/guardians/:id/accept',
      {
        schema: {
          tags,
          summary: "Accept a parent's or sponsor's request",
          params: idParam,
          response: { 200: ZGuardianLink, ...problemResponses(401, 404, 409) },
        },
      },
      async (request) => acceptGuardianRequest(ctx, principalOf(request), request.params.id, actorOf(request)),
    );

    app.post(
      '/register/me/guardians/:id/end',
      {
        schema: {
          tags,
          summary: 'End a link (or withdraw an invitation, decline a request); takes effect at once',
          params: idParam,
          response: { 200: ZGuardianLink, ...problemResponses(401, 404) },
        },
      },
      async (request) => endMyGuardianLink(ctx, principalOf(request), request.params.id, actorOf(request)),
    );

    // ---------- Parents and sponsors: their side ----------
    app.get(
      '/register/guardian-invitations/:token',
      {
        schema: {
          tags,
          summary: 'What an invitation link is about (anyone with the link)',
          description: '404 `invitation_invalid`, 410 `invitation_used` or `invitation_expired`.',
          params: z.object({ token: z.string().min(10).max(100) }),
          response: {
            200: z.object({ studentName: z.string(), relation: ZRelation, email: z.string(), status: ZLinkStatus }),
            ...problemResponses(404, 410),
          },
        },
      },
      async (request) => invitationPreview(ctx, request.params.token),
    );

    app.post(
      '/register/guardian-invitations/accept',
      {
        schema: {
          tags,
          summary: 'Accept an invitation: signed in as a parent, or register a parent account for the invited address',
          description:
            'Anonymous visitors send fullName, password and locale; the account is created with the invited e-mail, confirmed by the token. Sign in afterwards.',
          body: z.strictObject({
            token: z.string().min(10).max(100),
            fullName: ZFullName.optional(),
            password: ZPassword.optional(),
            locale: ZLocale.optional(),
          }),
          response: { 200: z.object({ studentId: z.string() }), ...problemResponses(400, 403, 404, 409, 410) },
        },
      },
      async (request) => acceptInvitation(ctx, principalOf(request), request.body, actorOf(request)),
    );

    app.post(
      '/register/guardian-requests',
      {
        schema: {
          tags,
          summary: 'Parents: ask to follow a student (the student accepts, or an officer confirms)',
          description: 'The answer is the same whether or not the student exists.',
          body: z.strictObject({
            studentNumber: z.string().trim().min(1).max(60),
            universitySlug: z.string().trim().min(1).max(120),
            dateOfBirth: z.iso.date().optional(),
            relation: ZRelation,
          }),
          response: { 202: z.object({ received: z.literal(true) }), ...problemResponses(400, 401, 403, 429) },
        },
      },
      async (request, reply) => {
        await requestLink(ctx, principalOf(request), request.body, actorOf(request));
        return reply.code(202).send({ received: true as const });
      },
    );

    app.get(
      '/register/children',
      {
        schema: {
          tags,
          summary: 'Parents and sponsors: the students I follow (active links)',
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  studentId: z.string(),
                  nameLatin: z.string(),
                  nameCyrillic: z.string().nullable(),
                  university: z.object({ name: ZText }),
                  relation: ZRelation,
                }),
              ),
            }),
            ...problemResponses(401),
          },
        },
      },
      async (request) => ({ items: await listChildren(ctx, principalOf(request)) }),
    );

    // ---------- Officers: links ----------
    app.get(
      '/register/guardian-links',
      {
        schema: {
          tags,
          summary: 'Officers: links of the university’s students, e.g. requests to confirm',
          querystring: ZUniversityQuery.extend({ status: ZLinkStatus.optional() }),
          response: { 200: z.object({ items: z.array(ZOfficerLink) }), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => ({ items: await listLinksForOfficer(ctx, principalOf(request), request.query) }),
    );

    app.post(
      '/register/guardian-links/:id/confirm',
      {
        schema: {
          tags,
          summary: 'Officers: confirm a request',
          params: idParam,
          response: { 200: ZOfficerLink, ...problemResponses(401, 404, 409) },
        },
      },
      async (request) => confirmLink(ctx, principalOf(request), request.params.id, actorOf(request)),
    );

    app.post(
      '/register/guardian-links/:id/end',
      {
        schema: {
          tags,
          summary: 'Officers: end a link (or decline a request) at once',
          params: idParam,
          response: { 200: ZOfficerLink, ...problemResponses(401, 404) },
        },
      },
      async (request) => endLinkAsOfficer(ctx, principalOf(request), request.params.id, actorOf(request)),
    );

    // ---------- Settings ----------
    app.get(
      '/register/settings',
      {
        schema: {
          tags,
          summary: 'Register settings of my university: at-risk thresholds, alerts, pass marks',
          querystring: ZUniversityQuery,
          response: { 200: registerSettingsSchema, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => getRegisterSettings(ctx, principalOf(request), request.query.universityId),
    );

    app.put(
      '/register/settings',
      {
        schema: {
          tags,
          summary: 'Replace the register settings (missing keys take their defaults)',
          description: 'Invalid fields answer 422 `invalid_entries` naming each field; nothing is saved. Audited.',
          querystring: ZUniversityQuery,
          body: z
            .record(z.string(), z.unknown())
            .describe('RegisterSettings: atRisk, alerts, passMarks, lateCountsAsPresent'),
          response: { 200: registerSettingsSchema, ...problemResponses(400, 401, 403, 404, 422) },
        },
      },
      async (request) =>
        saveRegisterSettings(ctx, principalOf(request), request.body, actorOf(request), request.query.universityId),
    );

    // ---------- Dashboards ----------
    app.get(
      '/register/dashboard',
      {
        schema: {
          tags,
          summary: 'Attendance, grade distributions and the at-risk list per university, faculty, group or course',
          description:
            'Officers (their university), administrators (with universityId), curators (their group). Without termId: terms not closed.',
          querystring: ZDashboardQuery,
          response: { 200: ZDashboard, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => buildDashboard(ctx, principalOf(request), request.query),
    );

    app.get(
      '/register/dashboard.xlsx',
      {
        schema: {
          tags,
          summary: 'The dashboard as a workbook: summary, groups, courses, at risk',
          querystring: ZDashboardQuery.extend({ lang: ZLocale.default('en') }),
        },
      },
      async (request, reply) => {
        const { lang, ...filter } = request.query;
        const dashboard = await buildDashboard(ctx, principalOf(request), filter);
        const body = await renderDashboardXlsx(dashboard, lang);
        return reply
          .header('content-type', XLSX_TYPE)
          .header('content-disposition', 'attachment; filename="register-dashboard.xlsx"')
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(body);
      },
    );

    // ---------- Notifications ----------
    app.get(
      '/me/notifications',
      {
        schema: {
          tags: ['account'],
          summary: 'Register alerts I receive in the daily digest, and which I opted out of',
          response: { 200: ZNotifications, ...problemResponses(401) },
        },
      },
      async (request) => notificationPrefs(ctx.db, requireAuth(request).user.id),
    );

    app.put(
      '/me/notifications',
      {
        schema: {
          tags: ['account'],
          summary: 'Opt out of non-essential register alerts (the full list of kinds I do not want)',
          body: z.strictObject({ optOut: z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length * 2) }),
          response: { 200: ZNotifications, ...problemResponses(400, 401) },
        },
      },
      async (request) =>
        setNotificationOptOuts(ctx, requireAuth(request).user.id, request.body.optOut, actorOf(request)),
    );

    // ---------- Attestation and transcripts ----------
    app.post(
      '/register/students/:id/attestations',
      {
        schema: {
          tags,
          summary:
            'Record a final state attestation (with the qualification awarded) or a preparatory faculty completion',
          description:
            'A passed state attestation sets the status "graduated", a passed preparatory completion "completed". 422 `invalid_entries` when a passed state attestation names no qualification. Audited.',
          params: idParam,
          body: z.strictObject({
            kind: z.enum(['state_attestation', 'preparatory_completion']),
            heldOn: z.iso.date(),
            result: z.enum(['passed', 'failed']),
            grade: z.number().min(0).max(100).nullable().optional(),
            qualification: z
              .strictObject({ en: z.string().max(300), ru: z.string().max(300) })
              .nullable()
              .optional(),
            protocolNumber: z.string().trim().max(60).nullable().optional(),
          }),
          response: { 201: ZAttestation, ...problemResponses(400, 401, 404, 422) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await recordAttestation(ctx, principalOf(request), request.params.id, request.body, actorOf(request))),
    );

    for (const format of ['pdf', 'xlsx'] as const) {
      app.get(
        `/register/students/:id/transcript.${format}`,
        {
          schema: {
            tags,
            summary: `The student's transcript as ${format.toUpperCase()} (English or Russian)`,
            params: idParam,
            querystring: z.object({ lang: ZLocale.default('en') }),
          },
        },
        async (request, reply) => {
          const { view } = await transcriptData(ctx, principalOf(request), request.params.id);
          const lang = request.query.lang;
          const now = ctx.clock.now();
          const body =
            format === 'pdf' ? await renderTranscriptPdf(view, lang, now) : await renderTranscriptXlsx(view, lang, now);
          const name = `transcript-${view.student.number.replace(/[^A-Za-z0-9._-]/g, '_')}-${lang}.${format}`;
          return reply
            .header('content-type', format === 'pdf' ? 'application/pdf' : XLSX_TYPE)
            .header('content-disposition', `attachment; filename="${name}"`)
            .header('x-content-type-options', 'nosniff')
            .header('cache-control', 'private, no-store')
            .send(body);
        },
      );
    }
  };
}
