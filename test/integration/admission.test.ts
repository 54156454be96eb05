import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, pdfBytes } from '../helpers/files.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ UPLOAD_CONCURRENCY: '1' });
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
});
