import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema.js';
import { readDemoAccounts, seedDemo } from '../../src/seed/demo.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('demo data', () => {
  it('loads one account per role once, and a restart changes nothing', async () => {
    const first = await seedDemo(t.ctx);
    expect(first.map((a) => a.role).sort()).toEqual(
      ['administrator', 'applicant', 'consultant', 'officer', 'parent', 'reviewer', 'student', 'teacher'].sort(),
    );
    const [{ n: before } = { n: 0 }] = await t.ctx.db.select({ n: count() }).from(users);
    const second = await seedDemo(t.ctx);
    const [{ n: after } = { n: 0 }] = await t.ctx.db.select({ n: count() }).from(users);
    expect(after).toBe(before);
    expect(second).toEqual(first);
    expect(readDemoAccounts(t.config.dataDir)).toEqual(first);
    const mode = fs.statSync(path.join(t.config.dataDir, 'demo-accounts.json')).mode & 0o777;
    expect(mode).toBe(0o600);

    const officer = first.find((a) => a.role === 'officer');
    const login = await t.agent().post('/api/v1/auth/login', { email: officer?.email, password: officer?.password });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.universityId).not.toBeNull();
  });
});

describe('password storage', () => {
  it('stores Argon2id with m=47104 KiB, t=1, p=1 in production settings', async () => {
    const prod = await createTestApp({ ARGON2_MEMORY_KIB: '47104' });
    try {
      const email = `argon-${Date.now()}@example.org`;
      await prod.agent().post('/api/v1/auth/register', { email, password: TEST_PASSWORD, fullName: 'Argon' });
      const [row] = await prod.ctx.db.select().from(users).where(sql`${users.email} = ${email}`);
      expect(row?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=47104,t=1,p=1\$/);
    } finally {
      await prod.close();
    }
  });
});

describe('cookies outside localhost', () => {
  it('uses the __Host- prefix and Secure when served over https', async () => {
    const secure = await createTestApp({ PUBLIC_URL: 'https://admissions.example.org' });
    try {
      const { agent, email } = await secure.signedIn('applicant');
      expect([...agent.cookies.keys()]).toEqual(['__Host-medadmit_session']);
      const login = await secure.agent().post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
      expect(login.cookies[0]).toMatchObject({
        name: '__Host-medadmit_session',
        secure: true,
        httpOnly: true,
        path: '/',
      });
      const res = await agent.post('/api/v1/auth/logout', undefined, { origin: 'https://admissions.example.org' });
      expect(res.statusCode).toBe(204);
      const again = await secure
        .agent()
        .post('/api/v1/auth/login', { email: 'x@example.org', password: 'whatever pass' });
      expect(again.headers['strict-transport-security']).toBeDefined();
    } finally {
      await secure.close();
    }
  });
});

describe('command line', () => {
  const cli = path.resolve('dist/server/cli/medadmit.js');
  const run = promisify(execFile);

  it.runIf(process.env.TEST_DB === 'pglite' && fs.existsSync(cli))(
    'prints help for every command and creates a user',
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-cli-'));
      const env = { ...process.env, DATA_DIR: dataDir, ARGON2_MEMORY_KIB: '1024', MEDADMIT_PASSWORD: TEST_PASSWORD };
      try {
        for (const args of [
          ['--help'],
          ['serve', '--help'],
          ['migrate', '--help'],
          ['seed', '--help'],
          ['user', 'create', '--help'],
        ]) {
          const { stdout } = await run('node', [cli, ...args], { env });
          expect(stdout).toContain('Usage: medadmit');
        }
        const { stdout } = await run(
          'node',
          [cli, 'user', 'create', '--role', 'administrator', '--email', 'root@example.org', '--name', 'Root'],
          { env },
        );
        expect(stdout).toMatch(/Created administrator root@example.org/);
        const dup = await run('node', [cli, 'user', 'create', '--role', 'applicant', '--email', 'ROOT@example.org'], {
          env,
        }).catch((e: { code: number; stderr: string }) => e);
        expect(dup).toMatchObject({ code: 1 });
        expect((dup as { stderr: string }).stderr).toContain('already exists');
        const bad = await run('node', [cli, 'user', 'create', '--role', 'wizard', '--email', 'w@example.org'], {
          env,
        }).catch((e: { code: number; stderr: string }) => e);
        expect((bad as { stderr: string }).stderr).toContain('expected one of');
      } finally {
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
