import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppConfig, loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import type { AppContext } from '../../src/server/context.js';
import { redactUrl } from '../../src/server/plugins/logging.js';
import { closeContext, createContext } from '../../src/server/runtime.js';
import { giveHealthConsent } from '../helpers/consent.js';
import { SCORED_DOSSIER } from '../helpers/dossier-fixtures.js';
import { pdfBytes } from '../helpers/files.js';
import { type SmtpCapture, startSmtpCapture } from '../helpers/smtp-capture.js';
import { Agent, openTestDatabase } from '../helpers/test-app.js';

// Issue 9: logs never contain passwords, tokens, passport numbers or medical results, and user input
// cannot forge a log line. Values are planted in every channel a request has, then the log is searched.

const PASSWORD = 'Planted password 9f3k-Секрет';
const PASSPORT = 'PLANT7731X';
const TOKEN = 'plantedTokenVALUE0123456789abcdefXYZ';
const MEDICAL = 'planted-hiv-negative-result';

let app: FastifyInstance;
let ctx: AppContext;
let mail: SmtpCapture;
let dataDir: string;
const lines: string[] = [];

beforeAll(async () => {
  mail = await startSmtpCapture();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-logs-'));
  const config: AppConfig = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3000',
    SMTP_URL: mail.url,
    ARGON2_MEMORY_KIB: '1024',
    WEB_DIR: path.join(dataDir, 'no-web'),
    LOG_LEVEL: 'trace',
  });
  ctx = await createContext(config, { database: await openTestDatabase() });
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  app = await buildApp(ctx, { logger: true, logStream: sink });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await closeContext(ctx);
  await mail.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('logs', () => {
  it('hold no password, token, passport number or medical result, and every line is one JSON object', async () => {
    const agent = new Agent(app);
    const email = 'person.logs@example.org';
    await agent.get('/api/v1/auth/session');
    const registered = await agent.post('/api/v1/auth/register', {
      email,
      password: PASSWORD,
      fullName: 'Planted Person',
      locale: 'en',
    });
    expect(registered.statusCode, registered.body).toBeLessThan(300);
    const verify = await agent.post('/api/v1/auth/verify-email', { token: TOKEN });
    expect(verify.statusCode).toBeGreaterThanOrEqual(400);
    await agent.post('/api/v1/auth/login', { email, password: `${PASSWORD}-wrong` });
    await agent.request({ method: 'GET', url: `/api/v1/agency-invitations/${TOKEN}?token=${TOKEN}` });
    await agent.request({ method: 'GET', url: `/api/v1/catalog/programs?q=${PASSPORT}&token=${TOKEN}` });
    // A line break and a fake log record in the URL and in a header.
    await agent.request({
      method: 'GET',
      url: '/api/v1/catalog/programs?q=x%0A%7B%22level%22%3A60%2C%22msg%22%3A%22forged%22%7D',
      headers: { 'user-agent': 'x\n{"level":60,"msg":"forged"}' },
    });

    // Verified and signed in, the person saves a dossier with a passport number and uploads a medical report.
    const [verification] = mail.messages.filter((m) => m.to.includes(email));
    const token = verification ? /token=([A-Za-z0-9_-]+)/.exec(verification.text)?.[1] : undefined;
    expect(token).toBeDefined();
    await agent.post('/api/v1/auth/verify-email', { token });
    const login = await agent.post('/api/v1/auth/login', { email, password: PASSWORD });
    expect(login.statusCode).toBe(200);
    const saved = await agent.request({
      method: 'PUT',
      url: '/api/v1/me/dossier',
      payload: {
        ...SCORED_DOSSIER,
        passport: { ...SCORED_DOSSIER.passport, number: PASSPORT },
        motivationLetter: MEDICAL,
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    await giveHealthConsent(agent);
    const boundary = 'plantedboundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${MEDICAL}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      pdfBytes(4096),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await agent.request({
      method: 'POST',
      url: '/api/v1/me/documents?kind=medical_report&issuedOn=2026-05-20',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    // Everything a signed-in person receives is marked not to be stored by browsers and proxies.
    const me = await agent.get('/api/v1/me');
    expect(me.headers['cache-control']).toBe('private, no-store');
    await agent.post('/api/v1/auth/logout', {});

    expect(lines.length).toBeGreaterThan(10);
    const all = lines.join('\n');
    for (const planted of [PASSWORD, PASSPORT, TOKEN, MEDICAL, token ?? 'no-token']) {
      expect(all, `log contains ${planted}`).not.toContain(planted);
    }
    expect(all).not.toMatch(/medadmit_session=|"x-csrf-token":"[^[]/i);
    const records = lines.map((line) => JSON.parse(line) as { level: number; msg?: string });
    expect(records.filter((r) => r.msg === 'forged')).toEqual([]);
    // The request lines are there, with the secrets masked.
    expect(all).toContain('/api/v1/agency-invitations/[redacted]?token=[redacted]');
  });
});

describe('redactUrl', () => {
  it('masks query values and secret-looking path segments, keeps ids and names', () => {
    expect(redactUrl('/api/v1/register/guardian-invitations/abcdefghijklmnopqrstuvwxyz012345')).toBe(
      '/api/v1/register/guardian-invitations/[redacted]',
    );
    expect(redactUrl('/api/v1/users/0b7e5a9c-3c1d-4d0e-9f55-6a1b2c3d4e5f')).toBe(
      '/api/v1/users/0b7e5a9c-3c1d-4d0e-9f55-6a1b2c3d4e5f',
    );
    expect(redactUrl('/verify?token=abc&lang=ru')).toBe('/verify?token=[redacted]&lang=[redacted]');
    expect(redactUrl('/api/v1/catalog/programs')).toBe('/api/v1/catalog/programs');
  });
});
