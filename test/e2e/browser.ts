import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type AppConfig, loadConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import { buildApp } from '../../src/server/app.js';
import type { AppContext } from '../../src/server/context.js';
import { closeContext, createContext } from '../../src/server/runtime.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Debian Chromium with the flags this sandbox needs (no background network). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningServer {
  url: string;
  config: AppConfig;
  ctx: AppContext;
  app: FastifyInstance;
  stop(): Promise<void>;
}

/** The real server with the built web app, embedded database and the file outbox, on a loopback port. */
export async function startServer(options: { clock?: Clock } = {}): Promise<RunningServer> {
  const webDir = path.resolve('dist/web');
  if (!fs.existsSync(path.join(webDir, 'index.html')))
    throw new Error('dist/web is missing: run `npm run build` first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-e2e-'));
  const port = await freePort();
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    ARGON2_MEMORY_KIB: '4096',
    WEB_DIR: webDir,
  });
  const ctx = await createContext(config, options.clock ? { clock: options.clock } : {});
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

/** Fills a form control by its name, whatever it is: text, date, select or checkbox. */
export async function setField(page: Page, name: string, value: string | boolean): Promise<void> {
  const control = page.locator(`[name="${name}"]`).first();
  await control.waitFor();
  const tag = await control.evaluate((el) => el.tagName.toLowerCase());
  const type = await control.getAttribute('type');
  if (tag === 'select') await control.selectOption(String(value));
  else if (type === 'checkbox') await control.setChecked(value === true || value === 'true');
  else await control.fill(String(value));
}
