/**
 * A small register written straight to the database (the structure endpoints are tested in
 * register-core.test.ts): a university of its own, a term, a group with students, a course with
 * sessions and assessments, its teacher, an officer of the university and a teacher of another
 * course. Every name is unique, so files can share a database and never truncate.
 */
import { randomUUID } from 'node:crypto';
import {
  assessments,
  classSessions,
  courses,
  courseTeachers,
  groupMembers,
  groupStaff,
  students,
  studyGroups,
  terms,
  universities,
} from '../../src/db/schema.js';
import type { ScaleId } from '../../src/domain/register/scales.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { type Agent, TEST_PASSWORD, type TestApp } from './test-app.js';

export interface SignedIn {
  agent: Agent;
  userId: string;
  email: string;
}

export interface FixtureStudent {
  id: string;
  userId: string;
  email: string;
  number: string;
  nameLatin: string;
}

export interface RegisterFixture {
  universityId: string;
  universitySlug: string;
  term: { id: string };
  group: { id: string; code: string };
  course: { id: string; scale: ScaleId };
  /** Sessions of the course, one a day at 09:00 UTC before the test clock, oldest first. */
  sessions: { id: string; startsAt: Date }[];
  /** Assessments of the course: two current ones (weight 1) and an exam (weight 2). */
  assessments: { id: string; kind: 'current' | 'exam' }[];
  students: FixtureStudent[];
  officer: SignedIn;
  /** Teaches the course and curates the group. */
  teacher: SignedIn;
  /** A teacher of the same university who teaches another course only. */
  otherTeacher: SignedIn;
  /** The other teacher's course (same group and term). */
  otherCourse: { id: string };
}

export interface RegisterFixtureOptions {
  students?: number;
  sessions?: number;
  scale?: ScaleId;
  /** Reuse a university (several fixtures in one university); a new one by default. */
  universityId?: string;
}

/** Signs in as an existing account (created with TEST_PASSWORD). */
export async function signInAs(t: TestApp, email: string, userId: string): Promise<SignedIn> {
  const agent = t.agent();
  const res = await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
  return { agent, userId, email };
}

export async function createRegisterFixture(
  t: TestApp,
  options: RegisterFixtureOptions = {},
): Promise<RegisterFixture> {
  const db = t.ctx.db;
  const tag = randomUUID().slice(0, 8);
  const now = t.clock.now();
  let universityId = options.universityId;
  const universitySlug = `reg-u-${tag}`;
  if (!universityId) {
    const [u] = await db
      .insert(universities)
      .values({ slug: universitySlug, nameEn: `Register University ${tag}`, nameRu: `Университет ${tag}` })
      .returning({ id: universities.id });
    universityId = u?.id as string;
  }
  const officer = await t.signedIn('officer', { universityId });
  const teacher = await t.signedIn('teacher', { universityId });
  const otherTeacher = await t.signedIn('teacher', { universityId });

  const [term] = await db
    .insert(terms)
    .values({
      universityId,
      academicYear: '2025/2026',
      name: { en: `Spring ${tag}`, ru: `Весна ${tag}` },
      startsOn: '2026-02-01',
      endsOn: '2026-06-30',
      createdAt: now,
    })
    .returning({ id: terms.id });
  const code = `G-${tag}`;
  const [group] = await db
    .insert(studyGroups)
    .values({
      universityId,
      code,
      faculty: { en: 'General Medicine', ru: 'Лечебный факультет' },
      academicYear: '2025/2026',
      createdAt: now,
    })
    .returning({ id: studyGroups.id });
  const termId = term?.id as string;
  const groupId = group?.id as string;

  const list: FixtureStudent[] = [];
  for (let i = 0; i < (options.students ?? 5); i++) {
    const email = `student-${tag}-${i}@example.org`;
    const nameLatin = `Student ${tag} ${i}`;
    const user = await createUser(
      t.ctx,
      { email, password: TEST_PASSWORD, fullName: nameLatin, role: 'student' },
      SYSTEM_ACTOR,
    );
    const number = `N-${tag}-${i}`;
    const [s] = await db
      .insert(students)
      .values({ userId: user.id, universityId, number, nameLatin, createdAt: now })
      .returning({ id: students.id });
    list.push({ id: s?.id as string, userId: user.id, email, number, nameLatin });
  }
  if (list.length) await db.insert(groupMembers).values(list.map((s) => ({ groupId, studentId: s.id, joinedAt: now })));
  await db.insert(groupStaff).values({ groupId, userId: teacher.userId, role: 'curator' });

  const scale = options.scale ?? 'five_point';
  const [course, other] = await db
    .insert(courses)
    .values([
      {
        universityId,
        termId,
        groupId,
        code: `ANAT-${tag}`,
        name: { en: 'Anatomy', ru: 'Анатомия' },
        scale,
        hours: 72,
        createdAt: now,
      },
      {
        universityId,
        termId,
        groupId,
        code: `HIST-${tag}`,
        name: { en: 'Histology', ru: 'Гистология' },
        scale: 'five_point',
        createdAt: now,
      },
    ])
    .returning({ id: courses.id });
  const courseId = course?.id as string;
  const otherCourseId = other?.id as string;
  await db.insert(courseTeachers).values([
    { courseId, userId: teacher.userId },
    { courseId: otherCourseId, userId: otherTeacher.userId },
  ]);
  const count = options.sessions ?? 6;
  const day = 86_400_000;
  const base = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 9) - count * day);
  const sessions = await db
    .insert(classSessions)
    .values(
      Array.from({ length: count }, (_, i) => ({
        courseId,
        startsAt: new Date(base.getTime() + i * day),
        kind: 'practical',
        topic: `Topic ${i + 1}`,
      })),
    )
    .returning({ id: classSessions.id, startsAt: classSessions.startsAt });
  sessions.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const graded = await db
    .insert(assessments)
    .values([
      { courseId, title: 'Test 1', kind: 'current', weight: 1, position: 1 },
      { courseId, title: 'Test 2', kind: 'current', weight: 1, position: 2 },
      { courseId, title: 'Exam', kind: 'exam', weight: 2, position: 3 },
    ])
    .returning({ id: assessments.id, kind: assessments.kind, position: assessments.position });
  graded.sort((a, b) => a.position - b.position);

  return {
    universityId,
    universitySlug,
    term: { id: termId },
    group: { id: groupId, code },
    course: { id: courseId, scale },
    sessions,
    assessments: graded.map((a) => ({ id: a.id, kind: a.kind as 'current' | 'exam' })),
    students: list,
    officer,
    teacher,
    otherTeacher,
    otherCourse: { id: otherCourseId },
  };
}

/** PUT with JSON through an agent (the test agent has get/post/patch only). */
export function put(agent: Agent, url: string, payload: unknown) {
  return agent.request({ method: 'PUT', url, payload: payload as object });
}

export function del(agent: Agent, url: string) {
  return agent.request({ method: 'DELETE', url });
}
