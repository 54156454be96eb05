import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type RunningServer, startServer } from './browser.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Reads the outbox the way a developer would: the newest .eml addressed to this person. */
async function linkFromOutbox(to: string): Promise<string> {
  const outbox = path.join(server.config.dataDir, 'outbox');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const files = fs.existsSync(outbox) ? fs.readdirSync(outbox).sort().reverse() : [];
    for (const file of files) {
      const mail = await simpleParser(fs.readFileSync(path.join(outbox, file)));
      const recipients = JSON.stringify(mail.to);
      const link = /https?:\/\/\S+token=[A-Za-z0-9_-]+/.exec(mail.text ?? '')?.[0];
      if (recipients.includes(to) && link) return link;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no e-mail to ${to} in ${outbox}`);
}

describe('an applicant creates an account in the browser', () => {
  it('registers, confirms the e-mail from the outbox, signs in, switches to Russian and signs out', async () => {
    const page = await browser.newPage({ locale: 'en-US' });
    const email = `amina.${Date.now()}@example.org`;
    const password = 'Lagos to Almaty 2026';

    await page.goto(`${server.url}/register`);
    await page.fill('input[name="fullName"]', 'Amina Bello');
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', password);
    await page.click('button[type="submit"]');
    await page.getByTestId('success').waitFor();

    const link = await linkFromOutbox(email);
    expect(link.startsWith(`${server.url}/verify-email?token=`)).toBe(true);
    await page.goto(link);
    await page.getByTestId('success').waitFor();

    await page.goto(`${server.url}/login`);
    await page.fill('input[name="email"]', email);
    await page.fill('input[name="password"]', 'a wrong password here');
    await page.click('button[type="submit"]');
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').textContent()).toMatch(/password/i);

    await page.fill('input[name="password"]', password);
    await page.click('button[type="submit"]');
    await page.getByTestId('logout').waitFor();
    await page.goto(`${server.url}/account`);
    await expect.poll(() => page.getByTestId('account-email').textContent()).toContain(email);

    await page.getByTestId('language-switch').selectOption('ru');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('ru');
    await expect.poll(() => page.getByTestId('logout').textContent()).toMatch(/Выйти/);
    await page.reload();
    await expect.poll(() => page.getByTestId('logout').textContent()).toMatch(/Выйти/);
    const me = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()) as { locale: string });
    expect(me.locale).toBe('ru');

    await page.getByTestId('logout').click();
    await page.getByRole('link', { name: 'Войти' }).first().waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/v1/auth/session')).status);
    expect(status).toBe(401);
    await page.close();
  });

  it('shows a localized error for a duplicate e-mail and keeps what was typed', async () => {
    const page = await browser.newPage();
    const email = `dup.${Date.now()}@example.org`;
    for (let i = 0; i < 2; i++) {
      await page.goto(`${server.url}/register`);
      await page.getByTestId('language-switch').selectOption('ru');
      await page.fill('input[name="fullName"]', 'Дубликат');
      await page.fill('input[name="email"]', email);
      await page.fill('input[name="password"]', 'длинный пароль 2026');
      await page.click('button[type="submit"]');
      if (i === 0) await page.getByTestId('success').waitFor();
    }
    const emailInput = page.locator('input[name="email"]');
    await expect.poll(() => emailInput.getAttribute('aria-invalid')).toBe('true');
    expect(await emailInput.inputValue()).toBe(email);
    const describedBy = (await emailInput.getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
    expect(message).toMatch(/уже/);
    await page.close();
  });
});
