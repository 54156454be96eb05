import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SCALES } from '../../domain/register/scales.js';
import type { AppContext } from '../context.js';
import { receiveFile } from '../files/upload.js';
import { actorOf, principalOf } from '../plugins/auth.plugin.js';
import { authorize } from '../policies/policy.js';
import { ProblemError, problems } from '../problem.js';
import {
  addSessions,
  createAssessment,
  createCourse,
  deleteAssessment,
  listTeaching,
  updateAssessment,
  updateCourse,
} from '../register/courses.service.js';
import { universityScope } from '../register/register-access.js';
import { createRotation, listRotations, setRotationResult } from '../register/rotations.service.js';
import { attachExcuseDocument, getSheet, saveAttendance, saveGrades } from '../register/sheet.service.js';
import {
  createGroup,
  createTerm,
  getGroup,
  listGroups,
  listStaff,
  listTerms,
  setGroupMembers,
  setGroupStaff,
  setTermClosed,
} from '../register/structure.service.js';
import { readStudentFile } from '../register/student-import.js';
import { createStudent, importStudents, listStudents, studentsFromEnrollment } from '../register/students.service.js';
import { problemResponses, ZEmail, ZLocale } from './schemas.js';

const tags = ['register'];
const ZId = z.guid();
const idParam = z.object({ id: ZId });
const ZText = z.object({ en: z.string().trim().min(1).max(300), ru: z.string().trim().min(1).max(300) });
/** A name in both languages as a request carries it: nothing else. */
const ZTextIn = z.strictObject({ en: z.string().trim().min(1).max(300), ru: z.string().trim().min(1).max(300) });
const ZDate = z.iso.date();
const ZInstant = z.iso.datetime({ offset: true });
const ZReason = z.string().trim().min(3).max(1000);
const ZOverride = z
  .strictObject({ reason: ZReason })
  .optional()
  .describe('officers: edit a closed term, with a reason');
const ZUniversityQuery = z.object({
  universityId: ZId.optional().describe('administrators: the university'),
});
const ZScale = z.enum(SCALES);

const ZTerm = z.object({
  id: z.string(),
  academicYear: z.string(),
  name: ZText,
  startsOn: z.string(),
  endsOn: z.string(),
  closedAt: z.string().nullable(),
});
const ZStudentRef = z.object({
  id: z.string(),
  number: z.string(),
  nameLatin: z.string(),
  nameCyrillic: z.string().nullable(),
  status: z.string(),
});
const ZProgramRef = z.object({ id: z.string(), slug: z.string(), name: ZText }).nullable();
const ZCourseRef = z.object({
  id: z.string(),
  code: z.string(),
  name: ZText,
  scale: ZScale,
  hours: z.number().nullable(),
  credits: z.number().nullable(),
  term: z.object({ id: z.string(), name: ZText, closedAt: z.string().nullable() }),
  group: z.object({ id: z.string(), code: z.string() }),
  teachers: z.array(z.object({ id: z.string(), fullName: z.string() })),
  parentId: z.string().nullable(),
});
const ZGroup = z.object({
  id: z.string(),
  code: z.string(),
  faculty: ZText,
  academicYear: z.string(),
  program: ZProgramRef,
  students: z.array(ZStudentRef),
  staff: z.array(z.object({ userId: z.string(), fullName: z.string(), role: z.enum(['curator', 'teacher']) })),
  courses: z.array(ZCourseRef),
});
const ZAssessmentKind = z.enum(['current', 'exam', 'final']);
const ZAssessment = z.object({
  id: z.string(),
  title: z.string(),
  kind: ZAssessmentKind,
  weight: z.number(),
  heldOn: z.string().nullable(),
});
const ZAttendanceStatus = z.enum(['present', 'absent', 'late', 'excused']);
const ZSheet = z.object({
  course: ZCourseRef.extend({ passMark: z.number(), min: z.number(), max: z.number() }),
  termClosed: z.boolean(),
  canOverride: z.boolean(),
  students: z.array(ZStudentRef),
  sessions: z.array(z.object({ id: z.string(), startsAt: z.string(), kind: z.string(), topic: z.string().nullable() })),
  assessments: z.array(ZAssessment),
  attendance: z.array(
    z.object({
      sessionId: z.string(),
      studentId: z.string(),
      status: ZAttendanceStatus,
      reason: z.string().nullable(),
      hasDocument: z.boolean(),
    }),
  ),
  grades: z.array(
    z.object({ assessmentId: z.string(), studentId: z.string(), value: z.number(), comment: z.string().nullable() }),
  ),
  finals: z.array(
    z.object({
      studentId: z.string(),
      average: z.number().nullable(),
      value: z.number().nullable(),
      source: z.enum(['final', 'computed', 'none']),
      passed: z.boolean().nullable(),
      complete: z.boolean(),
    }),
  ),
  attendanceSummary: z.array(
    z.object({
      studentId: z.string(),
      rate: z.number().nullable(),
      absent: z.number().int(),
      currentStreak: z.number().int(),
    }),
  ),
});
const ZRotation = z.object({
  id: z.string(),
  student: z.object({ id: z.string(), number: z.string(), nameLatin: z.string() }),
  termId: z.string().nullable(),
  clinicalBase: z.string(),
  department: z.string().nullable(),
  supervisor: z.object({ id: z.string(), fullName: z.string() }).nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  result: z.enum(['pass', 'fail']).nullable(),
});
const ZSaved = z.object({ saved: z.number().int() });

export function registerRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // ---------- Terms ----------
    app.get(
      '/register/terms',
      {
        schema: {
          tags,
          summary: 'Terms of my university (administrators: ?universityId=), oldest first',
          querystring: ZUniversityQuery,
          response: { 200: z.object({ items: z.array(ZTerm) }), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => listTerms(ctx, principalOf(request), request.query.universityId),
    );

    app.post(
      '/register/terms',
      {
        schema: {
          tags,
          summary: 'Create a term (officers; audited)',
          body: z.strictObject({
            academicYear: z
              .string()
              .trim()
              .regex(/^\d{4}\/\d{4}$/),
            name: ZTextIn,
            startsOn: ZDate,
            endsOn: ZDate,
            universityId: ZId.optional().describe('administrators only'),
          }),
          response: { 201: ZTerm, ...problemResponses(400, 401, 403, 422) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createTerm(ctx, principalOf(request), request.body, actorOf(request))),
    );

    app.post(
      '/register/terms/:id/close',
      {
        schema: {
          tags,
          summary: 'Close a term: grades and attendance then change only with an officer override (audited)',
          params: idParam,
          body: z.strictObject({ reason: ZReason.optional() }).optional(),
          response: { 200: ZTerm, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) =>
        setTermClosed(
          ctx,
          principalOf(request),
          request.params.id,
          true,
          request.body?.reason ?? null,
          actorOf(request),
        ),
    );

    app.post(
      '/register/terms/:id/reopen',
      {
        schema: {
          tags,
          summary: 'Reopen a closed term, with a reason (audited)',
          params: idParam,
          body: z.strictObject({ reason: ZReason }),
          response: { 200: ZTerm, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) =>
        setTermClosed(ctx, principalOf(request), request.params.id, false, request.body.reason, actorOf(request)),
    );

    // ---------- Groups ----------
    app.get(
      '/register/staff',
      {
        schema: {
          tags,
          summary: 'Teachers and officers of my university, to assign to courses and groups (register managers)',
          querystring: ZUniversityQuery,
          response: {
            200: z.object({
              items: z.array(z.object({ id: z.string(), fullName: z.string(), email: z.string(), role: z.string() })),
            }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => listStaff(ctx, principalOf(request), request.query.universityId),
    );

    app.get(
      '/register/groups',
      {
        schema: {
          tags,
          summary: 'Groups of my university (teachers: the groups they curate or teach)',
          querystring: ZUniversityQuery,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  code: z.string(),
                  faculty: ZText,
                  academicYear: z.string(),
                  program: ZProgramRef,
                  studentCount: z.number().int(),
                }),
              ),
            }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => listGroups(ctx, principalOf(request), request.query.universityId),
    );

    app.post(
      '/register/groups',
      {
        schema: {
          tags,
          summary: 'Create a study group (officers; audited)',
          body: z.strictObject({
            code: z.string().trim().min(1).max(40),
            faculty: ZTextIn,
            academicYear: z
              .string()
              .trim()
              .regex(/^\d{4}\/\d{4}$/),
            programId: ZId.optional(),
            universityId: ZId.optional().describe('administrators only'),
          }),
          response: { 201: ZGroup, ...problemResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createGroup(ctx, principalOf(request), request.body, actorOf(request))),
    );

    app.get(
      '/register/groups/:id',
      {
        schema: {
          tags,
          summary: 'A group: students, staff and courses (officers, its curators and teachers)',
          params: idParam,
          response: { 200: ZGroup, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) => getGroup(ctx, principalOf(request), request.params.id),
    );

    app.put(
      '/register/groups/:id/members',
      {
        schema: {
          tags,
          summary: 'Set the members of a group; students left out leave it (their marks stay) (audited)',
          params: idParam,
          body: z.strictObject({ studentIds: z.array(ZId).max(1000) }),
          response: { 200: ZGroup, ...problemResponses(400, 401, 404, 422) },
        },
      },
      async (request) =>
        setGroupMembers(ctx, principalOf(request), request.params.id, request.body.studentIds, actorOf(request)),
    );

    app.put(
      '/register/groups/:id/staff',
      {
        schema: {
          tags,
          summary: 'Set the curators and teachers of a group (audited)',
          params: idParam,
          body: z.strictObject({
            staff: z.array(z.strictObject({ userId: ZId, role: z.enum(['curator', 'teacher']) })).max(100),
          }),
          response: { 200: ZGroup, ...problemResponses(400, 401, 404, 422) },
        },
      },
      async (request) =>
        setGroupStaff(ctx, principalOf(request), request.params.id, request.body.staff, actorOf(request)),
    );

    // ---------- Students ----------
    app.get(
      '/register/students',
      {
        schema: {
          tags,
          summary: 'Students of my university (officers): search by name or number, filter by group; at most 500',
          querystring: ZUniversityQuery.extend({
            q: z.string().max(200).optional(),
            groupId: ZId.optional(),
          }),
          response: {
            200: z.object({
              items: z.array(ZStudentRef.extend({ groups: z.array(z.object({ id: z.string(), code: z.string() })) })),
            }),
            ...problemResponses(400, 401, 403, 404),
          },
        },
      },
      async (request) => listStudents(ctx, principalOf(request), request.query),
    );

    app.post(
      '/register/students',
      {
        schema: {
          tags,
          summary:
            'Create a student: a new account with role student (e-mailed a link to choose a password), or an existing student account attached (audited)',
          body: z.strictObject({
            email: ZEmail,
            nameLatin: z.string().trim().min(1).max(200),
            nameCyrillic: z.string().trim().max(200).nullable().optional(),
            number: z.string().trim().min(1).max(40),
            programId: ZId.optional(),
            groupId: ZId.optional(),
            locale: ZLocale.optional(),
            universityId: ZId.optional().describe('administrators only'),
          }),
          response: { 201: ZStudentRef, ...problemResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createStudent(ctx, principalOf(request), request.body, actorOf(request))),
    );

    app.post(
      '/register/students/from-enrollment',
      {
        schema: {
          tags,
          summary:
            "Every enrolled admission of the campaign becomes a student (the applicant's account turns into a student's); idempotent",
          body: z.strictObject({ campaignId: ZId, groupId: ZId.optional() }),
          response: {
            200: z.object({ created: z.number().int(), skipped: z.number().int() }),
            ...problemResponses(400, 401, 404, 422),
          },
        },
      },
      async (request) => studentsFromEnrollment(ctx, principalOf(request), request.body, actorOf(request)),
    );

    app.post(
      '/register/students/import',
      {
        schema: {
          tags,
          summary:
            'Import students from CSV or XLSX (email, name_latin, name_cyrillic, number, group_code); all or nothing, 422 naming row and column',
          querystring: ZUniversityQuery.extend({ locale: ZLocale.optional().describe('language of the e-mails') }),
          consumes: ['multipart/form-data'],
          response: { 200: z.object({ created: z.number().int() }), ...problemResponses(400, 401, 403, 413, 415, 422) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        // Who may import is decided before the file is read: nobody else's upload is parsed.
        authorize(principal, 'register.manage', {
          universityId: universityScope(principal, request.query.universityId),
        });
        const part = request.isMultipart() ? await request.file() : undefined;
        if (!part)
          throw problems.validation([{ field: 'file', code: 'required', message: 'Attach a CSV or XLSX file.' }]);
        const name = path.basename(part.filename || 'students.csv');
        if (!/\.(csv|xlsx)$/i.test(name))
          throw new ProblemError(415, 'unsupported_file_type', 'Unsupported file type', {
            detail: 'Upload a .csv or .xlsx file.',
          });
        const rows = await readStudentFile(await part.toBuffer(), name);
        return importStudents(ctx, principal, rows, request.query, actorOf(request));
      },
    );

    // ---------- Courses ----------
    app.get(
      '/register/teaching',
      {
        schema: {
          tags,
          summary: 'Courses I teach (officers: every course of the university)',
          querystring: ZUniversityQuery.extend({ termId: ZId.optional() }),
          response: { 200: z.object({ items: z.array(ZCourseRef) }), ...problemResponses(400, 401, 403) },
        },
      },
      async (request) => listTeaching(ctx, principalOf(request), request.query),
    );

    app.post(
      '/register/courses',
      {
        schema: {
          tags,
          summary: 'Create a course (or a module of one: parentId) for a group in a term, with its teachers (officers)',
          body: z.strictObject({
            termId: ZId,
            groupId: ZId,
            code: z.string().trim().min(1).max(40),
            name: ZTextIn,
            scale: ZScale,
            hours: z.number().int().min(0).max(10_000).optional(),
            credits: z.number().min(0).max(999).optional(),
            parentId: ZId.optional(),
            teacherIds: z.array(ZId).max(20),
          }),
          response: { 201: ZCourseRef, ...problemResponses(400, 401, 403, 409, 422) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createCourse(ctx, principalOf(request), request.body, actorOf(request))),
    );

    app.patch(
      '/register/courses/:id',
      {
        schema: {
          tags,
          summary: 'Change a course: code, name, scale (only before grades), hours, credits, teachers (officers)',
          params: idParam,
          body: z.strictObject({
            code: z.string().trim().min(1).max(40).optional(),
            name: ZTextIn.optional(),
            scale: ZScale.optional(),
            hours: z.number().int().min(0).max(10_000).nullable().optional(),
            credits: z.number().min(0).max(999).nullable().optional(),
            teacherIds: z.array(ZId).max(20).optional(),
          }),
          response: { 200: ZCourseRef, ...problemResponses(400, 401, 404, 409, 422) },
        },
      },
      async (request) => updateCourse(ctx, principalOf(request), request.params.id, request.body, actorOf(request)),
    );

    app.post(
      '/register/courses/:id/sessions',
      {
        schema: {
          tags,
          summary: 'Add class sessions: a list, or weekly on ISO weekdays (1 = Monday) at a local time',
          params: idParam,
          body: z.union([
            z.strictObject({
              sessions: z
                .array(
                  z.strictObject({
                    startsAt: ZInstant,
                    kind: z.string().trim().min(1).max(40).optional(),
                    topic: z.string().trim().max(300).optional(),
                  }),
                )
                .min(1)
                .max(400),
            }),
            z.strictObject({
              weekly: z.strictObject({
                from: ZDate,
                to: ZDate,
                weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
                time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
                kind: z.string().trim().min(1).max(40).optional(),
                timeZone: z.string().max(60).optional().describe('IANA time zone of `time`; UTC by default'),
              }),
            }),
          ]),
          response: { 201: z.object({ created: z.number().int() }), ...problemResponses(400, 401, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await addSessions(ctx, principalOf(request), request.params.id, request.body, actorOf(request))),
    );

    const ZAssessmentBody = z.strictObject({
      title: z.string().trim().min(1).max(200),
      kind: ZAssessmentKind,
      weight: z.number().min(0).max(1000),
      heldOn: ZDate.nullable().optional(),
      override: ZOverride,
    });

    app.post(
      '/register/courses/:id/assessments',
      {
        schema: {
          tags,
          summary: "Add a graded assessment with its weight in the final grade (the course's teachers)",
          params: idParam,
          body: ZAssessmentBody,
          response: { 201: ZAssessment, ...problemResponses(400, 401, 404, 409) },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await createAssessment(ctx, principalOf(request), request.params.id, request.body, actorOf(request))),
    );

    app.patch(
      '/register/assessments/:id',
      {
        schema: {
          tags,
          summary: 'Change an assessment (title, kind, weight, date)',
          params: idParam,
          body: ZAssessmentBody.partial(),
          response: { 200: ZAssessment, ...problemResponses(400, 401, 404, 409) },
        },
      },
      async (request) => updateAssessment(ctx, principalOf(request), request.params.id, request.body, actorOf(request)),
    );

    app.delete(
      '/register/assessments/:id',
      {
        schema: {
          tags,
          summary: 'Delete an assessment without grades',
          params: idParam,
          response: { 204: z.null(), ...problemResponses(400, 401, 404, 409) },
        },
      },
      async (request, reply) => {
        await deleteAssessment(ctx, principalOf(request), request.params.id, actorOf(request));
        return reply.code(204).send(null);
      },
    );

    // ---------- The sheet ----------
    app.get(
      '/register/courses/:id/sheet',
      {
        schema: {
          tags,
          summary: "A course's sheet: students × sessions (attendance) and assessments (grades), finals, summaries",
          params: idParam,
          response: { 200: ZSheet, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) => getSheet(ctx, principalOf(request), request.params.id),
    );

    app.put(
      '/register/courses/:id/attendance',
      {
        schema: {
          tags,
          summary:
            'Set attendance of one session, all or nothing; status null removes a mark; only changes are written and audited',
          params: idParam,
          body: z.strictObject({
            sessionId: ZId,
            marks: z
              .array(
                z.strictObject({
                  studentId: z.string().max(60),
                  status: z.string().max(20).nullable(),
                  reason: z.string().max(1000).nullable().optional(),
                }),
              )
              .min(1)
              .max(500),
            override: ZOverride,
          }),
          response: { 200: ZSaved, ...problemResponses(400, 401, 404, 409, 422) },
        },
      },
      async (request) => saveAttendance(ctx, principalOf(request), request.params.id, request.body, actorOf(request)),
    );

    app.put(
      '/register/courses/:id/grades',
      {
        schema: {
          tags,
          summary: 'Set grades, all or nothing; value null removes a grade; only changes are written and audited',
          params: idParam,
          body: z.strictObject({
            grades: z
              .array(
                z.strictObject({
                  assessmentId: z.string().max(60),
                  studentId: z.string().max(60),
                  value: z.number().nullable(),
                  comment: z.string().max(1000).nullable().optional(),
                }),
              )
              .min(1)
              .max(5000),
            override: ZOverride,
          }),
          response: { 200: ZSaved, ...problemResponses(400, 401, 404, 409, 422) },
        },
      },
      async (request) => saveGrades(ctx, principalOf(request), request.params.id, request.body, actorOf(request)),
    );

    app.post(
      '/register/attendance/excuse-document',
      {
        config: { admission: 'upload' },
        schema: {
          tags,
          summary:
            'Attach a justification (PDF, JPEG or PNG) to an excused mark: multipart fields sessionId, studentId [, overrideReason] before the part "file"',
          consumes: ['multipart/form-data'],
          response: {
            201: z.object({ sessionId: z.string(), studentId: z.string(), sha256: z.string() }),
            ...problemResponses(400, 401, 404, 409, 413, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (!principal) throw problems.unauthenticated();
        const part = request.isMultipart() ? await request.file() : undefined;
        if (!part) throw problems.validation([{ field: 'file', code: 'required', message: 'Attach a file.' }]);
        const field = (name: string) => {
          const f = part.fields[name] as { value?: unknown } | undefined;
          return typeof f?.value === 'string' ? f.value : '';
        };
        const sessionId = field('sessionId');
        const studentId = field('studentId');
        if (!sessionId || !studentId)
          throw problems.validation([
            { field: 'sessionId', code: 'required', message: 'Send sessionId and studentId before the file.' },
          ]);
        const file = await receiveFile(part.file, ctx.blobs.tempDir, ctx.config.uploadMaxBytes);
        const overrideReason = field('overrideReason');
        const result = await attachExcuseDocument(
          ctx,
          principal,
          {
            sessionId,
            studentId,
            tempFile: file.tempFile,
            sha256: file.sha256,
            ...(overrideReason ? { override: overrideReason } : {}),
          },
          actorOf(request),
        );
        return reply.code(201).send(result);
      },
    );

    // ---------- Rotations ----------
    app.get(
      '/register/rotations',
      {
        schema: {
          tags,
          summary: 'Clinical rotations: ?supervisor=me for mine; officers: the university’s (optionally one student)',
          querystring: ZUniversityQuery.extend({ supervisor: z.literal('me').optional(), studentId: ZId.optional() }),
          response: { 200: z.object({ items: z.array(ZRotation) }), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request) => listRotations(ctx, principalOf(request), request.query),
    );

    app.post(
      '/register/rotations',
      {
        schema: {
          tags,
          summary: "A resident's clinical rotation: clinical base, department, supervisor, dates (officers; audited)",
          body: z.strictObject({
            studentId: ZId,
            termId: ZId.optional(),
            clinicalBase: z.string().trim().min(1).max(300),
            department: z.string().trim().max(300).optional(),
            supervisorId: ZId.optional(),
            startsOn: ZDate,
            endsOn: ZDate,
          }),
          response: { 201: ZRotation, ...problemResponses(400, 401, 403, 422) },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createRotation(ctx, principalOf(request), request.body, actorOf(request))),
    );

    app.patch(
      '/register/rotations/:id',
      {
        schema: {
          tags,
          summary: 'Record the result of a rotation (its supervisor or an officer; audited)',
          params: idParam,
          body: z.strictObject({ result: z.enum(['pass', 'fail']).nullable() }),
          response: { 200: ZRotation, ...problemResponses(400, 401, 404) },
        },
      },
      async (request) =>
        setRotationResult(ctx, principalOf(request), request.params.id, request.body.result, actorOf(request)),
    );
  };
}
