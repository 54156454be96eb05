import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { seedDemoCampaigns, seedDemoCatalog } from '../../src/seed/demo.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { pdfBytes, pngBytes } from '../helpers/files.js';
import { launchChromium, type RunningServer, setField, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;
let dir: string;
const CAMPAIGN = 'kaznmu-residency-2026';

beforeAll(async () => {
  // 1 July 2026: inside KazNMU's 20 June – 20 July application window (S2-3).
  [server, browser] = await Promise.all([
    startServer({ clock: new ManualClock(new Date('2026-07-01T09:00:00Z')) }),
    launchChromium(),
  ]);
  await seedDemoCatalog(server.ctx);
  await seedDemoCampaigns(server.ctx);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-e2e-files-'));
  fs.writeFileSync(path.join(dir, 'passport.pdf'), pdfBytes());
  fs.writeFileSync(path.join(dir, 'diploma.pdf'), pdfBytes());
  fs.writeFileSync(path.join(dir, 'diploma-notarized.pdf'), pdfBytes());
  fs.writeFileSync(path.join(dir, 'transcript.pdf'), pdfBytes());
  fs.writeFileSync(path.join(dir, 'internship.pdf'), pdfBytes());
  fs.writeFileSync(path.join(dir, 'photo.png'), pngBytes(300, 400));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function confirmLink(to: string): Promise<string> {
  const outbox = path.join(server.config.dataDir, 'outbox');
  for (let i = 0; i < 100; i++) {
    for (const file of fs.existsSync(outbox) ? fs.readdirSync(outbox) : []) {
      const mail = await simpleParser(fs.readFileSync(path.join(outbox, file)));
      const link = /https?:\/\/\S+verify-email\?token=[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
      if (JSON.stringify(mail.to).includes(to) && link) return link;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no confirmation e-mail');
}

async function upload(page: Page, kind: string, file: string, relatesToIndex?: number) {
  await page.getByTestId(`upload-${kind}`).setInputFiles(path.join(dir, file));
  if (relatesToIndex !== undefined)
    await page.getByTestId(`upload-relates-${kind}`).selectOption({ index: relatesToIndex });
  await page.getByTestId(`upload-submit-${kind}`).click();
  await expect.poll(async () => (await page.getByTestId(`kind-${kind}`).textContent()) ?? '').toContain(file);
}

async function api<T>(page: Page, url: string): Promise<T> {
  return page.evaluate(async (u) => (await (await fetch(u)).json()) as T, url);
}

describe('from registration to a submitted application and a re-uploaded document', () => {
  it('register → dossier → documents → failing passport check → fix → two priorities → receipt → officer rejects → re-upload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const email = `chidera.${Date.now()}@example.org`;
    const password = 'Ibadan to Almaty 2026';
    await page.goto(`${server.url}/register`);
    await page.fill('input[name="fullName"]', 'Chidera Okafor');
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await page.click('button[type="submit"]');
    await page.getByTestId('success').waitFor();
    await page.goto(await confirmLink(email));
    await page.getByTestId('success').waitFor();
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await page.click('button[type="submit"]');
    await page.getByTestId('logout').waitFor();

    // The dossier, with a passport that expires too soon for KazNMU's 24 months.
    await page.goto(`${server.url}/dossier`);
    const fields: [string, string | boolean][] = [
      ['latinName.surname', 'Okafor'],
      ['latinName.givenNames', 'Chidera'],
      ['citizenship', 'NG'],
      ['passport.number', 'B7654321'],
      ['passport.issuingCountry', 'NG'],
      ['passport.issuedOn', '2021-01-10'],
      ['passport.expiresOn', '2027-01-09'],
      ['internship.completed', true],
    ];
    for (const [name, value] of fields) await setField(page, name, value);
    await page.getByTestId('add-education').click();
    for (const [name, value] of [
      ['education.0.institution', 'University of Ibadan'],
      ['education.0.country', 'NG'],
      ['education.0.level', 'medical_degree'],
      ['education.0.field', 'general_medicine'],
      ['education.0.title', 'MBBS'],
      ['education.0.documentLanguage', 'en'],
      ['education.0.grade.value', '4.1'],
      ['education.0.grade.min', '0'],
      ['education.0.grade.pass', '1.5'],
      ['education.0.grade.max', '5'],
    ] as const) {
      await setField(page, name, value);
    }
    await page.locator('form button[type="submit"]').last().click();
    await page.getByTestId('success').waitFor();

    await page.goto(`${server.url}/documents`);
    await upload(page, 'passport', 'passport.pdf');
    await upload(page, 'photo', 'photo.png');
    await upload(page, 'education_document', 'diploma.pdf'); // for the only education entry, chosen by default
    await upload(page, 'transcript', 'transcript.pdf');
    await upload(page, 'internship_certificate', 'internship.pdf');

    // Two priorities: pediatrics moved above cardiology with the keyboard-accessible button.
    const campaign = await api<{ competitions: { id: string; program: { slug: string } }[] }>(
      page,
      `/api/v1/campaigns/${CAMPAIGN}`,
    );
    const idOf = (slug: string) => campaign.competitions.find((c) => c.program.slug === slug)?.id ?? '';
    await page.goto(`${server.url}/applications/${CAMPAIGN}`);
    for (const slug of ['kaznmu-residency-cardiology', 'kaznmu-residency-pediatrics']) {
      await page.getByTestId('competition-select').selectOption(idOf(slug));
      await page.getByTestId('add-choice').click();
    }
    await page.getByTestId('priority-up-2').click();
    await page.getByTestId('save-choices').click();
    const passportCheck = page.getByTestId('checklist-1').getByTestId('check-passport');
    await expect.poll(() => passportCheck.getAttribute('data-status')).toBe('fail');
    expect(await passportCheck.textContent()).toMatch(/2028/);
    expect(await page.getByTestId('submit-application').isDisabled()).toBe(true);

    await page.goto(`${server.url}/dossier`);
    await setField(page, 'passport.expiresOn', '2031-01-09');
    await page.locator('form button[type="submit"]').last().click();
    await page.getByTestId('success').waitFor();
    await page.goto(`${server.url}/applications/${CAMPAIGN}`);
    await expect
      .poll(() => page.getByTestId('checklist-1').getByTestId('check-passport').getAttribute('data-status'))
      .toBe('pass');
    await page.getByTestId('submit-application').click();
    await page.getByTestId('receipt').waitFor();
    const number = (await page.getByTestId('receipt-number').textContent()) ?? '';
    expect(number).toMatch(/MA-2026-\d{6}/);
    const mine = await api<{ choices: { priority: number; competition: { program: { slug: string } } }[] }>(
      page,
      `/api/v1/me/applications/${CAMPAIGN}`,
    );
    expect(mine.choices.map((c) => c.competition.program.slug)).toEqual([
      'kaznmu-residency-pediatrics',
      'kaznmu-residency-cardiology',
    ]);

    // The KazNMU officer rejects the diploma; the applicant sees why and uploads a new version.
    const me = await api<{ id: string; universityId: string | null }>(page, '/api/v1/me');
    const docs = await api<{ items: { id: string; kind: string }[] }>(page, '/api/v1/me/documents');
    const diploma = docs.items.find((d) => d.kind === 'education_document')?.id ?? '';
    const kaznmu = await api<{ id: string }>(page, '/api/v1/universities/kaznmu');
    await createUser(
      server.ctx,
      {
        email: 'officer@kaznmu.test',
        password: 'Almaty admissions 2026',
        fullName: 'Aigerim Officer',
        role: 'officer',
        universityId: kaznmu.id,
      },
      SYSTEM_ACTOR,
    );
    const officerContext = await browser.newContext();
    const officer = await officerContext.newPage();
    await officer.goto(`${server.url}/login`);
    await officer.fill('input[name="email"]', 'officer@kaznmu.test');
    await officer.fill('input[name="password"]', 'Almaty admissions 2026');
    await officer.click('button[type="submit"]');
    await officer.getByTestId('logout').waitFor();
    await officer.goto(`${server.url}/office/campaigns/${CAMPAIGN}/applicants/${me.id}`);
    await officer.getByTestId(`reject-${diploma}`).click();
    await officer.getByTestId(`reject-code-${diploma}`).selectOption('not_certified');
    await officer.getByTestId(`reject-note-${diploma}`).fill('Please upload a notarized copy.');
    await officer.getByTestId(`reject-confirm-${diploma}`).click();
    await expect
      .poll(() =>
        api<{ items: { id: string; status: string }[] }>(page, '/api/v1/me/documents').then(
          (d) => d.items.find((x) => x.id === diploma)?.status,
        ),
      )
      .toBe('rejected');
    await officerContext.close();

    await page.goto(`${server.url}/documents`);
    await expect
      .poll(async () => (await page.getByTestId(`rejection-${diploma}`).textContent()) ?? '')
      .toContain('notarized');
    await page.getByTestId(`reupload-${diploma}`).setInputFiles(path.join(dir, 'diploma-notarized.pdf'));
    await page.getByTestId(`reupload-submit-${diploma}`).click();
    await expect.poll(() => page.getByTestId(`document-${diploma}`).getAttribute('data-status')).toBe('pending');
    const after = await api<{ items: { id: string; currentVersion: number }[] }>(page, '/api/v1/me/documents');
    expect(after.items.find((d) => d.id === diploma)?.currentVersion).toBe(2);
    await page.close();
  });
});
