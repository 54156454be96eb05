import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { seedDemoCampaigns, seedDemoCatalog } from '../../src/seed/demo.js';
import { findCampaign } from '../../src/server/campaigns/campaign.service.js';
import { SYSTEM_PRINCIPAL } from '../../src/server/policies/policy.js';
import { assignReaders } from '../../src/server/scoring/review.service.js';
import { presetRubric, saveReviewSettings, saveRubric } from '../../src/server/scoring/rubric.service.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { SCORED_DOSSIER } from '../helpers/dossier-fixtures.js';
import { multipart, pdfBytes } from '../helpers/files.js';
import { launchChromium, type RunningServer, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;
const CAMPAIGN = 'kaznmu-residency-2026';
const PASSWORD = 'Reading files carefully 2026';

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startServer({ clock: new ManualClock(new Date('2026-07-01T09:00:00Z')) }),
    launchChromium(),
  ]);
  await seedDemoCatalog(server.ctx);
  await seedDemoCampaigns(server.ctx);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('button[type="submit"]');
  await page.getByTestId('logout').waitFor();
  return page;
}

/** An applicant who submitted to KazNMU through the API (the application journey covers the screens). */
async function submittedApplicant(): Promise<void> {
  const { app } = server;
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: 'amina@applicant.test', password: PASSWORD },
  });
  const cookie = `${login.cookies[0]?.name}=${login.cookies[0]?.value}`;
  const headers = { cookie, 'x-csrf-token': login.json().csrfToken };
  const dossier = SCORED_DOSSIER;
  await app.inject({ method: 'PUT', url: '/api/v1/me/dossier', headers, payload: dossier });
  for (const query of [
    'kind=passport',
    'kind=education_document&relatesTo=mbbs',
    'kind=transcript&relatesTo=mbbs',
    'kind=internship_certificate',
  ]) {
    const body = multipart('doc.pdf', pdfBytes());
    await app.inject({
      method: 'POST',
      url: `/api/v1/me/documents?${query}`,
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
  }
  const campaign = (await app.inject({ method: 'GET', url: `/api/v1/campaigns/${CAMPAIGN}` })).json();
  const cardiology = campaign.competitions.find(
    (c: { program: { slug: string } }) => c.program.slug === 'kaznmu-residency-cardiology',
  ).id;
  await app.inject({
    method: 'PUT',
    url: `/api/v1/me/applications/${CAMPAIGN}/choices`,
    headers,
    payload: { competitions: [cardiology] },
  });
  const submitted = await app.inject({
    method: 'POST',
    url: `/api/v1/me/applications/${CAMPAIGN}/submit`,
    headers: { ...headers, 'idempotency-key': 'review-journey-1' },
  });
  expect(submitted.statusCode).toBe(201);
}

async function score(page: Page, change?: { olympiad: string; reason: string }) {
  await page.goto(`${server.url}/reviews`);
  const item = page.locator('[data-testid^="review-"]').first();
  await item.locator('a').first().click();
  await page.locator('[name="inputs.average_grade"]').first().waitFor();
  if (change) {
    await page.locator(`input[name="inputs.olympiad"][value="${change.olympiad}"]`).check();
    await page.locator('[name="reasons.olympiad"]').fill(change.reason);
  }
  await page.getByTestId('submit-review').click();
  await page.getByTestId('file-status').waitFor();
}

describe('two readers, a reconciliation and the applicant’s breakdown', () => {
  it('reader 1 confirms, reader 2 corrects → senior reconciles → the applicant sees points per criterion', async () => {
    const ctx = server.ctx;
    const kaznmu = (await server.app.inject({ method: 'GET', url: '/api/v1/universities/kaznmu' })).json().id as string;
    const officer = await createUser(
      ctx,
      {
        email: 'senior@kaznmu.test',
        password: PASSWORD,
        fullName: 'Senior Reviewer',
        role: 'officer',
        universityId: kaznmu,
      },
      SYSTEM_ACTOR,
    );
    for (const n of [1, 2]) {
      await createUser(
        ctx,
        {
          email: `reader${n}@kaznmu.test`,
          password: PASSWORD,
          fullName: `Reader ${n}`,
          role: 'reviewer',
          universityId: kaznmu,
        },
        SYSTEM_ACTOR,
      );
    }
    await createUser(
      ctx,
      { email: 'amina@applicant.test', password: PASSWORD, fullName: 'Amina Bello', role: 'applicant' },
      SYSTEM_ACTOR,
    );
    await submittedApplicant();
    const campaign = await findCampaign(ctx.db, CAMPAIGN);
    await saveRubric(ctx, SYSTEM_PRINCIPAL, campaign, presetRubric('rudn-2021-bachelor-specialist'), SYSTEM_ACTOR);
    await saveReviewSettings(
      ctx,
      SYSTEM_PRINCIPAL,
      campaign,
      { readersRequired: 2, reconciliationThreshold: 4, seniorReviewerId: officer.id },
      SYSTEM_ACTOR,
    );
    await assignReaders(ctx, SYSTEM_PRINCIPAL, await findCampaign(ctx.db, CAMPAIGN), SYSTEM_ACTOR);

    const reader1 = await signIn('reader1@kaznmu.test');
    await score(reader1);
    expect(await reader1.getByTestId('file-status').getAttribute('data-status')).toBe('incomplete');
    const reader2 = await signIn('reader2@kaznmu.test');
    await score(reader2, { olympiad: 'prize_winner', reason: 'The certificate says prize-winner' });
    await expect
      .poll(() => reader2.getByTestId('file-status').getAttribute('data-status'))
      .toBe('needs_reconciliation');

    const senior = await signIn('senior@kaznmu.test');
    await senior.goto(`${server.url}/reviews`);
    await senior.locator('[data-testid^="review-"]').first().locator('a').first().click();
    await senior.getByTestId('readers').waitFor();
    expect(await senior.getByTestId('readers').textContent()).toMatch(/75/);
    await senior.locator('input[name="inputs.olympiad"][value="prize_winner"]').check();
    await senior.locator('[name="reasons.olympiad"]').fill('Prize-winner per the certificate');
    await senior.getByTestId('submit-review').click();
    await expect.poll(() => senior.getByTestId('file-status').getAttribute('data-status')).toBe('final');

    const applicant = await signIn('amina@applicant.test');
    await applicant.goto(`${server.url}/applications/${CAMPAIGN}`);
    await applicant.getByTestId('language-switch').selectOption('ru');
    const breakdown = applicant.getByTestId('score-breakdown');
    await breakdown.waitFor();
    await expect.poll(async () => (await breakdown.textContent()) ?? '').toMatch(/75/);
    expect(await applicant.getByTestId('score-olympiad').textContent()).toMatch(/35/);
    expect(await breakdown.textContent()).toMatch(/олимпиад/i);
  });
});
