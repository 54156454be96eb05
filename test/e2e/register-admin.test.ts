import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { universities } from '../../src/db/schema.js';
import { ManualClock } from '../../src/domain/clock.js';
import { seedDemoCatalog } from '../../src/seed/demo.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { TEST_PASSWORD } from '../helpers/test-app.js';
import { launchChromium, type RunningServer, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;
let teacherId = '';
const OFFICER = 'registrar@bsmu.test';
const TEACHER = 'anatomy.teacher@bsmu.test';
const STUDENT = 'kwame.mensah@student.test';
// A Friday in the spring term: the week of sessions below is in the past.
const clock = new ManualClock(new Date('2026-03-20T12:00:00Z'));

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ clock }), launchChromium()]);
  await seedDemoCatalog(server.ctx);
  const [bsmu] = await server.ctx.db.select().from(universities).where(eq(universities.slug, 'bsmu'));
  const universityId = bsmu?.id ?? '';
  await createUser(
    server.ctx,
    { email: OFFICER, password: TEST_PASSWORD, fullName: 'Alena Registrar', role: 'officer', universityId },
    SYSTEM_ACTOR,
  );
  const teacher = await createUser(
    server.ctx,
    { email: TEACHER, password: TEST_PASSWORD, fullName: 'Ivan Anatomist', role: 'teacher', universityId },
    SYSTEM_ACTOR,
  );
  teacherId = teacher.id;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
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

/** The teacher enters attendance through the API (the grid has its own journey): 4 of 5 sessions attended. */
async function enterAttendance(courseId: string): Promise<void> {
  const { app } = server;
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: TEACHER, password: TEST_PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const cookie = `${login.cookies[0]?.name}=${login.cookies[0]?.value}`;
  const headers = { cookie, 'x-csrf-token': login.json().csrfToken, origin: server.url };
  const sheet = await app.inject({ method: 'GET', url: `/api/v1/register/courses/${courseId}/sheet`, headers });
  expect(sheet.statusCode).toBe(200);
  const { sessions, students } = sheet.json() as { sessions: { id: string }[]; students: { id: string }[] };
  expect(sessions).toHaveLength(5);
  const studentId = students[0]?.id ?? '';
  for (const [i, session] of sessions.entries()) {
    const saved = await app.inject({
      method: 'PUT',
      url: `/api/v1/register/courses/${courseId}/attendance`,
      headers,
      payload: { sessionId: session.id, marks: [{ studentId, status: i === 0 ? 'absent' : 'present' }] },
    });
    expect(saved.statusCode, saved.body).toBe(200);
  }
}

async function tab(page: Page, section: string): Promise<void> {
  await page.getByTestId(`register-tab-${section}`).click();
  await page.getByTestId(`${section}-section`).waitFor();
}

describe('the register administration in the browser', () => {
  it('term → group → student → course with a teacher → weekly sessions → dashboard → threshold → close the term', async () => {
    const page = await signIn(OFFICER);
    await page.getByRole('link', { name: 'Register', exact: true }).click();
    await page.getByTestId('terms-section').waitFor();

    // A term.
    const termForm = page.getByTestId('term-form');
    await termForm.locator('input[name="academicYear"]').fill('2025/2026');
    await termForm.locator('input[name="name.en"]').fill('Spring 2026');
    await termForm.locator('input[name="name.ru"]').fill('Весна 2026');
    await termForm.locator('input[name="startsOn"]').fill('2026-02-01');
    await termForm.locator('input[name="endsOn"]').fill('2026-06-30');
    await termForm.locator('button[type="submit"]').click();
    const termRow = page.locator('[data-testid="term-row"][data-term="Spring 2026"]');
    await termRow.waitFor();
    expect(await termRow.getAttribute('data-closed')).toBe('false');

    // A group.
    await tab(page, 'groups');
    const groupForm = page.getByTestId('group-form');
    await groupForm.locator('input[name="code"]').fill('GM-101');
    await groupForm.locator('input[name="academicYear"]').fill('2025/2026');
    await groupForm.locator('input[name="faculty.en"]').fill('General Medicine');
    await groupForm.locator('input[name="faculty.ru"]').fill('Лечебный факультет');
    await groupForm.locator('button[type="submit"]').click();
    await page.locator('[data-testid="group-row"][data-code="GM-101"]').waitFor();

    // A student, put in the group.
    await tab(page, 'students');
    const studentForm = page.getByTestId('student-form');
    await studentForm.locator('input[name="nameLatin"]').fill('Kwame Mensah');
    await studentForm.locator('input[name="nameCyrillic"]').fill('Кваме Менса');
    await studentForm.locator('input[name="email"]').fill(STUDENT);
    await studentForm.locator('input[name="number"]').fill('S-2026-001');
    await studentForm.locator('select[name="groupId"] option', { hasText: 'GM-101' }).waitFor({ state: 'attached' });
    await studentForm.locator('select[name="groupId"]').selectOption({ label: 'GM-101 (2025/2026)' });
    await studentForm.locator('button[type="submit"]').click();
    await studentForm.getByTestId('success').waitFor();
    const studentRow = page.locator('[data-testid="student-row"][data-number="S-2026-001"]');
    await studentRow.waitFor();
    expect(await studentRow.textContent()).toContain('GM-101');

    // A course with its teacher, then a week of sessions.
    await tab(page, 'courses');
    const courseForm = page.getByTestId('course-form');
    await courseForm.locator('select[name="termId"] option', { hasText: 'Spring 2026' }).waitFor({ state: 'attached' });
    await courseForm.locator('select[name="termId"]').selectOption({ label: 'Spring 2026 (2025/2026)' });
    await courseForm.locator('select[name="groupId"]').selectOption({ label: 'GM-101 (2025/2026)' });
    await courseForm.locator('input[name="code"]').fill('ANAT-1');
    await courseForm.locator('input[name="name.en"]').fill('Anatomy');
    await courseForm.locator('input[name="name.ru"]').fill('Анатомия');
    await courseForm.locator('select[name="scale"]').selectOption('five_point');
    const teachers = courseForm.getByTestId('course-teachers');
    await teachers.waitFor();
    if ((await teachers.evaluate((el) => el.tagName)) === 'INPUT') await teachers.fill(teacherId);
    else await teachers.getByLabel('Ivan Anatomist').check();
    await courseForm.locator('button[type="submit"]').click();
    const courseRow = page.locator('[data-testid="course-row"][data-code="ANAT-1"]');
    await courseRow.waitFor();
    expect(await courseRow.textContent()).toContain('Ivan Anatomist');

    const sessionsForm = page.getByTestId('sessions-form');
    await sessionsForm.waitFor();
    await sessionsForm.locator('input[name="weekly.from"]').fill('2026-03-02');
    await sessionsForm.locator('input[name="weekly.to"]').fill('2026-03-06');
    for (const day of [1, 2, 3, 4, 5]) await sessionsForm.getByTestId(`weekday-${day}`).check();
    await sessionsForm.locator('input[name="weekly.time"]').fill('09:00');
    await sessionsForm.locator('button[type="submit"]').click();
    await expect.poll(() => sessionsForm.getByTestId('success').textContent()).toContain('5 sessions created');
    await expect.poll(() => page.getByTestId('course-outline').textContent()).toContain('Sessions: 5');

    const courseId = await page.evaluate(async () => {
      const answer = await fetch('/api/v1/register/teaching');
      const { items } = (await answer.json()) as { items: { id: string; code: string }[] };
      return items.find((c) => c.code === 'ANAT-1')?.id ?? '';
    });
    await enterAttendance(courseId);

    // The dashboard: 80 % attendance is not below the default 80 % threshold.
    await page.getByRole('link', { name: 'Register dashboard' }).first().click();
    await page.getByTestId('dashboard').waitFor();
    await expect.poll(() => page.getByTestId('summary-students').textContent()).toBe('1');
    expect(await page.getByTestId('summary-attendance').textContent()).toMatch(/80\s?%/);
    const bar = page.locator('[data-testid="attendance-bar"][data-group="GM-101"]');
    expect(await bar.textContent()).toMatch(/80\s?%/);
    await page.getByTestId('at-risk-none').waitFor();
    expect(await page.getByTestId('dashboard-xlsx').getAttribute('href')).toContain('/api/v1/register/dashboard.xlsx');

    // The officer raises the threshold to 90 %…
    await page.goto(`${server.url}/register/admin?section=settings`);
    const settings = page.getByTestId('settings-form');
    await settings.waitFor();
    await settings.locator('input[name="atRisk.minAttendanceRate"]').fill('90');
    await settings.locator('button[type="submit"]').click();
    await settings.getByTestId('success').waitFor();

    // …and the student is now at risk, with the reason in words.
    await page.goto(`${server.url}/register/dashboard`);
    const risk = page.locator('[data-testid="at-risk-row"][data-number="S-2026-001"]');
    await risk.waitFor();
    expect(await risk.getByTestId('risk-reason').first().textContent()).toMatch(/attendance 80\s?% < 90\s?%/);
    expect(await page.getByTestId('summary-at-risk').textContent()).toBe('1');

    // Closing the term.
    await page.getByRole('link', { name: 'Register', exact: true }).click();
    const row = page.locator('[data-testid="term-row"][data-term="Spring 2026"]');
    await row.getByTestId('term-close').click();
    await page.getByTestId('term-reason').fill('End of the spring term');
    await page.getByTestId('term-dialog-confirm').click();
    await expect.poll(() => row.getAttribute('data-closed')).toBe('true');
    expect(await page.getByTestId('terms-result').textContent()).toContain('is closed');
  });
});
