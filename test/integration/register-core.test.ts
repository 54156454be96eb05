import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admissions,
  applications,
  attendance,
  auditLog,
  campaigns,
  competitions,
  grades,
  groupMembers,
  programs,
  registerAlerts,
  students,
  users,
} from '../../src/db/schema.js';
import { seedDemo } from '../../src/seed/demo.js';
import { multipart } from '../helpers/files.js';
import { createRegisterFixture, put, type RegisterFixture } from '../helpers/register-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let f: RegisterFixture;

beforeAll(async () => {
  t = await createTestApp();
  f = await createRegisterFixture(t, { students: 5, sessions: 6 });
});

afterAll(async () => {
  await t?.close();
});

const attendanceUrl = (courseId: string) => `/api/v1/register/courses/${courseId}/attendance`;
const gradesUrl = (courseId: string) => `/api/v1/register/courses/${courseId}/grades`;

async function marksOf(sessionId: string) {
  return t.ctx.db.select().from(attendance).where(eq(attendance.sessionId, sessionId));
}

describe('register: who edits what', () => {
  it('lets the teacher mark attendance of their own course, and hides other courses (404)', async () => {
    const session = f.sessions[0]?.id as string;
    const marks = f.students.map((s) => ({ studentId: s.id, status: 'present' }));
    const res = await put(f.teacher.agent, attendanceUrl(f.course.id), { sessionId: session, marks });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ saved: 5 });

    const sheet = await f.teacher.agent.get(`/api/v1/register/courses/${f.course.id}/sheet`);
    expect(sheet.statusCode, sheet.body).toBe(200);
    const body = sheet.json();
    expect(body.students).toHaveLength(5);
    expect(body.sessions).toHaveLength(6);
    expect(body.attendance.filter((a: { status: string }) => a.status === 'present')).toHaveLength(5);
    expect(body.course).toMatchObject({ passMark: 3, min: 2, max: 5, scale: 'five_point' });
    expect(body.canOverride).toBe(false);

    // The other teacher of the same university teaches another course only.
    const foreign = await put(f.otherTeacher.agent, attendanceUrl(f.course.id), { sessionId: session, marks });
    expect(foreign.statusCode).toBe(404);
    expect((await f.otherTeacher.agent.get(`/api/v1/register/courses/${f.course.id}/sheet`)).statusCode).toBe(404);
    const teaching = await f.otherTeacher.agent.get('/api/v1/register/teaching');
    expect(teaching.json().items.map((c: { id: string }) => c.id)).toEqual([f.otherCourse.id]);

    // A student cannot write either.
    const student = await t.signedIn('student');
    expect((await put(student.agent, attendanceUrl(f.course.id), { sessionId: session, marks })).statusCode).toBe(404);
  });

  it('writes and audits only what changed, with before and after', async () => {
    const session = f.sessions[1]?.id as string;
    const [a, b] = f.students;
    const first = await put(f.teacher.agent, attendanceUrl(f.course.id), {
      sessionId: session,
      marks: [
        { studentId: a?.id, status: 'present' },
        { studentId: b?.id, status: 'absent' },
      ],
    });
    expect(first.json()).toEqual({ saved: 2 });
    const again = await put(f.teacher.agent, attendanceUrl(f.course.id), {
      sessionId: session,
      marks: [
        { studentId: a?.id, status: 'present' },
        { studentId: b?.id, status: 'excused', reason: 'Medical certificate' },
      ],
    });
    expect(again.json()).toEqual({ saved: 1 });
    const entries = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'register.attendance.set'), eq(auditLog.subjectId, b?.id as string)));
    const forSession = entries.filter((e) => (e.after as { sessionId?: string } | null)?.sessionId === session);
    expect(forSession).toHaveLength(2);
    const last = forSession.sort((x, y) => x.id - y.id)[1];
    expect(last?.before).toMatchObject({ courseId: f.course.id, sessionId: session, status: 'absent', reason: null });
    expect(last?.after).toMatchObject({ status: 'excused', reason: 'Medical certificate' });
    expect(last?.actorUserId).toBe(f.teacher.userId);

    // Removing a mark (status null) is a change too.
    const removed = await put(f.teacher.agent, attendanceUrl(f.course.id), {
      sessionId: session,
      marks: [{ studentId: a?.id, status: null }],
    });
    expect(removed.json()).toEqual({ saved: 1 });
    expect((await marksOf(session)).map((m) => m.studentId)).toEqual([b?.id]);
  });

  it('records grades and computes finals on the sheet', async () => {
    const [s0, s1] = f.students;
    const [t1, t2, exam] = f.assessments;
    const res = await put(f.teacher.agent, gradesUrl(f.course.id), {
      grades: [
        { assessmentId: t1?.id, studentId: s0?.id, value: 5 },
        { assessmentId: t2?.id, studentId: s0?.id, value: 4 },
        { assessmentId: exam?.id, studentId: s0?.id, value: 4, comment: 'Good' },
        { assessmentId: t1?.id, studentId: s1?.id, value: 2 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ saved: 4 });
    const sheet = (await f.teacher.agent.get(`/api/v1/register/courses/${f.course.id}/sheet`)).json();
    const final = sheet.finals.find((x: { studentId: string }) => x.studentId === s0?.id);
    // (5 + 4 + 2 × 4) / 4 = 4.25 → 4
    expect(final).toMatchObject({ average: 4.25, value: 4, source: 'computed', passed: true, complete: true });
    // A failing grade raised an alert in the same transaction.
    const alerts = await t.ctx.db
      .select()
      .from(registerAlerts)
      .where(eq(registerAlerts.studentId, s1?.id as string));
    expect(alerts.map((a) => a.kind)).toContain('failing_grade');
    // null removes a grade.
    const removed = await put(f.teacher.agent, gradesUrl(f.course.id), {
      grades: [{ assessmentId: t1?.id, studentId: s1?.id, value: null }],
    });
    expect(removed.json()).toEqual({ saved: 1 });
  });
});

describe('register: staff to assign', () => {
  it("lists the university's teachers and officers to its officers only", async () => {
    const res = await f.officer.agent.get('/api/v1/register/staff');
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { id: string; role: string }[] }).items;
    expect(items.map((i) => i.id)).toEqual(expect.arrayContaining([f.teacher.userId, f.otherTeacher.userId]));
    expect(items.every((i) => i.role === 'teacher' || i.role === 'officer')).toBe(true);
    expect((await f.teacher.agent.get('/api/v1/register/staff')).statusCode).toBe(403);
    const stranger = await t.signedIn('applicant');
    expect((await stranger.agent.get('/api/v1/register/staff')).statusCode).toBe(403);
  });

  it('refuses extra fields inside names', async () => {
    const res = await f.officer.agent.post('/api/v1/register/terms', {
      academicYear: '2026/2027',
      name: { en: 'Autumn', ru: 'Осень', universityId: 'x' },
      startsOn: '2026-09-01',
      endsOn: '2026-12-31',
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('register: bad input saves nothing', () => {
  it('refuses a grade outside the scale, naming the entry, and keeps the valid ones unsaved', async () => {
    const [s0, , s2] = f.students;
    const [t1] = f.assessments;
    const res = await put(f.teacher.agent, gradesUrl(f.course.id), {
      grades: [
        { assessmentId: t1?.id, studentId: s2?.id, value: 4 },
        { assessmentId: t1?.id, studentId: s0?.id, value: 7 },
        { assessmentId: t1?.id, studentId: s2?.id, value: 3.5 },
        { assessmentId: randomUUID(), studentId: s2?.id, value: 3 },
      ],
    });
    expect(res.statusCode).toBe(422);
    const errors = res.json().errors as { field: string; code: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'grades[1].value', code: 'out_of_range' }),
        expect.objectContaining({ field: 'grades[2].value', code: 'not_a_whole_number' }),
        expect.objectContaining({ field: 'grades[3].assessmentId', code: 'unknown_assessment' }),
      ]),
    );
    const saved = await t.ctx.db
      .select()
      .from(grades)
      .where(and(eq(grades.studentId, s2?.id as string), eq(grades.assessmentId, t1?.id as string)));
    expect(saved).toEqual([]);
  });

  it('refuses attendance for a student not in the group and excused without a reason', async () => {
    const session = f.sessions[2]?.id as string;
    const outsider = await createRegisterFixture(t, { students: 1, universityId: f.universityId });
    const res = await put(f.teacher.agent, attendanceUrl(f.course.id), {
      sessionId: session,
      marks: [
        { studentId: f.students[0]?.id, status: 'present' },
        { studentId: outsider.students[0]?.id, status: 'present' },
        { studentId: f.students[1]?.id, status: 'excused' },
        { studentId: f.students[2]?.id, status: 'sick' },
      ],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('invalid_entries');
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'marks[1].studentId', code: 'not_in_group' }),
        expect.objectContaining({ field: 'marks[2].reason', code: 'required_for_excused' }),
        expect.objectContaining({ field: 'marks[3].status', code: 'invalid_status' }),
      ]),
    );
    expect(await marksOf(session)).toEqual([]);
  });
});

describe('register: closed terms', () => {
  it('refuses edits after closing (409), lets an officer override with a reason (audited), reopens with a reason', async () => {
    const g = await createRegisterFixture(t, { students: 2, universityId: f.universityId });
    const session = g.sessions[0]?.id as string;
    const marks = g.students.map((s) => ({ studentId: s.id, status: 'present' }));
    const close = await g.officer.agent.post(`/api/v1/register/terms/${g.term.id}/close`, {});
    expect(close.statusCode, close.body).toBe(200);
    expect(close.json().closedAt).not.toBeNull();

    const refused = await put(g.teacher.agent, attendanceUrl(g.course.id), { sessionId: session, marks });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('term_closed');
    const teacherOverride = await put(g.teacher.agent, attendanceUrl(g.course.id), {
      sessionId: session,
      marks,
      override: { reason: 'I forgot' },
    });
    expect(teacherOverride.statusCode).toBe(409);
    expect(await marksOf(session)).toEqual([]);

    const sheet = (await g.officer.agent.get(`/api/v1/register/courses/${g.course.id}/sheet`)).json();
    expect(sheet).toMatchObject({ termClosed: true, canOverride: true });
    const overridden = await put(g.officer.agent, attendanceUrl(g.course.id), {
      sessionId: session,
      marks,
      override: { reason: 'Correction after the appeal, protocol 12' },
    });
    expect(overridden.statusCode, overridden.body).toBe(200);
    const audit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, 'register.attendance.set'),
          inArray(
            auditLog.subjectId,
            g.students.map((s) => s.id),
          ),
        ),
      );
    expect(audit).toHaveLength(2);
    expect(audit.every((a) => a.reason === 'Correction after the appeal, protocol 12')).toBe(true);
    expect(audit[0]?.actorUserId).toBe(g.officer.userId);

    expect((await g.officer.agent.post(`/api/v1/register/terms/${g.term.id}/reopen`, {})).statusCode).toBe(400);
    // Another university's officer does not see the term.
    const stranger = await createRegisterFixture(t, { students: 0 });
    expect(
      (await stranger.officer.agent.post(`/api/v1/register/terms/${g.term.id}/reopen`, { reason: 'Appeal granted' }))
        .statusCode,
    ).toBe(404);
    const reopened = await g.officer.agent.post(`/api/v1/register/terms/${g.term.id}/reopen`, {
      reason: 'Appeal granted',
    });
    expect(reopened.json().closedAt).toBeNull();
    const ok = await put(g.teacher.agent, attendanceUrl(g.course.id), {
      sessionId: session,
      marks: g.students.map((s) => ({ studentId: s.id, status: 'late' })),
    });
    expect(ok.statusCode).toBe(200);
  });
});

describe('register: structure and students', () => {
  it('builds a term, a group, a course with weekly sessions and assessments through the API', async () => {
    const officer = f.officer.agent;
    const term = await officer.post('/api/v1/register/terms', {
      academicYear: '2026/2027',
      name: { en: 'Autumn', ru: 'Осень' },
      startsOn: '2026-09-01',
      endsOn: '2026-12-31',
    });
    expect(term.statusCode, term.body).toBe(201);
    const group = await officer.post('/api/v1/register/groups', {
      code: `API-${randomUUID().slice(0, 6)}`,
      faculty: { en: 'Dentistry', ru: 'Стоматологический факультет' },
      academicYear: '2026/2027',
    });
    expect(group.statusCode, group.body).toBe(201);
    const members = await put(officer, `/api/v1/register/groups/${group.json().id}/members`, {
      studentIds: f.students.slice(0, 2).map((s) => s.id),
    });
    expect(members.json().students).toHaveLength(2);
    const course = await officer.post('/api/v1/register/courses', {
      termId: term.json().id,
      groupId: group.json().id,
      code: 'PHYS-1',
      name: { en: 'Physiology', ru: 'Физиология' },
      scale: 'hundred_point',
      teacherIds: [f.teacher.userId],
    });
    expect(course.statusCode, course.body).toBe(201);
    expect(course.json().teachers).toEqual([{ id: f.teacher.userId, fullName: 'Test teacher' }]);
    const badTeacher = await officer.post('/api/v1/register/courses', {
      termId: term.json().id,
      groupId: group.json().id,
      code: 'PHYS-2',
      name: { en: 'Physiology', ru: 'Физиология' },
      scale: 'five_point',
      teacherIds: [f.students[0]?.userId],
    });
    expect(badTeacher.statusCode).toBe(422);
    expect(badTeacher.json().errors[0]).toMatchObject({ field: 'teacherIds[0]', code: 'unknown_teacher' });

    const sessions = await f.teacher.agent.post(`/api/v1/register/courses/${course.json().id}/sessions`, {
      weekly: {
        from: '2026-09-01',
        to: '2026-09-30',
        weekdays: [2, 4],
        time: '09:00',
        kind: 'lecture',
        timeZone: 'Europe/Minsk',
      },
    });
    expect(sessions.statusCode, sessions.body).toBe(201);
    expect(sessions.json().created).toBe(9);
    const exam = await f.teacher.agent.post(`/api/v1/register/courses/${course.json().id}/assessments`, {
      title: 'Exam',
      kind: 'exam',
      weight: 1,
    });
    expect(exam.statusCode).toBe(201);
    const sheet = (await f.teacher.agent.get(`/api/v1/register/courses/${course.json().id}/sheet`)).json();
    expect(sheet.sessions[0].startsAt).toBe('2026-09-01T06:00:00.000Z');
    expect(sheet.course).toMatchObject({ min: 0, max: 100, passMark: 60 });
    const graded = await put(f.teacher.agent, gradesUrl(course.json().id), {
      grades: [{ assessmentId: exam.json().id, studentId: f.students[0]?.id, value: 101 }],
    });
    expect(graded.statusCode).toBe(422);
    expect(graded.json().errors[0]).toMatchObject({ field: 'grades[0].value', code: 'out_of_range' });
    expect(
      (await f.teacher.agent.request({ method: 'DELETE', url: `/api/v1/register/assessments/${exam.json().id}` }))
        .statusCode,
    ).toBe(204);
  });

  it('creates a student with an e-mailed link to choose a password', async () => {
    const email = `new-${randomUUID().slice(0, 6)}@example.org`;
    const res = await f.officer.agent.post('/api/v1/register/students', {
      email,
      nameLatin: 'Ivan Petrov',
      nameCyrillic: 'Иван Петров',
      number: `S-${randomUUID().slice(0, 6)}`,
      groupId: f.group.id,
      locale: 'ru',
    });
    expect(res.statusCode, res.body).toBe(201);
    const mail = await t.mail.next(email);
    expect(mail.subject).toContain('пароль');
    expect(mail.text).toMatch(/reset-password\?token=/);
    const again = await f.officer.agent.post('/api/v1/register/students', {
      email,
      nameLatin: 'Ivan Petrov',
      number: `S-${randomUUID().slice(0, 6)}`,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_student');
    // A teacher does not manage students.
    expect(
      (await f.teacher.agent.post('/api/v1/register/students', { email, nameLatin: 'x', number: 'y' })).statusCode,
    ).toBe(403);
  });

  it('imports students all or nothing, naming row and column', async () => {
    const tag = randomUUID().slice(0, 6);
    const bad = [
      'email,name_latin,name_cyrillic,number,group_code',
      `a-${tag}@example.org,Ana Lima,,I-${tag}-1,${f.group.code}`,
      `not-an-email,Bo Chen,,I-${tag}-2,`,
      `c-${tag}@example.org,,,I-${tag}-1,NOPE`,
    ].join('\n');
    const { payload, headers } = multipart('students.csv', Buffer.from(bad));
    const res = await f.officer.agent.request({
      method: 'POST',
      url: '/api/v1/register/students/import',
      payload,
      headers,
    });
    expect(res.statusCode, res.body).toBe(422);
    const fields = (res.json().errors as { field: string; code: string }[]).map((e) => `${e.field}:${e.code}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'row 3 column email:invalid_format',
        'row 4 column name_latin:required',
        'row 4 column number:duplicate',
        'row 4 column group_code:unknown_group',
      ]),
    );
    const none = await t.ctx.db
      .select()
      .from(users)
      .where(eq(users.email, `a-${tag}@example.org`));
    expect(none).toEqual([]);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('students');
    sheet.addRow(['email', 'name_latin', 'name_cyrillic', 'number', 'group_code']);
    sheet.addRow([`x-${tag}@example.org`, 'Xu Lin', 'Сюй Линь', `X-${tag}-1`, f.group.code]);
    sheet.addRow([`y-${tag}@example.org`, 'Yara Diaz', '', `X-${tag}-2`, '']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const ok = multipart('students.xlsx', file);
    const imported = await f.officer.agent.request({
      method: 'POST',
      url: '/api/v1/register/students/import',
      payload: ok.payload,
      headers: ok.headers,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ created: 2 });
    const list = await f.officer.agent.get(`/api/v1/register/students?q=Xu%20Lin`);
    expect(list.json().items).toEqual([
      expect.objectContaining({ nameLatin: 'Xu Lin', groups: [{ id: f.group.id, code: f.group.code }] }),
    ]);
  });

  it('turns enrolled admissions into students once (idempotent)', async () => {
    const db = t.ctx.db;
    const tag = randomUUID().slice(0, 6);
    const [program] = await db
      .insert(programs)
      .values({
        slug: `reg-p-${tag}`,
        universityId: f.universityId,
        level: 'specialist',
        titleEn: 'Medicine',
        titleRu: 'Лечебное дело',
      })
      .returning();
    const [campaign] = await db
      .insert(campaigns)
      .values({
        universityId: f.universityId,
        slug: `reg-c-${tag}`,
        titleEn: 'Campaign',
        titleRu: 'Кампания',
        academicYear: '2026/27',
        level: 'specialist',
      })
      .returning();
    const [competition] = await db
      .insert(competitions)
      .values({ campaignId: campaign?.id as string, programId: program?.id as string, funding: 'contract', seats: 5 })
      .returning();
    const now = t.clock.now();
    for (const [i, status] of (['enrolled', 'enrolled', 'offered'] as const).entries()) {
      const applicant = await t.signedIn('applicant');
      const [application] = await db
        .insert(applications)
        .values({
          applicantId: applicant.userId,
          campaignId: campaign?.id as string,
          status: 'submitted',
          number: `E-${tag}-${i}`,
          snapshot: { dossier: { latinName: { surname: 'Okafor', givenNames: `Ada ${i}` }, cyrillicName: null } },
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await db.insert(admissions).values({
        campaignId: campaign?.id as string,
        applicantId: applicant.userId,
        applicationId: application?.id as string,
        competitionId: competition?.id as string,
        runId: randomUUID(),
        priority: 1,
        status,
        confirmBy: now,
        createdAt: now,
        updatedAt: now,
      });
    }
    const first = await f.officer.agent.post('/api/v1/register/students/from-enrollment', {
      campaignId: campaign?.id,
      groupId: f.group.id,
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ created: 2, skipped: 0 });
    const second = await f.officer.agent.post('/api/v1/register/students/from-enrollment', {
      campaignId: campaign?.id,
    });
    expect(second.json()).toEqual({ created: 0, skipped: 2 });
    const made = await db
      .select()
      .from(students)
      .where(eq(students.number, `E-${tag}-0`));
    expect(made[0]).toMatchObject({ nameLatin: 'Okafor Ada 0', programId: program?.id });
    const [account] = await db
      .select()
      .from(users)
      .where(eq(users.id, made[0]?.userId as string));
    expect(account?.role).toBe('student');
    const member = await db
      .select()
      .from(groupMembers)
      .where(and(eq(groupMembers.groupId, f.group.id), eq(groupMembers.studentId, made[0]?.id as string)));
    expect(member).toHaveLength(1);
    // Another university's officer: 404.
    const stranger = await createRegisterFixture(t, { students: 0 });
    expect(
      (await stranger.officer.agent.post('/api/v1/register/students/from-enrollment', { campaignId: campaign?.id }))
        .statusCode,
    ).toBe(404);
  });
});

describe('register: demo data', () => {
  it('loads a term, a group, courses with marks and the demo parent link, once', async () => {
    await seedDemo(t.ctx);
    const count = async () =>
      (await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'register.demo.seeded'))).length;
    expect(await count()).toBe(1);
    await seedDemo(t.ctx);
    expect(await count()).toBe(1);
    const teacher = (await t.ctx.db.select().from(users).where(eq(users.email, 'teacher@demo.medadmit.local')))[0];
    expect(teacher).toBeDefined();
    const [student] = await t.ctx.db
      .select()
      .from(students)
      .innerJoin(users, eq(users.id, students.userId))
      .where(eq(users.email, 'student@demo.medadmit.local'));
    expect(student).toBeDefined();
    const marks = await t.ctx.db
      .select()
      .from(attendance)
      .where(eq(attendance.studentId, student?.students.id as string));
    expect(marks.length).toBeGreaterThan(10);
  });
});
