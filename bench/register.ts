/**
 * Electronic register (issue 8): 10,000 students in 300 groups, 4 courses per group, a term of 40
 * sessions per course with the past 30 marked (≈1.2 M attendance rows) and two graded assessments
 * per course, seeded with set-based SQL. Measured in-process through `app.inject` (routing,
 * validation, policy, transaction, audit, alert detection, serialization; no network): a teacher
 * saving a whole group's attendance for one session (first marks, then corrections of every mark),
 * the course sheet, and — when the routes exist — a group dashboard and a student's page.
 * On PGlite (a temporary directory) and on a throwaway PostgreSQL cluster; `BENCH_DB=pglite|postgresql`
 * picks one, `BENCH_STUDENTS` scales it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { ManualClock } from '../src/domain/clock.js';
import { buildApp } from '../src/server/app.js';
import type { AppContext } from '../src/server/context.js';
import type { Mailer } from '../src/server/mail/mailer.js';
import { createContext } from '../src/server/runtime.js';
import { withPostgres } from './postgres.js';
import type { Row } from './run.js';
import { percentile } from './server.js';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 10_000);
const GROUPS = Math.max(1, Math.round(STUDENTS / (10_000 / 300)));
const COURSES_PER_GROUP = 4;
const SESSIONS = 40;
const SAMPLES = 40;
const PASSWORD = 'register bench password 2026';
const NOW = new Date('2026-05-01T12:00:00Z');

const quietMailer: Mailer = { send: async () => undefined, describe: () => 'none', close: () => undefined };

type Rows<T> = { rows: T[] };

async function seed(ctx: AppContext): Promise<{ teacherEmail: string; officerEmail: string }> {
  const db = ctx.db;
  const hash = await ctx.passwords.hash(PASSWORD);
  await db.execute(sql`select setseed(0.42)`);
  const [u] = (
    (await db.execute(
      sql`insert into universities (slug, name_en, name_ru) values ('bench-register', 'Bench Medical University', 'Тестовый медуниверситет') returning id`,
    )) as unknown as Rows<{ id: string }>
  ).rows;
  const universityId = u?.id as string;
  const staff = (
    (await db.execute(sql`
      insert into users (email, password_hash, full_name, role, university_id, email_verified_at) values
        ('bench-teacher@example.org', ${hash}, 'Bench Teacher', 'teacher', ${universityId}, now()),
        ('bench-officer@example.org', ${hash}, 'Bench Officer', 'officer', ${universityId}, now())
      returning id, role`)) as unknown as Rows<{ id: string; role: string }>
  ).rows;
  const teacherId = staff.find((s) => s.role === 'teacher')?.id as string;
  const [term] = (
    (await db.execute(sql`
      insert into terms (university_id, academic_year, name, starts_on, ends_on, created_at)
      values (${universityId}, '2025/2026', '{"en":"Spring","ru":"Весна"}', '2026-02-01', '2026-06-30', now()) returning id`)) as unknown as Rows<{
      id: string;
    }>
  ).rows;
  await db.execute(sql`
    insert into study_groups (university_id, code, faculty, academic_year, created_at)
    select ${universityId}, 'G-' || g, '{"en":"General Medicine","ru":"Лечебный факультет"}', '2025/2026', now()
    from generate_series(1, ${GROUPS}) g`);
  await db.execute(sql`
    insert into users (email, password_hash, full_name, role)
    select 'bench-student-' || g || '@example.org', '!', 'Student ' || g, 'student' from generate_series(1, ${STUDENTS}) g`);
  await db.execute(sql`
    insert into students (user_id, university_id, number, name_latin, created_at)
    select id, ${universityId}, 'B-' || substr(email, 15, position('@' in email) - 15), full_name, now()
    from users where email like 'bench-student-%'`);
  await db.execute(sql`
    create temporary table bench_groups as
    select row_number() over (order by id) - 1 as i, id from study_groups where university_id = ${universityId}`);
  await db.execute(sql`
    insert into group_members (group_id, student_id, joined_at)
    select g.id, s.id, now()
    from (select row_number() over (order by id) - 1 as i, id from students where university_id = ${universityId}) s
    join bench_groups g on g.i = s.i % ${GROUPS}`);
  await db.execute(sql`
    insert into courses (university_id, term_id, group_id, code, name, scale, hours, created_at)
    select ${universityId}, ${term?.id}, g.id, 'C' || k || '-' || g.i, '{"en":"Course","ru":"Курс"}',
      (array['five_point', 'hundred_point', 'pass_fail', 'five_point'])[k], 72, now()
    from bench_groups g cross join generate_series(1, ${COURSES_PER_GROUP}) k`);
  await db.execute(sql`
    insert into course_teachers (course_id, user_id) select id, ${teacherId} from courses where university_id = ${universityId}`);
  await db.execute(sql`
    insert into class_sessions (course_id, starts_at, kind)
    select c.id, timestamptz '2026-02-02 06:00:00+00' + (s - 1) * interval '3 days', 'practical'
    from courses c cross join generate_series(1, ${SESSIONS}) s where c.university_id = ${universityId}`);
  await db.execute(sql`
    insert into attendance (session_id, student_id, status, updated_by, updated_at)
    select s.id, m.student_id,
      case when r < 0.82 then 'present' when r < 0.9 then 'late' when r < 0.97 then 'absent' else 'excused' end,
      ${teacherId}, s.starts_at
    from (select id, course_id, starts_at, random() as r from class_sessions) s
    join courses c on c.id = s.course_id
    join group_members m on m.group_id = c.group_id
    where c.university_id = ${universityId} and s.starts_at < ${NOW.toISOString()}::timestamptz`);
  await db.execute(sql`update attendance set reason = 'Medical certificate' where status = 'excused'`);
  await db.execute(sql`
    insert into assessments (course_id, title, kind, weight, position)
    select c.id, t.title, t.kind, t.weight, t.position from courses c
    cross join (values ('Test 1', 'current', 1, 1), ('Test 2', 'current', 1, 2), ('Exam', 'exam', 2, 3)) t(title, kind, weight, position)
    where c.university_id = ${universityId}`);
  await db.execute(sql`
    insert into grades (assessment_id, student_id, value, updated_by, updated_at)
    select a.id, m.student_id,
      case c.scale when 'five_point' then 2 + floor(random() * 4) when 'hundred_point' then 40 + floor(random() * 61) else floor(random() * 1.9) end,
      ${teacherId}, now()
    from assessments a join courses c on c.id = a.course_id join group_members m on m.group_id = c.group_id
    where c.university_id = ${universityId} and a.kind = 'current'`);
  await db.execute(sql`analyze`);
  return { teacherEmail: 'bench-teacher@example.org', officerEmail: 'bench-officer@example.org' };
}

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(app: FastifyInstance, email: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.body}`);
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { cookie, csrf: (res.json() as { csrfToken: string }).csrfToken };
}

async function timed(
  app: FastifyInstance,
  session: Session,
  method: 'GET' | 'PUT',
  url: string,
  payload?: object,
): Promise<number> {
  const started = performance.now();
  const res = await app.inject({
    method,
    url,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    ...(payload ? { payload } : {}),
  });
  const ms = performance.now() - started;
  if (res.statusCode !== 200) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return ms;
}

const f = (ms: number) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `p50 ${f(percentile(sorted, 50))} ms, **p95 ${f(percentile(sorted, 95))} ms**`;
};

async function measure(label: string, ctx: AppContext): Promise<Row[]> {
  const t0 = performance.now();
  const accounts = await seed(ctx);
  const seedMs = performance.now() - t0;
  const counts = (
    (await ctx.db.execute(
      sql`select (select count(*)::int from attendance) as marks, (select count(*)::int from students) as students, (select count(*)::int from class_sessions) as sessions`,
    )) as unknown as Rows<{ marks: number; students: number; sessions: number }>
  ).rows[0];
  const app = await buildApp(ctx);
  await app.ready();
  try {
    const teacher = await signIn(app, accounts.teacherEmail);
    const officer = await signIn(app, accounts.officerEmail);
    // SAMPLES groups spread over the university; each one's first course, a future and a past session.
    const picks = (
      (await ctx.db.execute(sql`
        select c.id as course_id, c.group_id,
          (select id from class_sessions s where s.course_id = c.id order by starts_at offset 35 limit 1) as future_session,
          (select id from class_sessions s where s.course_id = c.id order by starts_at offset 20 limit 1) as past_session,
          (select array_to_json(array_agg(m.student_id)) from group_members m where m.group_id = c.group_id and m.left_at is null) as students
        from courses c where c.code like 'C1-%'
        order by c.id limit ${SAMPLES}`)) as unknown as Rows<{
        course_id: string;
        group_id: string;
        future_session: string;
        past_session: string;
        students: string[];
      }>
    ).rows;
    const first: number[] = [];
    const corrections: number[] = [];
    const sheets: number[] = [];
    const dashboards: number[] = [];
    const studentPages: number[] = [];
    const hasDashboard = app.hasRoute({ method: 'GET', url: '/api/v1/register/dashboard' });
    const hasStudentPage = app.hasRoute({ method: 'GET', url: '/api/v1/register/students/:id' });
    let groupSize = 0;
    for (const [i, p] of picks.entries()) {
      groupSize = p.students.length;
      const statuses = ['present', 'present', 'present', 'late', 'absent'];
      first.push(
        await timed(app, teacher, 'PUT', `/api/v1/register/courses/${p.course_id}/attendance`, {
          sessionId: p.future_session,
          marks: p.students.map((studentId, k) => ({ studentId, status: statuses[(i + k) % statuses.length] })),
        }),
      );
      // Every mark of a past session changes (absent ↔ present): the worst case for a correction.
      corrections.push(
        await timed(app, teacher, 'PUT', `/api/v1/register/courses/${p.course_id}/attendance`, {
          sessionId: p.past_session,
          marks: p.students.map((studentId, k) => ({ studentId, status: (i + k) % 2 ? 'absent' : 'present' })),
        }),
      );
      sheets.push(await timed(app, teacher, 'GET', `/api/v1/register/courses/${p.course_id}/sheet`));
      if (hasDashboard)
        dashboards.push(await timed(app, officer, 'GET', `/api/v1/register/dashboard?groupId=${p.group_id}`));
      if (hasStudentPage)
        studentPages.push(await timed(app, officer, 'GET', `/api/v1/register/students/${p.students[0]}`));
    }
    const rows: Row[] = [
      {
        database: label,
        measure: `seed ${counts?.students.toLocaleString('en')} students, ${GROUPS} groups, ${(counts?.sessions ?? 0).toLocaleString('en')} sessions, ${(counts?.marks ?? 0).toLocaleString('en')} marks (set-based SQL, not part of the target)`,
        value: `${(seedMs / 1000).toFixed(1)} s`,
      },
      {
        database: label,
        measure: `a group's attendance for one session, first marks (${groupSize} students; ${SAMPLES} groups; target ≤ 100 ms)`,
        value: stats(first),
      },
      {
        database: label,
        measure: `a group's attendance for one session, every mark corrected (${groupSize} changes + audit + alerts)`,
        value: stats(corrections),
      },
      { database: label, measure: 'course sheet (students × 40 sessions, grades, finals)', value: stats(sheets) },
      {
        database: label,
        measure: 'group dashboard GET /register/dashboard?groupId= (target p95 ≤ 100 ms)',
        value: hasDashboard ? stats(dashboards) : 'not measured: route missing',
      },
      {
        database: label,
        measure: "student's page GET /register/students/:id (target p95 ≤ 100 ms)",
        value: hasStudentPage ? stats(studentPages) : 'not measured: route missing',
      },
    ];
    return rows;
  } finally {
    await app.close();
  }
}

async function onDatabase(label: string, databaseUrl: string | undefined): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-bench-register-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3000',
    ARGON2_MEMORY_KIB: '1024',
    LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const database = await openDatabase({
    databaseUrl,
    pgliteDir: databaseUrl ? undefined : path.join(dataDir, 'pglite'),
  });
  const ctx = await createContext(config, { database, clock: new ManualClock(NOW), mailer: quietMailer });
  try {
    return await measure(label, ctx);
  } finally {
    await ctx.database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `BENCH_DB=pglite` or `postgresql` runs one of the two. */
export async function benchRegister(): Promise<Row[]> {
  const only = process.env.BENCH_DB;
  const rows = only === 'postgresql' || only === 'postgres' ? [] : await onDatabase('PGlite', undefined);
  if (only !== 'pglite') rows.push(...(await withPostgres('bench_register', (url) => onDatabase('PostgreSQL', url))));
  return rows;
}
