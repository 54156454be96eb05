import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalog } from '../../src/seed/demo.js';
import { launchChromium, type RunningServer, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
  await seedDemoCatalog(server.ctx);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('an applicant finds and compares programs', () => {
  it('searches cardiology, filters Kazakhstan, opens KazNMU Cardiology, compares it and shares the link', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/catalog`);
    await page.getByTestId('catalog-search').fill('cardiology');
    await expect.poll(() => page.url()).toContain('q=cardiology');
    await page.getByTestId('filter-country-KZ').check();
    await expect.poll(() => page.url()).toContain('country=KZ');
    const cards = page.getByTestId('program-card');
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().textContent()).toMatch(/KazNMU|Asfendiyarov/);

    await cards.first().getByRole('link').first().click();
    await expect.poll(() => page.url()).toContain('/programs/kaznmu-residency-cardiology');
    await expect.poll(() => page.getByTestId('program-duration').textContent()).toMatch(/3 years/);
    expect(await page.content()).toContain('S2-2');
    await page.getByTestId('compare-toggle').check();

    await page.goto(`${server.url}/catalog?country=RU&level=residency`);
    const russian = page.getByTestId('program-card').filter({ hasText: 'Pediatrics' });
    await russian.first().getByTestId('compare-toggle').check();
    const link = page.getByTestId('compare-link');
    await link.waitFor();
    const href = await link.getAttribute('href');
    expect(href).toContain('kaznmu-residency-cardiology');
    expect(href).toContain('spbgpmu-residency-pediatrics');

    // Someone else opens the shared link in a fresh browser context: the same comparison.
    const other = await browser.newContext();
    const shared = await other.newPage();
    await shared.goto(new URL(href ?? '', server.url).toString());
    const table = shared.getByTestId('compare-table');
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toMatch(/Cardiology/);
    expect(text).toMatch(/Pediatrics/);
    expect(text).toMatch(/Clinical practice/i);
    await other.close();
    await page.close();
  });

  it('shows the catalog in Russian with unknown facts as «не указано»', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/programs/kaznmu-residency-cardiology`);
    await page.getByTestId('language-switch').selectOption('ru');
    await expect.poll(() => page.getByTestId('program-duration').textContent()).toMatch(/3 года/);
    expect(await page.content()).toMatch(/не указано/i);
    await page.close();
  });
});
