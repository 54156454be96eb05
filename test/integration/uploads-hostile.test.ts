import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegBytes, multipart, pdfBytes, pngBytes, pngWithText } from '../helpers/files.js';
import { type Agent, createTestApp, type TestApp } from '../helpers/test-app.js';

// Issue 9, uploads: hostile files get a 4xx, never a 5xx or a hang; photos lose their metadata.

let t: TestApp;
let agent: Agent;

beforeAll(async () => {
  t = await createTestApp({ UPLOAD_MAX_BYTES: String(512 * 1024) });
  ({ agent } = await t.signedIn('applicant'));
});
afterAll(async () => {
  await t.close();
});

function upload(kind: string, content: Buffer, name = 'file.bin') {
  const { payload, headers } = multipart(name, content);
  return agent.request({ method: 'POST', url: `/api/v1/me/documents?kind=${kind}`, payload, headers });
}

describe('hostile uploads', () => {
  it('randomly mutated PDF, JPEG and PNG files never cause a 5xx', async () => {
    const seeds = [pdfBytes(3000), jpegBytes(300, 400, { metadata: 'x' }), pngBytes(30, 40)];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1, 2),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        fc.nat({ max: 4 }),
        async (which, flips, cut) => {
          const bytes = Buffer.from(seeds[which] as Buffer);
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          // Sometimes also truncate, as an interrupted transfer would.
          const content = cut === 0 ? bytes.subarray(0, Math.max(1, bytes.length >> 1)) : bytes;
          const res = await upload(which === 0 ? 'transcript' : 'photo', content);
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode >= 400) expect(res.headers['content-type']).toMatch(/problem\+json/);
        },
      ),
      { numRuns: 60, seed: 20261206 },
    );
  });

  it('refuses a polyglot image (a PNG or JPEG followed by HTML or a ZIP)', async () => {
    const html = Buffer.from('<html><script>fetch("/api/v1/me")</script></html>');
    const png = await upload('photo', Buffer.concat([pngBytes(30, 40), html]), 'photo.png');
    expect(png.statusCode).toBe(422);
    expect(png.json()).toMatchObject({ code: 'trailing_data' });
    const zip = Buffer.from('PK\x03\x04\x14\0\0\0\0\0payload', 'latin1');
    const jpeg = await upload('photo', Buffer.concat([jpegBytes(300, 400), zip]), 'photo.jpg');
    expect(jpeg.statusCode).toBe(422);
    expect(jpeg.json()).toMatchObject({ code: 'trailing_data' });
  });

  it('refuses HTML named .pdf, and a PDF that carries HTML or JavaScript', async () => {
    const named = await upload('transcript', Buffer.from('<!doctype html><p>hello</p>'), 'scan.pdf');
    expect(named.statusCode).toBe(415);
    const pdf = pdfBytes(2000);
    const withHtml = Buffer.concat([pdf.subarray(0, 60), Buffer.from('<html><body>x</body></html>'), pdf.subarray(60)]);
    const html = await upload('transcript', withHtml, 'scan.pdf');
    expect(html.statusCode).toBe(422);
    expect(html.json()).toMatchObject({ code: 'active_content' });
    const withJs = Buffer.concat([
      pdf.subarray(0, 60),
      Buffer.from('2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n'),
      pdf.subarray(60),
    ]);
    expect((await upload('transcript', withJs, 'scan.pdf')).statusCode).toBe(422);
  });

  it('refuses images with enormous dimensions (a decompression bomb in waiting) without decoding them', async () => {
    const started = Date.now();
    const huge = await upload('photo', bombPng(), 'bomb.png');
    expect(huge.statusCode).toBe(422);
    expect(huge.json()).toMatchObject({ code: 'image_dimensions' });
    const wide = await upload('photo', jpegBytes(65_000, 65_000), 'wide.jpg');
    expect(wide.statusCode).toBe(422);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('refuses an oversized body with 413 and keeps nothing of it', async () => {
    const res = await upload('transcript', pdfBytes(600 * 1024), 'big.pdf');
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'file_too_large' });
  });

  it('strips EXIF, comments and PNG text from photos, keeps the image, and serves files as attachments', async () => {
    const secret = 'lat 55.7558 lon 37.6173 serial CAM-PLANTED-77';
    const jpeg = await upload('photo', jpegBytes(300, 400, { metadata: secret }), 'photo.jpg');
    expect(jpeg.statusCode, jpeg.body).toBe(201);
    const png = await upload('photo', pngWithText(300, 400, secret), 'photo.png');
    expect(png.statusCode, png.body).toBe(201);
    for (const res of [jpeg, png]) {
      const body = res.json() as { downloadUrl?: string; versions: { downloadUrl: string; width: number }[] };
      const version = body.versions[0];
      expect(version?.width).toBe(300);
      const file = await agent.get(version?.downloadUrl ?? '');
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.toString('latin1')).not.toContain('CAM-PLANTED-77');
      expect(file.headers['content-disposition']).toMatch(/^attachment;/);
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['content-security-policy']).toContain('sandbox');
    }
  });
});

/** A tiny PNG whose header claims 100,000 × 100,000 pixels (10 gigapixels once decoded). */
function bombPng(): Buffer {
  const png = pngBytes(1, 1);
  png.writeUInt32BE(100_000, 16);
  png.writeUInt32BE(100_000, 20);
  return png;
}
