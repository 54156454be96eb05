import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: '4096' });
});
afterAll(async () => {
  await t.close();
});

const userCount = async () => (await t.ctx.db.select({ n: count() }).from(users))[0]?.n;

describe('system endpoints', () => {
  it('reports health with the database kind and version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      database: process.env.TEST_DB === 'postgres' ? 'postgresql' : 'pglite',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('publishes an OpenAPI 3.1 document and browsable docs', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(spec.openapi).toMatch(/^3\.1\./);
    for (const path of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/me', '/api/v1/users', '/api/health']) {
      expect(spec.paths).toHaveProperty([path]);
    }
    expect(spec.paths['/api/v1/auth/register'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['email', 'password', 'fullName']),
    );
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });

  it('sends security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('answers unknown API routes with problem+json 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, code: 'not_found', instance: '/api/v1/nothing-here' });
  });
});

describe('bad input gets a clear 4xx problem and saves nothing', () => {
  const register = (payload: string, contentType = 'application/json') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': contentType },
      payload,
    });

  it('malformed JSON', async () => {
    const before = await userCount();
    const res = await register('{"email": "a@b.org", ');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'malformed_json', status: 400 });
    expect(await userCount()).toBe(before);
  });

  it('wrong types name each failing field', async () => {
    const before = await userCount();
    const res = await register(JSON.stringify({ email: 42, password: true, fullName: 'X' }));
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.email', 'body.password']));
    expect(await userCount()).toBe(before);
  });

  it('invalid e-mail and unknown locale', async () => {
    const res = await register(
      JSON.stringify({ email: 'not-an-email', password: 'long enough pass', fullName: 'X', locale: 'fr' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'body.email' }),
        expect.objectContaining({ field: 'body.locale' }),
      ]),
    );
  });

  it('unknown fields', async () => {
    const before = await userCount();
    const res = await register(
      JSON.stringify({ email: 'x@example.org', password: 'long enough pass', fullName: 'X', role: 'administrator' }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'body.role', code: 'unknown_field', message: 'Unknown field.' }]);
    expect(await userCount()).toBe(before);
  });

  it('oversized bodies', async () => {
    const res = await register(JSON.stringify({ email: 'x@example.org', password: 'p'.repeat(5000), fullName: 'X' }));
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('body_too_large');
  });

  it('a body that is not JSON', async () => {
    const res = await register('email=x@example.org', 'application/x-www-form-urlencoded');
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('bad query parameters', async () => {
    const { agent } = await t.signedIn('administrator');
    const res = await agent.get('/api/v1/users?limit=100000&colour=blue');
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['querystring.limit', 'querystring.colour']));
  });
});

describe('who may do what', () => {
  it('lets only administrators list and create accounts', async () => {
    const anonymous = await t.agent().get('/api/v1/users');
    expect(anonymous.statusCode).toBe(401);
    for (const role of ['applicant', 'officer', 'consultant', 'parent'] as const) {
      const extra =
        role === 'officer'
          ? { universityId: await universityId() }
          : role === 'consultant'
            ? { agencyId: await agencyId() }
            : {};
      const { agent } = await t.signedIn(role, extra);
      expect((await agent.get('/api/v1/users')).statusCode).toBe(403);
      const create = await agent.post('/api/v1/users', {
        email: 'new@example.org',
        password: 'long enough pass',
        fullName: 'N',
        role: 'administrator',
      });
      expect(create.statusCode).toBe(403);
    }
    const { agent: admin } = await t.signedIn('administrator');
    const list = await admin.get('/api/v1/users?role=administrator');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.every((u: { role: string }) => u.role === 'administrator')).toBe(true);
    expect(JSON.stringify(list.json())).not.toContain('argon2');
  });

  it('hides other people: an applicant gets 404 for another account, 200 for their own', async () => {
    const a = await t.signedIn('applicant');
    const b = await t.signedIn('applicant');
    expect((await a.agent.get(`/api/v1/users/${b.userId}`)).statusCode).toBe(404);
    expect((await a.agent.get(`/api/v1/users/${a.userId}`)).statusCode).toBe(200);
  });

  it('requires a university for officers and an agency for consultants', async () => {
    const { agent } = await t.signedIn('administrator');
    const officer = await agent.post('/api/v1/users', {
      email: 'officer-x@example.org',
      password: 'long enough pass',
      fullName: 'O',
      role: 'officer',
    });
    expect(officer.statusCode).toBe(400);
    expect(officer.json().errors[0]).toMatchObject({ field: 'body.universityId', code: 'required' });
    const ok = await agent.post('/api/v1/users', {
      email: 'officer-x@example.org',
      password: 'long enough pass',
      fullName: 'O',
      role: 'officer',
      universityId: await universityId(),
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ role: 'officer', emailVerified: true });
  });

  it('disabling an account ends its sessions at once, with the reason audited', async () => {
    const victim = await t.signedIn('applicant');
    const { agent: admin } = await t.signedIn('administrator');
    const res = await admin.post(`/api/v1/users/${victim.userId}/disable`, { disabled: true, reason: 'fraud report' });
    expect(res.statusCode).toBe(200);
    expect(res.json().disabled).toBe(true);
    expect((await victim.agent.get('/api/v1/me')).statusCode).toBe(401);
    const audit = await admin.get(`/api/v1/audit?subjectType=user&subjectId=${victim.userId}`);
    expect(audit.json().items[0]).toMatchObject({
      action: 'user.disabled',
      reason: 'fraud report',
      before: { disabled: false },
      after: { disabled: true },
    });
    expect((await victim.agent.get('/api/v1/audit')).statusCode).toBe(401);
    const applicant = await t.signedIn('applicant');
    expect((await applicant.agent.get('/api/v1/audit')).statusCode).toBe(403);
  });
});

async function universityId(): Promise<string> {
  const { universities } = await import('../../src/db/schema.js');
  const [row] = await t.ctx.db
    .insert(universities)
    .values({
      slug: `u-${Math.random().toString(36).slice(2)}`,
      nameEn: 'Test University',
      nameRu: 'Тестовый университет',
    })
    .returning();
  if (!row) throw new Error('no university');
  return row.id;
}

async function agencyId(): Promise<string> {
  const { agencies } = await import('../../src/db/schema.js');
  const [row] = await t.ctx.db
    .insert(agencies)
    .values({ slug: `a-${Math.random().toString(36).slice(2)}`, nameEn: 'Test Agency', nameRu: 'Тестовое агентство' })
    .returning();
  if (!row) throw new Error('no agency');
  return row.id;
}
