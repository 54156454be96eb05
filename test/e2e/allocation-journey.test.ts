import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import {
  type Applicant,
  allocationCampaign,
  type Fixture,
  submittedApplicants,
} from '../helpers/allocation-fixtures.js';
import { TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';
import { launchChromium, type RunningServer, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;
let fixture: Fixture;
let merdan: Applicant;
const clock = new ManualClock(new Date('2026-08-25T09:00:00Z'));
const SLUG = 'alloc-e2e';
const OFFICER = 'officer@alloc-e2e.test';

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ clock }), launchChromium()]);
  // The fixture helpers need only the context and the clock of a test app.
  const t = { ctx: server.ctx, clock, app: server.app } as unknown as TestApp;
  fixture = await allocationCampaign(t, SLUG, [
    { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 2 },
    { program: 'kaznmu-residency-endocrinology', funding: 'contract', seats: 1 },
  ]);
  const people = await submittedApplicants(t, fixture, [
    { name: 'Ataev Merdan', citizenship: 'TM', language: 90, specialty: 90, choices: [0, 1] },
    { name: 'Serik Aidos', citizenship: 'KZ', language: 80, specialty: 80, choices: [0, 1] },
    { name: 'Rao Asha', citizenship: 'IN', language: 70, specialty: 75, choices: [0, 1] },
  ]);
  merdan = people[0] as Applicant;
  await createUser(
    server.ctx,
    {
      email: OFFICER,
      password: TEST_PASSWORD,
      fullName: 'Aigerim Officer',
      role: 'officer',
      universityId: fixture.universityId,
    },
    SYSTEM_ACTOR,
  );
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(email: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', TEST_PASSWORD);
  await page.click('button[type="submit"]');
  await page.getByTestId('logout').waitFor();
  return page;
}

describe('allocation, ranked lists and enrollment in the browser', () => {
  it('officer runs the allocation → public list → TM applicant confirms a paid place → S4-14 → prepayment → invitation → order PDF', async () => {
    const cardiology = fixture.competitionIds[0] as string;

    // The officer runs the allocation with a reason and sees the summary.
    const officer = await signIn(OFFICER);
    await officer.goto(`${server.url}/office/campaigns/${SLUG}#allocation`);
    const runForm = officer.getByTestId('run-allocation');
    await runForm.locator('input[name="reason"]').fill('first wave after exams');
    await runForm.locator('button[type="submit"]').click();
    await officer.getByTestId('run-summary').waitFor();
    expect(await officer.getByTestId('run-offers').textContent()).toContain('Offers made: 3');
    expect(await officer.getByTestId('run-stat-applicants').textContent()).toBe('3');
    await expect.poll(() => officer.getByTestId('run-row').count()).toBe(1);
    expect(await officer.getByTestId('run-row').first().getAttribute('data-status')).toBe('published');

    // Anyone can open the published lists: codes, no names.
    const visitor = await (await browser.newContext()).newPage();
    await visitor.goto(`${server.url}/lists/${SLUG}`);
    expect(await visitor.getByTestId('lists-run-seq').textContent()).toContain('1');
    await visitor.getByTestId(`open-list-${cardiology}`).click();
    await expect.poll(() => visitor.getByTestId('ranked-entry').count()).toBe(3);
    const codes = await visitor.getByTestId('ranked-entry').evaluateAll((rows) => rows.map((r) => r.dataset.code));
    expect(codes.every((c) => typeof c === 'string' && c.length > 0)).toBe(true);
    expect(await visitor.getByTestId('ranked-list').textContent()).not.toContain('Ataev');

    // The Turkmen applicant sees the paid offer and confirms it with consent and the contract.
    const applicant = await signIn(merdan.email);
    await applicant.getByRole('link', { name: 'Admission' }).click();
    const offer = applicant.getByTestId('offer-card');
    await offer.waitFor();
    expect(await offer.getAttribute('data-status')).toBe('offered');
    const code = (await applicant.getByTestId('my-code').textContent()) ?? '';
    expect(codes).toContain(code);
    expect(await applicant.getByTestId('priority-1').getAttribute('data-state')).toBe('admitted');
    await applicant.getByTestId('offer-consent').check();
    // Without the contract the form refuses and says why.
    await applicant.getByTestId('offer-confirm-form').locator('button[type="submit"]').click();
    await applicant.getByTestId('form-error').waitFor();
    await applicant.getByTestId('offer-acceptContract').check();
    await applicant.getByTestId('offer-confirm-form').locator('button[type="submit"]').click();
    await expect.poll(() => applicant.getByTestId('admission-status').textContent()).toContain('consent is recorded');
    expect(await applicant.getByTestId('offer-prepayment').textContent()).toContain('prepayment');

    // S4-14: no invitation before the prepayment is confirmed.
    const blocker = applicant.getByTestId('visa-blocker');
    await blocker.waitFor();
    // The visa panel refreshes after the confirmation: it said "consent missing" until then.
    await expect.poll(() => blocker.getAttribute('data-blocker')).toBe('prepayment_not_confirmed');
    expect(await blocker.textContent()).toContain('S4-14');
    expect(await applicant.getByTestId('visa-form').locator('button[type="submit"]').isDisabled()).toBe(true);

    // "Find my code" from the applicant's page highlights their row.
    await applicant.getByTestId('priority-1-list').click();
    await expect.poll(() => applicant.getByTestId('find-code-result').textContent()).toContain('position 1');
    expect(
      await applicant.locator(`[data-testid="ranked-entry"][data-code="${code}"]`).getAttribute('aria-current'),
    ).toBe('true');

    // The officer confirms the prepayment.
    await officer.reload();
    const row = officer.locator(`[data-testid="admission-row"][data-number="${merdan.number}"]`);
    await row.waitFor();
    await row.locator('form[data-testid^="prepayment-"] input[name="reference"]').fill('PAY-001');
    await row.locator('form[data-testid^="prepayment-"] button[type="submit"]').click();
    await expect.poll(() => officer.getByTestId('admissions-result').textContent()).toContain('Prepayment');
    await expect.poll(() => row.locator('[data-status]').first().getAttribute('data-status')).toBe('confirmed');

    // Now the applicant can request the invitation and sees the visa path.
    await applicant.goto(`${server.url}/admissions`);
    const form = applicant.getByTestId('visa-form');
    await form.waitFor();
    expect(await applicant.getByTestId('visa-blocker').count()).toBe(0);
    await form.locator('input[name="passportNumber"]').fill('A1234567');
    await form.locator('input[name="consulateCity"]').fill('Ashgabat');
    await form.locator('select[name="consulateCountry"]').selectOption('TM');
    await form.locator('button[type="submit"]').click();
    await applicant.getByTestId('visa-path').waitFor();
    expect(await applicant.getByTestId('visa-path').getAttribute('data-status')).toBe('requested');

    // The officer issues the order and downloads it as PDF.
    const order = officer.getByTestId('issue-order');
    await order.locator('select[name="competitionId"]').selectOption(cardiology);
    await order.locator('input[name="signedBy"]').fill('A. Rector, Rector');
    await order.locator('button[type="submit"]').click();
    await expect.poll(() => officer.getByTestId('order-issued').textContent()).toMatch(/Order .+ issued/);
    const orderRow = officer.getByTestId('order-row').first();
    await orderRow.waitFor();
    const [download] = await Promise.all([
      officer.waitForEvent('download'),
      orderRow.getByTestId('order-pdf-ru').click(),
    ]);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);

    // The applicant sees the order number once enrolled.
    await applicant.reload();
    await expect.poll(() => applicant.getByTestId('offer-card').getAttribute('data-status')).toBe('enrolled');
    expect(await applicant.getByTestId('offer-order').textContent()).toBeTruthy();
  });
});
