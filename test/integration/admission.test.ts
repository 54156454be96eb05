import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, pdfBytes } from '../helpers/files.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ UPLOAD_CONCURRENCY: '1', PASSWORD_CONCURRENCY: '1' });
});
afterAll(async () => {
  await t.close();
});

describe('admission control in a burst', () => {
  it('answers uploads beyond the limit with 503 and Retry-After at once, and frees the slot afterwards', async () => {
    const { agent } = await t.signedIn('applicant');
    const send = () => {
      const { payload, headers } = multipart('doc.pdf', pdfBytes(200_000));
      return agent.request({ method: 'POST', url: '/api/v1/me/documents?kind=achievement', payload, headers });
    };
    const answers = await Promise.all([send(), send(), send(), send()]);
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toContain(201);
    const busy = answers.filter((a) => a.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const b of busy) {
      expect(b.json()).toMatchObject({ code: 'busy', status: 503 });
      expect(Number(b.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // Nothing refused was stored, and the slot is free again.
    const stored = (await agent.get('/api/v1/me/documents')).json().items.length;
    expect(stored).toBe(answers.filter((a) => a.statusCode === 201).length);
    expect((await send()).statusCode).toBe(201);
  });

  it('lets a few password hashes run at once: a crowd signing in gets 503 with Retry-After, not a stalled server', async () => {
    const { email } = await t.signedIn('applicant');
    const login = () => t.agent().post('/api/v1/auth/login', { email, password: TEST_PASSWORD });
    const answers = await Promise.all(Array.from({ length: 8 }, login));
    const ok = answers.filter((a) => a.statusCode === 200);
    const busy = answers.filter((a) => a.statusCode === 503);
    // One runs, one waits its turn; the rest are refused at once.
    expect(ok.length).toBeGreaterThanOrEqual(2);
    expect(busy.length).toBeGreaterThan(0);
    expect(ok.length + busy.length).toBe(8);
    for (const b of busy) expect(Number(b.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await login()).statusCode).toBe(200);
  });
});
