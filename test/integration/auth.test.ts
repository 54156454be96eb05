import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../../src/db/schema.js';
import { tokenFrom } from '../helpers/smtp-capture.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

let seq = 0;
const uniqueEmail = (prefix: string) => `${prefix}-${Date.now()}-${++seq}@example.org`;

async function registerAndVerify(email: string, locale: 'en' | 'ru' = 'en') {
  const agent = t.agent();
  const res = await agent.post('/api/v1/auth/register', {
    email,
    password: TEST_PASSWORD,
    fullName: 'Amina Bello',
    locale,
  });
  expect(res.statusCode).toBe(201);
  const mail = await t.mail.next(email);
  const verified = await agent.post('/api/v1/auth/verify-email', { token: tokenFrom(mail) });
  expect(verified.statusCode).toBe(200);
  return { agent, mail };
}

describe('registration and e-mail verification', () => {
  it('registers an applicant, e-mails a link over SMTP, and signs in only after verification', async () => {
    const email = uniqueEmail('amina');
    const agent = t.agent();
    const res = await agent.post('/api/v1/auth/register', {
      email: email.toUpperCase(),
      password: TEST_PASSWORD,
      fullName: ' Amina Bello ',
      locale: 'en',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ email, fullName: 'Amina Bello', role: 'applicant', emailVerified: false });
    expect(res.json()).not.toHaveProperty('passwordHash');

    const early = await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    expect(early.statusCode).toBe(403);
    expect(early.json().code).toBe('email_not_verified');

    const mail = await t.mail.next(email);
    expect(mail.subject).toBe('Confirm your e-mail for MedAdmit');
    expect(mail.text).toContain('http://localhost:3000/verify-email?token=');
    const verified = await agent.post('/api/v1/auth/verify-email', { token: tokenFrom(mail) });
    expect(verified.json()).toMatchObject({ emailVerified: true });

    const again = await agent.post('/api/v1/auth/verify-email', { token: tokenFrom(mail) });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('token_used');

    const login = await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.email).toBe(email);
    const session = await agent.get('/api/v1/auth/session');
    expect(session.statusCode).toBe(200);
    expect(session.json().user.email).toBe(email);
  });

  it('writes the e-mail in the language chosen at registration', async () => {
    const email = uniqueEmail('ivan');
    await t.agent().post('/api/v1/auth/register', { email, password: TEST_PASSWORD, fullName: 'Иван', locale: 'ru' });
    const mail = await t.mail.next(email);
    expect(mail.subject).toBe('Подтвердите адрес электронной почты для MedAdmit');
    expect(mail.text).toContain('Здравствуйте, Иван!');
  });

  it('refuses a duplicate e-mail with 409 and leaves the first account as it was', async () => {
    const email = uniqueEmail('dup');
    await registerAndVerify(email);
    const before = await t.ctx.db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    const res = await t.agent().post('/api/v1/auth/register', {
      email: email.toUpperCase(),
      password: 'another long password',
      fullName: 'Impostor',
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 409, code: 'email_taken', errors: [{ field: 'body.email' }] });
    const after = await t.ctx.db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    expect(after).toEqual(before);
  });

  it('rejects weak passwords with the failing field and reason', async () => {
    const email = uniqueEmail('weak');
    for (const [password, code] of [
      ['short', 'password_too_short'],
      ['1234567890', 'password_too_common'],
      [`${email.split('@')[0]}!!`, 'password_contains_email'],
    ] as const) {
      const res = await t.agent().post('/api/v1/auth/register', { email, password, fullName: 'W' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'body.password', code })]);
    }
    const rows = await t.ctx.db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
    expect(rows).toHaveLength(0);
  });

  it('refuses the common passwords of breach corpora, whatever their case', async () => {
    const email = uniqueEmail('common');
    for (const password of ['1qaz2wsx3edc', 'Basketball', 'qwerty123456', 'пароль12345']) {
      const res = await t.agent().post('/api/v1/auth/register', { email, password, fullName: 'C' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([
        expect.objectContaining({ field: 'body.password', code: 'password_too_common' }),
      ]);
    }
    expect(
      (await t.agent().post('/api/v1/auth/register', { email, password: 'basketball at midnight', fullName: 'C' }))
        .statusCode,
    ).toBe(201);
  });

  it('accepts long Unicode passwords', async () => {
    const email = uniqueEmail('unicode');
    const password = 'пароль-с-юникодом-🩺-and-more-than-sixty-four-characters-long-to-be-sure-ok';
    const agent = t.agent();
    await agent.post('/api/v1/auth/register', { email, password, fullName: 'U' });
    await agent.post('/api/v1/auth/verify-email', { token: tokenFrom(await t.mail.next(email)) });
    expect((await agent.post('/api/v1/auth/login', { email, password })).statusCode).toBe(200);
  });

  it('answers an expired verification link with token_expired', async () => {
    const email = uniqueEmail('late');
    const agent = t.agent();
    await agent.post('/api/v1/auth/register', { email, password: TEST_PASSWORD, fullName: 'Late' });
    const token = tokenFrom(await t.mail.next(email));
    t.clock.advance(49 * 3_600_000);
    const res = await agent.post('/api/v1/auth/verify-email', { token });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('token_expired');
    const resend = await agent.post('/api/v1/auth/resend-verification', { email });
    expect(resend.statusCode).toBe(202);
    const fresh = await agent.post('/api/v1/auth/verify-email', { token: tokenFrom(await t.mail.next(email)) });
    expect(fresh.statusCode).toBe(200);
  });
});

describe('sign-in, sessions and sign-out', () => {
  it('answers a wrong password and an unknown account with the same 401', async () => {
    const email = uniqueEmail('wrong');
    await registerAndVerify(email);
    const wrong = await t.agent().post('/api/v1/auth/login', { email, password: 'not the password at all' });
    const unknown = await t
      .agent()
      .post('/api/v1/auth/login', { email: uniqueEmail('nobody'), password: TEST_PASSWORD });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect({ ...wrong.json(), instance: undefined }).toEqual({ ...unknown.json(), instance: undefined });
  });

  it('spends one Argon2id computation on an unknown account too, so timing does not tell accounts apart', async () => {
    const email = uniqueEmail('timing');
    await registerAndVerify(email);
    const { passwords } = t.ctx;
    let work = 0;
    const verify = passwords.verify.bind(passwords);
    const burn = passwords.burn.bind(passwords);
    passwords.verify = async (hash, password) => {
      work += 1;
      return verify(hash, password);
    };
    passwords.burn = async (password) => {
      work += 1;
      return burn(password);
    };
    try {
      await t.agent().post('/api/v1/auth/login', { email, password: 'not the password at all' });
      expect(work).toBe(1);
      await t.agent().post('/api/v1/auth/login', { email: uniqueEmail('nobody'), password: TEST_PASSWORD });
      expect(work).toBe(2);
    } finally {
      passwords.verify = verify;
      passwords.burn = burn;
    }
  });

  it('sets an HttpOnly SameSite cookie and rotates the session at every sign-in', async () => {
    const email = uniqueEmail('rotate');
    const { agent } = await registerAndVerify(email);
    const first = await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    const cookie = first.cookies.find((c) => c.name === 'medadmit_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const oldCookie = agent.cookies.get('medadmit_session');
    await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    expect(agent.cookies.get('medadmit_session')).not.toBe(oldCookie);
    const stale = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: `medadmit_session=${oldCookie}` },
    });
    expect(stale.statusCode).toBe(401);
  });

  it('ends a session after the idle timeout and after the absolute timeout', async () => {
    const email = uniqueEmail('idle');
    const { agent } = await registerAndVerify(email);
    await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    t.clock.advance(29 * 60_000);
    expect((await agent.get('/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(31 * 60_000);
    const expired = await agent.get('/api/v1/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().code).toBe('unauthenticated');

    await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    for (let i = 0; i < 12 * 4; i++) {
      t.clock.advance(15 * 60_000);
      const res = await agent.get('/api/v1/me');
      if (i < 12 * 4 - 1) expect(res.statusCode).toBe(200);
      else expect(res.statusCode).toBe(401);
    }
  });

  it('ends every session of a person whose role an administrator changes; the next sign-in gets a new one', async () => {
    const person = await t.signedIn('applicant');
    const other = t.agent();
    await other.post('/api/v1/auth/login', { email: person.email, password: TEST_PASSWORD });
    const oldCookie = person.agent.cookies.get('medadmit_session');
    const admin = await t.signedIn('administrator');
    const url = `/api/v1/users/${person.userId}/role`;
    const refused = await person.agent.request({
      method: 'PUT',
      url,
      payload: { role: 'administrator', reason: 'promote myself' },
    });
    expect(refused.statusCode).toBe(403);

    const changed = await admin.agent.request({
      method: 'PUT',
      url,
      payload: { role: 'parent', reason: 'became a parent' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ role: 'parent' });
    // Both browsers of the person are signed out at once, with the old rights.
    expect((await person.agent.get('/api/v1/me')).statusCode).toBe(401);
    expect((await other.get('/api/v1/me')).statusCode).toBe(401);
    const again = t.agent();
    await again.post('/api/v1/auth/login', { email: person.email, password: TEST_PASSWORD });
    expect(again.cookies.get('medadmit_session')).toBeDefined();
    expect(again.cookies.get('medadmit_session')).not.toBe(oldCookie);
    expect((await again.get('/api/v1/me')).json()).toMatchObject({ role: 'parent' });

    const [audit] = await t.ctx.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.subjectId} = ${person.userId} and ${auditLog.action} = 'user.role_changed'`);
    expect(audit).toMatchObject({ actorUserId: admin.userId, reason: 'became a parent' });
    expect(audit?.before).toMatchObject({ role: 'applicant' });
    expect(audit?.after).toMatchObject({ role: 'parent', sessionsEnded: 2 });

    // A university role needs its university: refused, nothing changes, the new session lives on.
    const invalid = await admin.agent.request({
      method: 'PUT',
      url,
      payload: { role: 'officer', reason: 'promotion' },
    });
    expect(invalid.statusCode).toBe(400);
    expect((await again.get('/api/v1/me')).statusCode).toBe(200);
  });

  it('signs out, after which the cookie no longer works', async () => {
    const email = uniqueEmail('bye');
    const { agent } = await registerAndVerify(email);
    await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    const cookie = agent.cookies.get('medadmit_session');
    const out = await agent.post('/api/v1/auth/logout');
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `medadmit_session=${cookie}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('requires the CSRF token for cookie-authenticated writes and refuses foreign origins', async () => {
    const email = uniqueEmail('csrf');
    const { agent } = await registerAndVerify(email);
    await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    const noToken = await agent.patch('/api/v1/me', { fullName: 'Changed' }, { 'x-csrf-token': 'wrong' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('csrf_failed');
    const foreign = await agent.patch('/api/v1/me', { fullName: 'Changed' }, { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('bad_origin');
    expect((await agent.get('/api/v1/me')).json().fullName).toBe('Amina Bello');
    const ok = await agent.patch(
      '/api/v1/me',
      { fullName: 'Amina B.', locale: 'ru' },
      { origin: 'http://localhost:3000' },
    );
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ fullName: 'Amina B.', locale: 'ru' });
  });
});

describe('password reset and change', () => {
  it('resets the password by e-mail link and ends every session', async () => {
    const email = uniqueEmail('reset');
    const { agent } = await registerAndVerify(email);
    await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    const req = await t.agent().post('/api/v1/auth/password-reset/request', { email });
    expect(req.statusCode).toBe(202);
    const mail = await t.mail.next(email);
    expect(mail.subject).toBe('Reset your MedAdmit password');
    const res = await t.agent().post('/api/v1/auth/password-reset/confirm', {
      token: tokenFrom(mail),
      password: 'a brand new passphrase',
    });
    expect(res.statusCode).toBe(204);
    expect((await agent.get('/api/v1/me')).statusCode).toBe(401);
    expect((await t.agent().post('/api/v1/auth/login', { email, password: TEST_PASSWORD })).statusCode).toBe(401);
    expect((await t.agent().post('/api/v1/auth/login', { email, password: 'a brand new passphrase' })).statusCode).toBe(
      200,
    );
  });

  it('answers the same for unknown accounts and sends nothing', async () => {
    const before = t.mail.messages.length;
    const res = await t.agent().post('/api/v1/auth/password-reset/request', { email: uniqueEmail('ghost') });
    expect(res.statusCode).toBe(202);
    await new Promise((r) => setTimeout(r, 100));
    expect(t.mail.messages.length).toBe(before);
  });

  it('refuses an expired reset link and keeps the old password', async () => {
    const email = uniqueEmail('oldlink');
    await registerAndVerify(email);
    await t.agent().post('/api/v1/auth/password-reset/request', { email });
    const token = tokenFrom(await t.mail.next(email));
    t.clock.advance(61 * 60_000);
    const res = await t
      .agent()
      .post('/api/v1/auth/password-reset/confirm', { token, password: 'a brand new passphrase' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('token_expired');
    expect((await t.agent().post('/api/v1/auth/login', { email, password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('keeps the reset link usable when the new password is refused', async () => {
    const email = uniqueEmail('retry');
    await registerAndVerify(email);
    await t.agent().post('/api/v1/auth/password-reset/request', { email });
    const token = tokenFrom(await t.mail.next(email));
    const weak = await t.agent().post('/api/v1/auth/password-reset/confirm', { token, password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0]).toMatchObject({ field: 'body.password', code: 'password_too_short' });
    const good = await t.agent().post('/api/v1/auth/password-reset/confirm', { token, password: 'long enough now!' });
    expect(good.statusCode).toBe(204);
  });

  it('changes the password when the current one is right, keeping this session and ending others', async () => {
    const email = uniqueEmail('change');
    const { agent } = await registerAndVerify(email);
    await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    const other = t.agent();
    await other.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    const wrong = await agent.post('/api/v1/me/password', {
      currentPassword: 'nope',
      newPassword: 'another passphrase',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0]).toMatchObject({ field: 'body.currentPassword', code: 'wrong_password' });
    const ok = await agent.post('/api/v1/me/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'another passphrase',
    });
    expect(ok.statusCode).toBe(204);
    expect((await agent.get('/api/v1/me')).statusCode).toBe(200);
    expect((await other.get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe('throttling of sign-in', () => {
  it('throttles per account with 429 and Retry-After, then lets the owner in after the window', async () => {
    const email = uniqueEmail('brute');
    await registerAndVerify(email);
    for (let i = 0; i < 5; i++) {
      const res = await t.agent().post('/api/v1/auth/login', { email, password: `guess number ${i}` });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await t.agent().post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(16 * 60_000);
    expect((await t.agent().post('/api/v1/auth/login', { email, password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('throttles per address across accounts', async () => {
    const attacker = t.agent();
    attacker.ip = '203.0.113.7';
    let last = 0;
    for (let i = 0; i < 31; i++) {
      last = (await attacker.post('/api/v1/auth/login', { email: uniqueEmail('spray'), password: 'password spray' }))
        .statusCode;
    }
    expect(last).toBe(429);
    const elsewhere = t.agent();
    elsewhere.ip = '198.51.100.9';
    const email = uniqueEmail('ok');
    await registerAndVerify(email);
    expect((await elsewhere.post('/api/v1/auth/login', { email, password: TEST_PASSWORD })).statusCode).toBe(200);
  });
});

describe('audit log', () => {
  it('records registration, verification and profile changes, and refuses to change history', async () => {
    const email = uniqueEmail('audit');
    const { agent } = await registerAndVerify(email);
    await agent.post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    await agent.patch('/api/v1/me', { fullName: 'Audited Name' });
    const me = (await agent.get('/api/v1/me')).json();
    const entries = await t.ctx.db
      .select()
      .from(auditLog)
      .where(sql`${auditLog.subjectId} = ${me.id}`)
      .orderBy(auditLog.id);
    expect(entries.map((e) => e.action)).toEqual(['user.registered', 'user.email_verified', 'user.profile_updated']);
    expect(entries[2]).toMatchObject({
      actorUserId: me.id,
      before: { fullName: 'Amina Bello', locale: 'en' },
      after: { fullName: 'Audited Name', locale: 'en' },
    });
    await expect(t.ctx.db.execute(sql`UPDATE audit_log SET reason = 'rewritten'`)).rejects.toThrow();
    await expect(t.ctx.db.execute(sql`DELETE FROM audit_log`)).rejects.toThrow();
  });
});
