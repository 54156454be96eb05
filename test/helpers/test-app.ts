import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { type AppConfig, loadConfig } from '../../src/config.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { ManualClock } from '../../src/domain/clock.js';
import type { Role } from '../../src/domain/roles.js';
import { buildApp } from '../../src/server/app.js';
import type { AppContext } from '../../src/server/context.js';
import { closeContext, createContext } from '../../src/server/runtime.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { type SmtpCapture, startSmtpCapture } from './smtp-capture.js';

export const TEST_PASSWORD = 'correct horse battery staple';

/** PostgreSQL project only: a new database cloned from the migrated template, by URL. */
export async function createTestDatabaseUrl(): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `t_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE medadmit_template`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh database for one test file: a clone of the migrated template, on PGlite or PostgreSQL. */
export async function openTestDatabase(): Promise<Database> {
  if (process.env.TEST_DB === 'postgres') {
    return openDatabase({ databaseUrl: await createTestDatabaseUrl(), poolSize: 5 });
  }
  const template = fs.readFileSync(inject('pgliteTemplate'));
  return openDatabase({ pgliteLoadFrom: new Blob([template]) });
}

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
  mail: SmtpCapture;
  config: AppConfig;
  agent(): Agent;
  /** Creates an account with a verified e-mail and returns an agent signed in as it. */
  signedIn(
    role: Role,
    extra?: { universityId?: string; agencyId?: string },
  ): Promise<{ agent: Agent; userId: string; email: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Another instance on this PostgreSQL database (createTestDatabaseUrl) instead of a fresh one. */
  databaseUrl?: string;
  /** Share another instance's SMTP capture (closed by its owner). */
  mail?: SmtpCapture;
}

export async function createTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const mail = options.mail ?? (await startSmtpCapture());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3000',
    SMTP_URL: mail.url,
    ARGON2_MEMORY_KIB: '1024',
    // Tests sign in dozens of people at once to set up a scene; the admission limit on password
    // hashing has its own test (admission.test.ts), so here it does not get in the way.
    PASSWORD_CONCURRENCY: '64',
    WEB_DIR: path.join(dataDir, 'no-web'),
    ...env,
  });
  const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
  const database = options.databaseUrl
    ? await openDatabase({ databaseUrl: options.databaseUrl, poolSize: 5 })
    : await openTestDatabase();
  const ctx = await createContext(config, { database, clock });
  const app = await buildApp(ctx);
  await app.ready();
  const testApp: TestApp = {
    app,
    ctx,
    clock,
    mail,
    config,
    agent: () => new Agent(app),
    async signedIn(role, extra = {}) {
      const email = `${role}-${randomUUID().slice(0, 8)}@example.org`;
      const user = await createUser(
        ctx,
        { email, password: TEST_PASSWORD, fullName: `Test ${role}`, role, ...extra },
        SYSTEM_ACTOR,
      );
      const agent = new Agent(app);
      const res = await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      return { agent, userId: user.id, email };
    },
    async close() {
      await app.close();
      await closeContext(ctx);
      if (!options.mail) await mail.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return testApp;
}

/** Keeps the session cookie and CSRF token between requests, as a browser would. */
export class Agent {
  cookies = new Map<string, string>();
  csrfToken: string | undefined;
  ip = '127.0.0.1';

  constructor(private readonly app: FastifyInstance) {}

  async request(options: InjectOptions & { method: string; url: string }): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(options.headers as Record<string, string>) };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrfToken && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrfToken;
    const res = await this.app.inject({ ...options, headers, remoteAddress: this.ip });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now()))
        this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    if (res.headers['content-type']?.toString().startsWith('application/json')) {
      const body = res.json() as { csrfToken?: unknown };
      if (typeof body?.csrfToken === 'string') this.csrfToken = body.csrfToken;
    }
    return res;
  }

  get(url: string, headers: Record<string, string> = {}) {
    return this.request({ method: 'GET', url, headers });
  }

  post(url: string, payload?: unknown, headers: Record<string, string> = {}) {
    return this.request({
      method: 'POST',
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  }

  patch(url: string, payload: unknown, headers: Record<string, string> = {}) {
    return this.request({ method: 'PATCH', url, headers, payload: payload as object });
  }
}
