import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendance, auditLog, grades, registerAlerts, students, universities, users } from '../../src/db/schema.js';
import { detectAlerts, sendRegisterDigest } from '../../src/server/register/alerts.service.js';
import { readPdf } from '../helpers/pdf-reader.js';
import {
  createRegisterFixture,
  type FixtureStudent,
  put,
  type RegisterFixture,
  type SignedIn,
  signInAs,
} from '../helpers/register-fixtures.js';
import { tokenFrom } from '../helpers/smtp-capture.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

const api = '/api/v1';
const CYRILLIC_NAME = 'Щербакова Юлия Эдуардовна';

let t: TestApp;
let f: RegisterFixture;
/** s0: absences in a row and a failing grade; s1: all present; s2: one absence; s3: nothing graded. */
let s: FixtureStudent[];
let me: SignedIn[];

const code = { P: 'present', A: 'absent', L: 'late', E: 'excused' } as const;

async function mark(student: FixtureStudent, statuses: string) {
  const now = t.clock.now();
  await t.ctx.db.insert(attendance).values(
    [...statuses].map((c, i) => ({
      sessionId: f.sessions[i]?.id as string,
      studentId: student.id,
      status: code[c as keyof typeof code],
      reason: c === 'E' ? 'medical certificate' : null,
      updatedBy: f.teacher.userId,
      updatedAt: now,
    })),
  );
}

async function grade(student: FixtureStudent, values: (number | null)[]) {
  const rows = values
    .map((value, i) => ({ value, assessmentId: f.assessments[i]?.id as string }))
    .filter((r): r is { value: number; assessmentId: string } => r.value !== null);
  await t.ctx.db.insert(grades).values(
    rows.map((r) => ({
      ...r,
      studentId: student.id,
      comment: 'Revise the cranial nerves',
      updatedBy: f.teacher.userId,
      updatedAt: t.clock.now(),
    })),
  );
}

const detect = (ids: string[]) => t.ctx.db.transaction((tx) => detectAlerts(tx, t.clock, ids));

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysOf(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysOf(v, into);
    }
  return into;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

beforeAll(async () => {
  t = await createTestApp();
  f = await createRegisterFixture(t, { students: 4, sessions: 6 });
  s = f.students;
  me = await Promise.all(s.map((x) => signInAs(t, x.email, x.userId)));
  await t.ctx.db
    .update(students)
    .set({ nameCyrillic: CYRILLIC_NAME })
    .where(eq(students.id, s[0]?.id as string));
  await mark(s[0] as FixtureStudent, 'PPPAAA');
  await mark(s[1] as FixtureStudent, 'PPPPPP');
  await mark(s[2] as FixtureStudent, 'PPPPAP');
  await mark(s[3] as FixtureStudent, 'PLPPEP');
  await grade(s[0] as FixtureStudent, [2, 4, null]);
  await grade(s[1] as FixtureStudent, [5, 5, 5]);
  await grade(s[2] as FixtureStudent, [4, 3, null]);
  await detect(s.map((x) => x.id));
});

afterAll(async () => {
  await t?.close();
});

describe('alerts detection', () => {
  it('records an absence streak, low attendance and a failing grade once, by the default thresholds', async () => {
    const rows = await t.ctx.db
      .select()
      .from(registerAlerts)
      .where(eq(registerAlerts.studentId, s[0]?.id as string));
    expect(rows.map((r) => r.kind).sort()).toEqual(['absence_streak', 'failing_grade', 'low_attendance']);
    const streak = rows.find((r) => r.kind === 'absence_streak');
    expect(streak?.dedupKey).toBe(f.sessions[3]?.id);
    expect(streak?.payload).toMatchObject({ length: 3 });
    expect(rows.find((r) => r.kind === 'failing_grade')?.dedupKey).toBe(f.assessments[0]?.id);
    // Nobody else is alerted; running again adds nothing.
    const others = await t.ctx.db.select().from(registerAlerts);
    expect(others.filter((r) => r.studentId !== s[0]?.id)).toEqual([]);
    expect(await detect(s.map((x) => x.id))).toBe(0);
  });

  it('a teacher marking a third absence in a row through the sheet raises the streak alert', async () => {
    const g = await createRegisterFixture(t, { students: 2, sessions: 4 });
    const [absent, present] = g.students as [FixtureStudent, FixtureStudent];
    for (const session of g.sessions.slice(0, 3)) {
      const res = await put(g.teacher.agent, `${api}/register/courses/${g.course.id}/attendance`, {
        sessionId: session.id,
        marks: [
          { studentId: absent.id, status: 'absent' },
          { studentId: present.id, status: 'present' },
        ],
      });
      expect(res.statusCode).toBe(200);
    }
    const rows = await t.ctx.db.select().from(registerAlerts).where(eq(registerAlerts.studentId, absent.id));
    expect(rows.map((r) => [r.kind, r.dedupKey])).toEqual([['absence_streak', g.sessions[0]?.id]]);
    expect(await t.ctx.db.select().from(registerAlerts).where(eq(registerAlerts.studentId, present.id))).toEqual([]);
    // Its alerts are digested with the rest below; keep them out of the other university's counts.
    await t.ctx.db.delete(registerAlerts).where(eq(registerAlerts.studentId, absent.id));
  });
});

describe("a student's own register", () => {
  it('shows grades, finals, attendance, progress per month and the risk reasons', async () => {
    const res = await me[0]?.agent.get(`${api}/register/me`);
    expect(res?.statusCode).toBe(200);
    const view = res?.json();
    expect(view.student).toMatchObject({ id: s[0]?.id, nameCyrillic: CYRILLIC_NAME, email: s[0]?.email });
    expect(view.student.groups).toEqual([{ id: f.group.id, code: f.group.code }]);
    const anatomy = view.terms[0].courses.find((c: { id: string }) => c.id === f.course.id);
    expect(anatomy.assessments.map((a: { value: number | null }) => a.value)).toEqual([2, 4, null]);
    expect(anatomy.assessments[0].comment).toBe('Revise the cranial nerves');
    expect(anatomy.final).toMatchObject({ average: 3, value: 3, source: 'computed', passed: true, complete: false });
    expect(anatomy.attendance).toEqual({ present: 3, late: 0, absent: 3, excused: 0, rate: 0.5 });
    expect(view.attendanceLog).toHaveLength(6);
    expect(view.attendanceLog[0]).toMatchObject({ sessionId: f.sessions[5]?.id, status: 'absent' });
    expect(view.progress).toEqual([
      { month: '2026-05', attendanceRate: 0.5, averageGrade5: null },
      { month: '2026-06', attendanceRate: null, averageGrade5: 3 },
    ]);
    expect(view.risk.map((r: { kind: string }) => r.kind)).toEqual([
      'low_attendance',
      'absence_streak',
      'failing_grade',
    ]);
  });

  it('answers 404 to someone who is not a student', async () => {
    expect((await f.officer.agent.get(`${api}/register/me`)).statusCode).toBe(404);
  });
});

describe('who may read a student', () => {
  it('refuses consultants, applicants, other students and another university’s officer (404)', async () => {
    const [other] = await t.ctx.db
      .insert(universities)
      .values({ slug: `other-${Date.now()}`, nameEn: 'Other', nameRu: 'Другой' })
      .returning();
    const outsiders = [
      await t.signedIn('applicant'),
      await t.signedIn('officer', { universityId: other?.id as string }),
      await t.signedIn('teacher', { universityId: other?.id as string }),
      me[1] as SignedIn,
    ];
    for (const who of outsiders) {
      const res = await who.agent.get(`${api}/register/students/${s[0]?.id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('not_found');
      expect((await who.agent.get(`${api}/register/students/${s[0]?.id}/transcript.pdf`)).statusCode).toBe(404);
    }
    expect((await t.agent().get(`${api}/register/students/${s[0]?.id}`)).statusCode).toBe(401);
  });

  it('lets the officer, the course teacher (curator) and a teacher of another course of the group read', async () => {
    for (const who of [f.officer, f.teacher, f.otherTeacher]) {
      const res = await who.agent.get(`${api}/register/students/${s[0]?.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().student.email).toBe(s[0]?.email);
    }
  });
});

describe('parents and sponsors', () => {
  const parentEmail = `parent-${Date.now()}@example.org`;
  let parent: SignedIn;

  it('the student invites by e-mail; the parent registers with the token, in Russian', async () => {
    const invite = await me[0]?.agent.post(`${api}/register/me/guardians`, {
      email: parentEmail,
      relation: 'parent',
      locale: 'ru',
    });
    expect(invite?.statusCode).toBe(201);
    expect(invite?.json()).toMatchObject({ email: parentEmail, relation: 'parent', status: 'invited', guardian: null });
    const mail = await t.mail.next(parentEmail);
    expect(mail.subject).toContain('приглашает');
    expect(mail.text).toContain('/guardian-invitation?token=');
    const token = tokenFrom(mail);

    const preview = await t.agent().get(`${api}/register/guardian-invitations/${token}`);
    expect(preview.json()).toEqual({
      studentName: s[0]?.nameLatin,
      relation: 'parent',
      email: parentEmail,
      status: 'invited',
    });
    const weak = await t.agent().post(`${api}/register/guardian-invitations/accept`, {
      token,
      fullName: 'Мария Щербакова',
      password: 'short',
    });
    expect(weak.statusCode).toBe(400);
    const accepted = await t.agent().post(`${api}/register/guardian-invitations/accept`, {
      token,
      fullName: 'Мария Щербакова',
      password: TEST_PASSWORD,
      locale: 'ru',
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toEqual({ studentId: s[0]?.id });
    const used = await t.agent().get(`${api}/register/guardian-invitations/${token}`);
    expect(used.statusCode).toBe(410);
    expect(used.json().code).toBe('invitation_used');
    expect((await t.agent().get(`${api}/register/guardian-invitations/${'x'.repeat(43)}`)).json().code).toBe(
      'invitation_invalid',
    );

    const [account] = await t.ctx.db.select().from(users).where(eq(users.email, parentEmail));
    expect(account).toMatchObject({ role: 'parent', locale: 'ru' });
    expect(account?.emailVerifiedAt).not.toBeNull();
    parent = await signInAs(t, parentEmail, account?.id as string);
    const children = await parent.agent.get(`${api}/register/children`);
    expect(children.json().items).toEqual([
      {
        studentId: s[0]?.id,
        nameLatin: s[0]?.nameLatin,
        nameCyrillic: CYRILLIC_NAME,
        university: { name: { en: expect.any(String), ru: expect.any(String) } },
        relation: 'parent',
      },
    ]);
    const audit = await t.ctx.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subjectId, s[0]?.id as string));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['register.guardian.invited', 'register.guardian.accepted']),
    );
  });

  it('the parent sees their own student only, without e-mail addresses, comments or absence reasons', async () => {
    const res = await parent.agent.get(`${api}/register/students/${s[0]?.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const keys = keysOf(body);
    for (const hidden of ['email', 'comment', 'documentKey', 'documentSha256', 'updatedBy'])
      expect(keys.has(hidden)).toBe(false);
    expect(stringsOf(body).filter((v) => v.includes('@'))).toEqual([]);
    expect(stringsOf(body)).not.toContain('Revise the cranial nerves');
    expect(body.attendanceLog.every((m: { reason: unknown }) => m.reason === null)).toBe(true);
    expect(body.terms[0].courses[0].assessments[0].value).toBe(2);

    expect((await parent.agent.get(`${api}/register/students/${s[1]?.id}`)).statusCode).toBe(404);
    expect((await parent.agent.get(`${api}/register/me`)).statusCode).toBe(404);
    expect((await parent.agent.get(`${api}/register/dashboard?groupId=${f.group.id}`)).statusCode).toBe(404);
  });

  it('a parent asks to follow; the student accepts; ending the link takes effect at once', async () => {
    const sponsor = await t.signedIn('parent');
    const unknown = await sponsor.agent.post(`${api}/register/guardian-requests`, {
      studentNumber: 'NO-SUCH-NUMBER',
      universitySlug: f.universitySlug,
      relation: 'sponsor',
    });
    const known = await sponsor.agent.post(`${api}/register/guardian-requests`, {
      studentNumber: s[1]?.number,
      universitySlug: f.universitySlug,
      relation: 'sponsor',
    });
    expect([unknown.statusCode, known.statusCode]).toEqual([202, 202]);
    expect(known.body).toBe(unknown.body);
    const notice = await t.mail.next(s[1]?.email as string);
    expect(notice.subject).toBe('A request to follow your register');
    expect((await sponsor.agent.get(`${api}/register/students/${s[1]?.id}`)).statusCode).toBe(404);

    const list = (await me[1]?.agent.get(`${api}/register/me/guardians`))?.json().items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ status: 'requested', relation: 'sponsor', guardian: { fullName: 'Test parent' } });
    // Another student cannot touch it.
    expect((await me[2]?.agent.post(`${api}/register/me/guardians/${list[0].id}/accept`))?.statusCode).toBe(404);
    const accepted = await me[1]?.agent.post(`${api}/register/me/guardians/${list[0].id}/accept`);
    expect(accepted?.json().status).toBe('active');
    expect((await t.mail.next(sponsor.email)).subject).toContain('Register access');
    expect((await sponsor.agent.get(`${api}/register/students/${s[1]?.id}`)).statusCode).toBe(200);

    const ended = await me[1]?.agent.post(`${api}/register/me/guardians/${list[0].id}/end`);
    expect(ended?.json()).toMatchObject({ status: 'ended', endedAt: expect.any(String) });
    expect((await sponsor.agent.get(`${api}/register/students/${s[1]?.id}`)).statusCode).toBe(404);
    expect((await sponsor.agent.get(`${api}/register/children`)).json().items).toEqual([]);
    const [entry] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'register.guardian.ended'), eq(auditLog.subjectId, s[1]?.id as string)));
    expect(entry).toMatchObject({
      actorUserId: s[1]?.userId,
      before: { status: 'active' },
      after: { status: 'ended' },
    });
  });

  it('an officer confirms a request of their university only', async () => {
    const guardian = await t.signedIn('parent');
    await guardian.agent.post(`${api}/register/guardian-requests`, {
      studentNumber: s[2]?.number,
      universitySlug: f.universitySlug,
      relation: 'parent',
    });
    await t.mail.next(s[2]?.email as string);
    const pending = (await f.officer.agent.get(`${api}/register/guardian-links?status=requested`)).json().items;
    const link = pending.find((l: { student: { id: string } }) => l.student.id === s[2]?.id);
    expect(link).toMatchObject({ status: 'requested', guardian: { fullName: 'Test parent' } });
    const [other] = await t.ctx.db
      .insert(universities)
      .values({ slug: `elsewhere-${Date.now()}`, nameEn: 'Elsewhere', nameRu: 'Где-то' })
      .returning();
    const stranger = await t.signedIn('officer', { universityId: other?.id as string });
    expect((await stranger.agent.post(`${api}/register/guardian-links/${link.id}/confirm`)).statusCode).toBe(404);
    const confirmed = await f.officer.agent.post(`${api}/register/guardian-links/${link.id}/confirm`);
    expect(confirmed.json()).toMatchObject({ status: 'active', student: { id: s[2]?.id } });
    expect((await f.officer.agent.post(`${api}/register/guardian-links/${link.id}/confirm`)).json().code).toBe(
      'not_requested',
    );
    expect((await guardian.agent.get(`${api}/register/students/${s[2]?.id}`)).statusCode).toBe(200);
    await t.mail.next(guardian.email);
  });
});

describe('settings and at-risk thresholds', () => {
  it('names each invalid field (422) and saves nothing', async () => {
    const res = await put(f.officer.agent, `${api}/register/settings`, {
      atRisk: { minAttendanceRate: 1.5 },
      colour: 'red',
    });
    expect(res.statusCode).toBe(422);
    const fields = res.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`);
    expect(fields).toEqual(
      expect.arrayContaining(['body.atRisk.minAttendanceRate:too_big', 'body.colour:unknown_field']),
    );
    expect((await f.officer.agent.get(`${api}/register/settings`)).json().atRisk.minAttendanceRate).toBe(0.8);
    expect((await put(f.teacher.agent, `${api}/register/settings`, {})).statusCode).toBe(403);
  });

  it('the dashboard lists the at-risk students by the thresholds in the settings', async () => {
    const before = await f.officer.agent.get(`${api}/register/dashboard?groupId=${f.group.id}`);
    expect(before.statusCode).toBe(200);
    const dash = before.json();
    expect(dash.summary).toEqual({ students: 4, attendanceRate: 0.826, atRisk: 1 });
    expect(dash.atRisk).toHaveLength(1);
    expect(dash.atRisk[0].student.id).toBe(s[0]?.id);
    expect(dash.atRisk[0].reasons.map((r: { kind: string }) => r.kind)).toEqual([
      'low_attendance',
      'absence_streak',
      'failing_grade',
    ]);
    expect(dash.groups[0]).toMatchObject({ id: f.group.id, students: 4, atRisk: 1 });
    const anatomy = dash.courses.find((c: { id: string }) => c.id === f.course.id);
    // Finals: s0 (2,4) → 3; s1 → 5; s2 (4,3) → 4 (3.5 rounded half up).
    expect(anatomy.distribution).toEqual([
      { label: '2', count: 0 },
      { label: '3', count: 1 },
      { label: '4', count: 1 },
      { label: '5', count: 1 },
    ]);
    expect(anatomy.failing).toBe(0);

    const saved = await put(f.officer.agent, `${api}/register/settings`, {
      atRisk: { minAttendanceRate: 0.4, absenceStreak: 4, failingGrade: false },
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().alerts.digestHourUtc).toBe(6);
    const after = (await f.officer.agent.get(`${api}/register/dashboard?groupId=${f.group.id}`)).json();
    expect(after.atRisk).toEqual([]);
    const tighter = await put(f.officer.agent, `${api}/register/settings`, {
      atRisk: { minAttendanceRate: 0.9, absenceStreak: 3, failingGrade: true },
    });
    expect(tighter.statusCode).toBe(200);
    const strict = (await f.officer.agent.get(`${api}/register/dashboard?groupId=${f.group.id}`)).json();
    // s2 attended 5 of 6 (83 %): below 90 %.
    expect(strict.atRisk.map((r: { student: { id: string } }) => r.student.id).sort()).toEqual(
      [s[0]?.id, s[2]?.id].sort(),
    );
    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'register.settings.updated'), eq(auditLog.subjectId, f.universityId)));
    expect(audit?.actorUserId).toBe(f.officer.userId);
    await put(f.officer.agent, `${api}/register/settings`, {});
  });

  it('a curator sees their group; other teachers and students do not; the XLSX has the at-risk rows', async () => {
    expect((await f.teacher.agent.get(`${api}/register/dashboard?groupId=${f.group.id}`)).statusCode).toBe(200);
    expect((await f.otherTeacher.agent.get(`${api}/register/dashboard?groupId=${f.group.id}`)).statusCode).toBe(404);
    expect((await f.teacher.agent.get(`${api}/register/dashboard`)).statusCode).toBe(403);
    expect((await me[0]?.agent.get(`${api}/register/dashboard?groupId=${f.group.id}`))?.statusCode).toBe(404);
    const whole = (await f.officer.agent.get(`${api}/register/dashboard?faculty=General%20Medicine`)).json();
    expect(whole.summary.students).toBe(4);

    const file = await f.officer.agent.get(`${api}/register/dashboard.xlsx?groupId=${f.group.id}&lang=ru`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const risk = book.getWorksheet('Группа риска');
    expect(risk?.getRow(1).getCell(1).value).toBe('Номер студента');
    expect(risk?.getRow(2).getCell(1).value).toBe(s[0]?.number);
    expect(risk?.getRow(2).getCell(3).value).toBe(CYRILLIC_NAME);
    expect(String(risk?.getRow(2).getCell(5).value)).toContain('пропусков подряд: 3');
  });
});

describe('daily digest', () => {
  it('goes to the student and linked parents in their language, honours opt-outs, and never twice', async () => {
    const optOut = await put(me[0]?.agent as SignedIn['agent'], `${api}/me/notifications`, {
      optOut: ['failing_grade'],
    });
    expect(optOut.json().kinds).toContainEqual({ kind: 'failing_grade', essential: false, optedOut: true });
    expect((await me[0]?.agent.get(`${api}/me/notifications`))?.json().kinds).toHaveLength(3);

    // 05:00 UTC is before the default digest hour (06): nothing goes out.
    t.clock.set(new Date('2026-06-02T05:00:00Z'));
    expect(await sendRegisterDigest(t.ctx)).toEqual({ emails: 0 });
    t.clock.set(new Date('2026-06-02T06:05:00Z'));
    const first = await sendRegisterDigest(t.ctx);
    expect(first.emails).toBe(2);

    const toStudent = await t.mail.next(s[0]?.email as string);
    expect(toStudent.subject).toBe('Register digest: 2 new alerts');
    expect(toStudent.text).toContain('Unexcused absences in a row: 3');
    expect(toStudent.text).toContain('Attendance 50 %, below the threshold of 80 %');
    expect(toStudent.text).not.toContain('Failing grade');

    const parents = t.mail.messages.filter((m) => m.subject.startsWith('Электронный журнал'));
    expect(parents).toHaveLength(1);
    const toParent = parents[0];
    expect(toParent?.text).toContain(CYRILLIC_NAME);
    expect(toParent?.text).toContain('Пропуски подряд без уважительной причины: 3');
    expect(toParent?.text).toContain('Неудовлетворительная оценка 2 (проходной балл 3)');
    expect(toParent?.text).toContain('Анатомия');
    expect(toParent?.text).toContain(`/register/students/${s[0]?.id}`);
    // The sponsor whose link s1 ended and s2's guardian get nothing: their students have no alerts.
    const count = t.mail.messages.length;
    expect(await sendRegisterDigest(t.ctx)).toEqual({ emails: 0 });

    // A new failing grade later the same day waits for tomorrow's digest.
    await t.ctx.db.insert(grades).values({
      assessmentId: f.assessments[2]?.id as string,
      studentId: s[2]?.id as string,
      value: 2,
      updatedBy: f.teacher.userId,
      updatedAt: t.clock.now(),
    });
    expect(await detect([s[2]?.id as string])).toBe(1);
    t.clock.set(new Date('2026-06-02T18:00:00Z'));
    expect(await sendRegisterDigest(t.ctx)).toEqual({ emails: 0 });
    expect(t.mail.messages.length).toBe(count);
    t.clock.set(new Date('2026-06-03T06:10:00Z'));
    expect(await sendRegisterDigest(t.ctx)).toEqual({ emails: 2 });
    const next = await t.mail.next(s[2]?.email as string);
    expect(next.text).toContain('Failing grade 2 (pass mark 3)');
    expect(await sendRegisterDigest(t.ctx)).toEqual({ emails: 0 });
    const pending = await t.ctx.db.select().from(registerAlerts);
    expect(pending.every((a) => a.digestedAt !== null)).toBe(true);
    t.clock.set(new Date('2026-06-01T09:00:00Z'));
  });
});

describe('attestation', () => {
  it('a passed state attestation needs the qualification, sets "graduated" and shows it', async () => {
    const url = `${api}/register/students/${s[3]?.id}/attestations`;
    const body = {
      kind: 'state_attestation',
      heldOn: '2026-05-30',
      result: 'passed',
      grade: 5,
      protocolNumber: 'GIA-17',
    };
    const missing = await f.officer.agent.post(url, body);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toContain('body.qualification.en');
    expect((await f.teacher.agent.post(url, body)).statusCode).toBe(404);
    const qualification = { en: 'Physician (General Medicine)', ru: 'Врач-лечебник' };
    const saved = await f.officer.agent.post(url, { ...body, qualification });
    expect(saved.statusCode).toBe(201);
    expect(saved.json()).toMatchObject({
      kind: 'state_attestation',
      result: 'passed',
      qualification,
      protocolNumber: 'GIA-17',
    });
    const view = (await me[3]?.agent.get(`${api}/register/me`))?.json();
    expect(view.student.status).toBe('graduated');
    expect(view.attestations[0].qualification).toEqual(qualification);
    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'register.attestation.recorded'), eq(auditLog.subjectId, s[3]?.id as string)));
    expect(audit).toMatchObject({ before: { status: 'active' }, after: { status: 'graduated' } });
  });

  it('a passed preparatory completion sets "completed" (S1-2); a failed one changes nothing', async () => {
    const url = `${api}/register/students/${s[1]?.id}/attestations`;
    const failed = await f.officer.agent.post(url, {
      kind: 'preparatory_completion',
      heldOn: '2026-05-20',
      result: 'failed',
    });
    expect(failed.statusCode).toBe(201);
    expect((await me[1]?.agent.get(`${api}/register/me`))?.json().student.status).toBe('active');
    await f.officer.agent.post(url, { kind: 'preparatory_completion', heldOn: '2026-05-28', result: 'passed' });
    expect((await me[1]?.agent.get(`${api}/register/me`))?.json().student.status).toBe('completed');
  });
});

/** The PDF's text without spaces, its raw bytes and the glyph ids drawn. */
function readTranscript(pdf: Buffer) {
  const { raw, pages, glyphIds } = readPdf(pdf);
  return { raw, text: pages.join('').replace(/\s+/g, ''), glyphIds };
}

const squash = (v: string) => v.replace(/\s+/g, '');

describe('transcripts', () => {
  it('PDF in Russian draws the Cyrillic name with an embedded font', async () => {
    const res = await me[0]?.agent.get(`${api}/register/students/${s[0]?.id}/transcript.pdf?lang=ru`);
    expect(res?.statusCode).toBe(200);
    expect(res?.headers['content-type']).toBe('application/pdf');
    expect(res?.headers['content-disposition']).toMatch(/^attachment; filename="transcript-.*-ru\.pdf"$/);
    const pdf = readTranscript(res?.rawPayload as Buffer);
    expect(pdf.raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Roboto-Regular/);
    expect(pdf.glyphIds.length).toBeGreaterThan(50);
    expect(pdf.glyphIds).not.toContain(0);
    expect(pdf.text).toContain(squash(CYRILLIC_NAME));
    expect(pdf.text).toContain(squash('Выписка об успеваемости'));
    expect(pdf.text).toContain(squash('Анатомия'));
    expect(pdf.text).toContain(squash('3 (удовлетворительно)'));
    const en = readTranscript(
      (await f.officer.agent.get(`${api}/register/students/${s[0]?.id}/transcript.pdf?lang=en`)).rawPayload,
    );
    expect(en.text).toContain(squash('Academic transcript'));
    expect(en.text).toContain(squash('3 (satisfactory)'));
  });

  it('shows the qualification awarded, and the XLSX has one row per course', async () => {
    const pdf = readTranscript(
      (await me[3]?.agent.get(`${api}/register/students/${s[3]?.id}/transcript.pdf?lang=ru`))?.rawPayload as Buffer,
    );
    expect(pdf.text).toContain(squash('Присвоена квалификация: Врач-лечебник'));
    const res = await me[0]?.agent.get(`${api}/register/students/${s[0]?.id}/transcript.xlsx?lang=ru`);
    expect(res?.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res?.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Выписка');
    const rows: unknown[][] = [];
    sheet?.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const header = rows.findIndex((r) => r[0] === 'Семестр');
    expect(rows[header]).toEqual([
      'Семестр',
      'Код',
      'Дисциплина',
      'Часы',
      'З. е.',
      'Шкала',
      'Итоговая оценка',
      'Результат',
      'Посещаемость',
    ]);
    const anatomy = rows.find((r) => r[2] === 'Анатомия');
    expect(anatomy?.slice(3, 9)).toEqual([72, undefined, '5-балльная', 3, 'сдано', 0.5]);
    expect(rows.some((r) => r[0] === 'ФИО (кириллицей)' && r[1] === CYRILLIC_NAME)).toBe(true);
  });
});
