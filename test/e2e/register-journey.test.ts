import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  attendance,
  classSessions,
  courses,
  courseTeachers,
  groupMembers,
  guardianLinks,
  students,
  studyGroups,
  terms,
  universities,
  users,
} from '../../src/db/schema.js';
import { ManualClock } from '../../src/domain/clock.js';
import { seedDemoCatalog } from '../../src/seed/demo.js';
import { buildApp } from '../../src/server/app.js';
import { sendRegisterDigest } from '../../src/server/register/alerts.service.js';
import { closeContext, createContext } from '../../src/server/runtime.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { pdfBytes } from '../helpers/files.js';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp-capture.js';
import { TEST_PASSWORD } from '../helpers/test-app.js';
import { launchChromium, type RunningServer } from './browser.js';

// Thursday morning in Minsk; the digest goes out from 06:00 UTC (the default settings).
const clock = new ManualClock(new Date('2026-03-19T09:00:00Z'));
const TEACHER = 'irina.teacher@bsmu.test';
const STUDENT = 'kofi.mensah@student.test';
const PARENT = 'ama.mensah@parent.test';
const COURSE = 'PHYS-1';
const KOFI = 'E2E-001';

let server: RunningServer;
let browser: Browser;
let smtp: SmtpCapture;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The real server (as browser.ts starts it) sending e-mail to a real SMTP server on loopback. */
async function startServerWithSmtp(smtpUrl: string): Promise<RunningServer> {
  const webDir = path.resolve('dist/web');
  if (!fs.existsSync(path.join(webDir, 'index.html')))
    throw new Error('dist/web is missing: run `npm run build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-e2e-register-'));
  const port = await freePort();
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    ARGON2_MEMORY_KIB: '4096',
    WEB_DIR: webDir,
    SMTP_URL: smtpUrl,
  });
  const ctx = await createContext(config, { clock });
  const app = await buildApp(ctx);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: config.publicUrl,
    config,
    ctx,
    app,
    async stop() {
      await app.close();
      await closeContext(ctx);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A group of three at BSMU with one course taught by the teacher, three classes, Kofi absent from the first two. */
async function seedGroup(): Promise<void> {
  const { ctx } = server;
  await seedDemoCatalog(ctx);
  const [bsmu] = await ctx.db.select().from(universities).where(eq(universities.slug, 'bsmu'));
  const universityId = bsmu?.id ?? '';
  const now = clock.now();
  const teacher = await createUser(
    ctx,
    { email: TEACHER, password: TEST_PASSWORD, fullName: 'Irina Teacher', role: 'teacher', universityId },
    SYSTEM_ACTOR,
  );
  const kofi = await createUser(
    ctx,
    { email: STUDENT, password: TEST_PASSWORD, fullName: 'Kofi Mensah', role: 'student' },
    SYSTEM_ACTOR,
  );
  const parent = await createUser(
    ctx,
    { email: PARENT, password: TEST_PASSWORD, fullName: 'Ama Mensah', role: 'parent', locale: 'ru' },
    SYSTEM_ACTOR,
  );
  const classmates = await ctx.db
    .insert(users)
    .values(
      ['Lena Novak', 'Ravi Shah'].map((fullName, i) => ({
        email: `classmate-${i}@student.test`,
        passwordHash: '!no-password',
        fullName,
        role: 'student' as const,
      })),
    )
    .returning();
  const [term] = await ctx.db
    .insert(terms)
    .values({
      universityId,
      academicYear: '2025/2026',
      name: { en: 'Spring 2026', ru: 'Весна 2026' },
      startsOn: '2026-02-02',
      endsOn: '2026-06-30',
      createdAt: now,
    })
    .returning();
  const [group] = await ctx.db
    .insert(studyGroups)
    .values({
      universityId,
      code: 'E2E-101',
      faculty: { en: 'Faculty of Foreign Students', ru: 'Факультет иностранных учащихся' },
      academicYear: '2025/2026',
      createdAt: now,
    })
    .returning();
  const people = [
    { userId: kofi.id, number: KOFI, nameLatin: 'Kofi Mensah', nameCyrillic: 'Кофи Менса' },
    { userId: classmates[0]?.id ?? '', number: 'E2E-002', nameLatin: 'Lena Novak', nameCyrillic: 'Лена Новак' },
    { userId: classmates[1]?.id ?? '', number: 'E2E-003', nameLatin: 'Ravi Shah', nameCyrillic: 'Рави Шах' },
  ];
  const rows = await ctx.db
    .insert(students)
    .values(people.map((p) => ({ ...p, universityId, createdAt: now })))
    .returning();
  await ctx.db
    .insert(groupMembers)
    .values(rows.map((s) => ({ groupId: group?.id ?? '', studentId: s.id, joinedAt: now })));
  const [course] = await ctx.db
    .insert(courses)
    .values({
      universityId,
      termId: term?.id ?? '',
      groupId: group?.id ?? '',
      code: COURSE,
      name: { en: 'Normal Physiology', ru: 'Нормальная физиология' },
      scale: 'five_point',
      createdAt: now,
    })
    .returning();
  await ctx.db.insert(courseTeachers).values({ courseId: course?.id ?? '', userId: teacher.id });
  const sessions = await ctx.db
    .insert(classSessions)
    .values(
      ['2026-03-16T06:00:00Z', '2026-03-17T06:00:00Z', '2026-03-18T06:00:00Z'].map((at) => ({
        courseId: course?.id ?? '',
        startsAt: new Date(at),
        kind: 'practical',
      })),
    )
    .returning();
  const kofiId = rows.find((s) => s.number === KOFI)?.id ?? '';
  for (const session of sessions.slice(0, 2)) {
    await ctx.db.insert(attendance).values(
      rows.map((s) => ({
        sessionId: session.id,
        studentId: s.id,
        status: s.id === kofiId ? 'absent' : 'present',
        updatedBy: teacher.id,
        updatedAt: now,
      })),
    );
  }
  // Kofi's mother, linked by an invitation Kofi sent and she accepted.
  await ctx.db.insert(guardianLinks).values({
    studentId: kofiId,
    guardianUserId: parent.id,
    email: PARENT,
    relation: 'parent',
    status: 'active',
    createdBy: kofi.id,
    createdAt: now,
    confirmedAt: now,
    confirmedBy: parent.id,
  });
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  [server, browser] = await Promise.all([startServerWithSmtp(smtp.url), launchChromium()]);
  await seedGroup();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.close();
});

async function signIn(email: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('button[type="submit"]');
  await page.getByTestId('logout').waitFor();
  return page;
}

describe('the electronic register in the browser', () => {
  it('teacher marks a class with the keyboard → student and parent (in Russian) see the absence → the digest reports the streak', async () => {
    // The teacher opens the course from "Register" and marks the latest class with the keyboard.
    const teacher = await signIn(TEACHER);
    await teacher.getByRole('link', { name: 'Register' }).click();
    await teacher.locator(`[data-testid="teaching-row"][data-code="${COURSE}"]`).getByTestId('course-link').click();
    const grid = teacher.getByTestId('grid-attendance');
    await grid.waitFor();
    expect(await grid.getAttribute('role')).toBe('grid');
    const order = await grid
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => (tr.getAttribute('data-testid') ?? '').replace('grid-row-', '')));
    expect(order).toHaveLength(3);
    const latest = 2; // Columns are the classes in time order; the latest is focused first.
    await teacher.getByTestId(`cell-${order[0]}-${latest}`).click();
    for (const number of order) {
      await teacher.keyboard.press(number === KOFI ? 'a' : 'p');
      await teacher.keyboard.press('Enter');
    }
    for (const number of order) {
      const cell = teacher.getByTestId(`cell-${number}-${latest}`);
      await expect.poll(() => cell.getAttribute('data-value')).toBe(number === KOFI ? 'absent' : 'present');
    }
    await teacher.getByTestId('grid-saved').waitFor();
    expect(await teacher.getByTestId(`cell-${KOFI}-${latest}`).getAttribute('data-state')).toBe('saved');
    // The attendance column follows the server: three absences in a row.
    await expect.poll(() => teacher.getByTestId(`summary-${KOFI}`).textContent()).toContain('3 absences in a row');

    // The student sees the absence on /register/me (the digest links there too).
    const student = await signIn(STUDENT);
    await student.getByRole('link', { name: 'My register' }).click();
    await student.getByTestId('attendance-log').waitFor();
    expect(new URL(student.url()).pathname).toBe('/register/me');
    const absences = student.locator(`[data-testid="attendance-entry"][data-course="${COURSE}"][data-status="absent"]`);
    await expect.poll(() => absences.count()).toBe(3);
    expect(await student.getByTestId('risk').textContent()).toContain('3 absences in a row');

    // The parent, whose account is in Russian, sees the same in Russian.
    const parent = await signIn(PARENT);
    await parent.getByRole('link', { name: 'Мои студенты' }).click();
    await parent.getByTestId('child-link').click();
    await expect.poll(() => parent.getByTestId('student-name').textContent()).toBe('Кофи Менса');
    const entries = parent.locator(`[data-testid="attendance-entry"][data-course="${COURSE}"][data-status="absent"]`);
    await expect.poll(() => entries.count()).toBe(3);
    expect(await entries.first().textContent()).toContain('Не был');
    expect(await parent.getByTestId('risk').textContent()).toContain('3 пропуска подряд');

    // The daily digest tells the student (in English) and the parent (in Russian) about the streak.
    const { emails } = await sendRegisterDigest(server.ctx);
    expect(emails).toBe(2);
    const toStudent = await smtp.next(STUDENT);
    expect(toStudent.text).toContain('Unexcused absences in a row: 3');
    expect(toStudent.text).toContain(`${COURSE} Normal Physiology`);
    const toParent = await smtp.next(PARENT);
    expect(toParent.text).toContain(`Кофи Менса (${KOFI})`);
    expect(toParent.text).toContain('Пропуски подряд без уважительной причины: 3');
    expect(toParent.text).toContain(`${COURSE} Нормальная физиология`);
    // Sent once: a second run the same day sends nothing.
    expect((await sendRegisterDigest(server.ctx)).emails).toBe(0);

    // An excused absence with its justification: the teacher gives the reason and attaches a scan.
    const other = order.find((number) => number !== KOFI) as string;
    await teacher.getByTestId(`cell-${other}-0`).click();
    await teacher.keyboard.press('e');
    await teacher.getByTestId('excuse-reason').fill('Flu, note from the clinic');
    await teacher
      .getByTestId('excuse-document')
      .setInputFiles({ name: 'note.pdf', mimeType: 'application/pdf', buffer: pdfBytes(3000) });
    await teacher.getByTestId('excuse-confirm').click();
    await expect
      .poll(async () => {
        const rows = await server.ctx.db.execute(
          sql`select a.status, a.reason, a.document_sha256 from attendance a join students s on s.id = a.student_id
              where s.number = ${other} and a.document_sha256 is not null`,
        );
        return rows.rows as { status: string; reason: string }[];
      })
      .toEqual([expect.objectContaining({ status: 'excused', reason: 'Flu, note from the clinic' })]);
  });
});
