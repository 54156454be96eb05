import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adaptationTemplates, agencies, agencyUniversities, universities } from '../../src/db/schema.js';
import { ManualClock } from '../../src/domain/clock.js';
import { seedDemoCatalog } from '../../src/seed/demo.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { pdfBytes } from '../helpers/files.js';
import { TEST_PASSWORD } from '../helpers/test-app.js';
import { launchChromium, type RunningServer, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;
let dir: string;
const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
const PROGRAM = 'kaznmu-residency-cardiology';
const CONSULTANT = 'aliya@steppe-agency.test';
const PERSON = 'ngozi.adeyemi@example.org';
const PERSON_PASSWORD = 'Lagos to Almaty by autumn';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ clock }), launchChromium()]);
  await seedDemoCatalog(server.ctx);
  const [agency] = await server.ctx.db
    .insert(agencies)
    .values({ slug: 'steppe-agency', nameEn: 'Steppe Study Agency', nameRu: 'Агентство «Степь»' })
    .returning();
  const [kaznmu] = await server.ctx.db.select().from(universities).where(eq(universities.slug, 'kaznmu'));
  await server.ctx.db.insert(agencyUniversities).values({ agencyId: agency?.id ?? '', universityId: kaznmu?.id ?? '' });
  await createUser(
    server.ctx,
    {
      email: CONSULTANT,
      password: TEST_PASSWORD,
      fullName: 'Aliya Consultant',
      role: 'consultant',
      agencyId: agency?.id ?? '',
    },
    SYSTEM_ACTOR,
  );
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-e2e-agency-'));
  fs.writeFileSync(path.join(dir, 'passport.pdf'), pdfBytes());
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The first link matching `pattern` in an e-mail to `to` in the file outbox. */
async function mailLink(to: string, pattern: RegExp): Promise<string> {
  const outbox = path.join(server.config.dataDir, 'outbox');
  for (let i = 0; i < 100; i++) {
    for (const file of fs.existsSync(outbox) ? fs.readdirSync(outbox) : []) {
      const mail = await simpleParser(fs.readFileSync(path.join(outbox, file)));
      const link = pattern.exec(mail.text ?? '')?.[0];
      if (JSON.stringify(mail.to).includes(to) && link) return link;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail to ${to} with ${pattern}`);
}

async function newPage(): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
}

async function signIn(email: string, password = TEST_PASSWORD): Promise<Page> {
  const page = await newPage();
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.getByTestId('logout').waitFor();
  return page;
}

describe('the agency workspace in the browser', () => {
  it('question → lead → invitation → register and grant "act" → upload on behalf → revoke → consultant loses access', async () => {
    // A visitor asks a question on a program page; the form must be a few seconds old.
    const visitor = await newPage();
    await visitor.goto(`${server.url}/programs/${PROGRAM}`);
    const form = visitor.getByTestId('ask-form');
    await form.waitFor();
    // The honeypot is out of reach for people and assistive technology.
    const honeypot = form.locator('input[name="website"]');
    expect(await honeypot.getAttribute('tabindex')).toBe('-1');
    expect(await honeypot.getAttribute('autocomplete')).toBe('off');
    await form.locator('input[name="name"]').fill('Ngozi Adeyemi');
    await form.locator('input[name="email"]').fill(PERSON);
    await form.locator('select[name="citizenship"]').selectOption('NG');
    await form.locator('select[name="level"]').selectOption('residency');
    await form.locator('input[name="specialty"]').fill('Cardiology');
    await form.locator('textarea[name="message"]').fill('Can I enter cardiology residency with a Nigerian MBBS?');
    await expect.poll(() => form.locator('button[type="submit"]').isEnabled()).toBe(true); // the token is here
    clock.advance(5_000);
    await form.locator('button[type="submit"]').click();
    await expect.poll(() => visitor.getByTestId('ask-success').textContent()).toContain('acknowledgment e-mail');

    // The consultant sees the lead in the agency's queue and invites the person.
    const consultant = await signIn(CONSULTANT);
    await consultant.getByRole('link', { name: 'Agency' }).click();
    const row = consultant.locator(`[data-testid="lead-row"][data-email="${PERSON}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Nigeria');
    await row.getByTestId('lead-link').click();
    expect(await consultant.getByTestId('lead-message').textContent()).toContain('Nigerian MBBS');
    // Where it was asked, by name rather than by slug.
    const header = (await consultant.locator('.page-header').textContent()) ?? '';
    expect(header).toContain('Cardiology, including children');
    expect(header).not.toContain(PROGRAM);
    // A note and a reminder with a due date about the lead.
    const notes = consultant.getByTestId('lead-notes');
    await notes.getByTestId('note-submit').click();
    await notes.locator('.field-error').waitFor();
    await notes.getByTestId('note-body').fill('Has an MBBS from Lagos; wants to start in 2026.');
    await notes.getByTestId('note-submit').click();
    await expect.poll(() => notes.getByTestId('note-list').textContent()).toContain('MBBS from Lagos');
    const tasks = consultant.getByTestId('lead-tasks');
    await tasks.locator('input[name="title"]').fill('Call Ngozi back');
    await tasks.locator('input[name="dueAt"]').fill('2026-06-03T10:00');
    await tasks.locator('button[type="submit"]').click();
    await expect.poll(() => tasks.getByTestId('task-list').textContent()).toContain('Call Ngozi back');
    await consultant.getByTestId('lead-contacted').click();
    await expect.poll(() => consultant.getByTestId('lead-result').textContent()).toContain('contacted');
    await consultant.getByTestId('lead-invite').click();
    await expect.poll(() => consultant.getByTestId('lead-result').textContent()).toContain(`sent to ${PERSON}`);

    // The invitation e-mail leads to registration; the invitation is kept through it.
    const invitation = await mailLink(PERSON, /https?:\/\/\S+\/agency-invitation\?token=[A-Za-z0-9_-]+/);
    const person = await newPage();
    await person.goto(invitation);
    expect(await person.getByTestId('invitation-agency').textContent()).toContain('Steppe Study Agency');
    await person.getByTestId('invitation-register').click();
    await person.fill('input[name="fullName"]', 'Ngozi Adeyemi');
    await person.fill('input[name="email"]', PERSON);
    await person.fill('input[name="password"]', PERSON_PASSWORD);
    await person.click('button[type="submit"]');
    await person.getByTestId('success').waitFor();
    await person.goto(await mailLink(PERSON, /https?:\/\/\S+verify-email\?token=[A-Za-z0-9_-]+/));
    await person.getByTestId('success').getByRole('link').click();
    await person.fill('input[name="email"]', PERSON);
    await person.fill('input[name="password"]', PERSON_PASSWORD);
    await person.click('button[type="submit"]');
    // Back on the invitation: view and act.
    const grantForm = person.getByTestId('grant-form');
    await grantForm.waitFor();
    expect(person.url()).toContain('/agency-invitation?token=');
    await person.getByTestId('scope-act').check();
    await grantForm.locator('button[type="submit"]').click();
    await expect.poll(() => person.getByTestId('grant-done').textContent()).toContain('act for you');
    // Opening the link again says it was used, not that it is invalid.
    await person.goto(invitation);
    await expect.poll(() => person.getByTestId('invitation-used').textContent()).toContain('already used');

    // The consultant acts for the applicant: uploads a passport scan on their behalf.
    await consultant.goto(`${server.url}/agency/applicants`);
    const pipelineRow = consultant.getByTestId('applicant-row').filter({ hasText: PERSON });
    await pipelineRow.waitFor();
    expect(await pipelineRow.getAttribute('data-stage')).toBe('inquiry'); // from the lead
    await pipelineRow.getByTestId('applicant-link').click();
    await consultant.getByTestId('agency-applicant-name').waitFor();
    expect(await consultant.getByTestId('grant-scope').getAttribute('data-scope')).toBe('act');
    // The consultant takes charge of the case.
    expect(await consultant.getByTestId('case-consultant').textContent()).toContain('Nobody');
    await consultant.getByTestId('case-consultant-select').selectOption({ label: 'Aliya Consultant' });
    await consultant.getByRole('button', { name: 'Assign' }).click();
    await expect.poll(() => consultant.getByTestId('case-consultant').textContent()).toContain('Aliya Consultant');
    const applicantUrl = consultant.url();
    await consultant.getByTestId('agency-upload-kind').selectOption('passport');
    await consultant.getByTestId('agency-upload').setInputFiles(path.join(dir, 'passport.pdf'));
    await consultant.getByTestId('agency-upload-submit').click();
    await expect.poll(() => consultant.getByTestId('agency-documents').textContent()).toContain('passport.pdf');
    // Its download goes through the agency's address.
    const download = consultant.getByTestId('agency-documents').locator('a[download]').first();
    expect(await download.getAttribute('href')).toMatch(/^\/api\/v1\/agency\/applicants\/[0-9a-f-]+\/documents\//);

    // The applicant sees the document, then revokes the agency's access.
    await person.goto(`${server.url}/documents`);
    await expect
      .poll(async () => (await person.getByTestId('kind-passport').textContent()) ?? '')
      .toContain('passport.pdf');
    await person.goto(`${server.url}/account`);
    const grantRow = person.locator('[data-testid="grant-row"][data-agency="steppe-agency"][data-active="true"]');
    await grantRow.waitFor();
    await grantRow.getByTestId('grant-revoke').click();
    await person.getByTestId('revoke-dialog-confirm').click();
    await expect.poll(() => person.getByTestId('grants-result').textContent()).toContain('no longer has access');
    expect(await person.locator('[data-testid="grant-row"][data-active="true"]').count()).toBe(0);

    // The consultant's very next request for that applicant finds nothing.
    await consultant.goto(applicantUrl);
    await consultant.getByTestId('not-found').waitFor();
    expect(await consultant.getByTestId('not-found').textContent()).toContain('has not given your agency access');
  });

  it("an officer edits the university's arrival checklists, with errors shown on the fields", async () => {
    const [kaznmu] = await server.ctx.db.select().from(universities).where(eq(universities.slug, 'kaznmu'));
    await createUser(
      server.ctx,
      {
        email: 'officer@kaznmu.test',
        password: TEST_PASSWORD,
        fullName: 'Dana Officer',
        role: 'officer',
        universityId: kaznmu?.id ?? '',
      },
      SYSTEM_ACTOR,
    );
    const officer = await signIn('officer@kaznmu.test');
    await officer.getByRole('link', { name: 'Arrival checklists' }).click();
    await officer.getByTestId('adaptation-default').waitFor();
    await officer.getByTestId('start-from-default').click();
    const template = officer.getByTestId('template').first();
    expect(await template.getByTestId('template-country').inputValue()).toBe('*');
    const first = template.getByTestId('template-item').first();
    expect(await first.getByTestId('item-id').inputValue()).toBe('migration_registration');
    await first.getByTestId('item-due-days').fill('400');
    await template.getByTestId('add-item').click();
    const added = template.getByTestId('template-item').last();
    await added.getByTestId('item-id').fill('Welcome Meeting');
    await officer.getByRole('button', { name: 'Save the checklists' }).click();
    await officer.getByTestId('form-error').waitFor();
    expect(await first.locator('.field-error').textContent()).toContain('from 0 to 365');
    expect(await added.locator('.field-error').allTextContents()).toEqual([
      'Use 1 to 40 lower-case Latin letters, digits or _.',
      'Enter the title (at most 200 characters).',
      'Enter the title (at most 200 characters).',
      'Enter a whole number of days from 0 to 365.',
    ]);
    expect(await first.getByTestId('item-due-days').getAttribute('aria-invalid')).toBe('true');

    await first.getByTestId('item-due-days').fill('5');
    await added.getByTestId('item-id').fill('welcome_meeting');
    await added.getByTestId('item-title-en').fill('Welcome meeting');
    await added.getByTestId('item-title-ru').fill('Встреча первокурсников');
    await added.getByTestId('item-due-days').fill('2');
    await added.getByTestId('item-essential').uncheck();
    await officer.getByRole('button', { name: 'Save the checklists' }).click();
    await expect.poll(() => officer.getByTestId('adaptation-saved').textContent()).toContain('saved');

    const saved = await server.ctx.db.select().from(adaptationTemplates);
    expect(saved).toHaveLength(1);
    const items = saved[0]?.items as { id: string; dueDays: number; essential: boolean }[];
    expect(items[0]).toMatchObject({ id: 'migration_registration', dueDays: 5 });
    expect(items.at(-1)).toMatchObject({ id: 'welcome_meeting', dueDays: 2, essential: false });
    // After a reload the saved checklist is what the page shows.
    await officer.reload();
    await expect
      .poll(() => officer.getByTestId('template-item').last().getByTestId('item-id').inputValue())
      .toBe('welcome_meeting');
  });
});
