import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { documentVersions } from '../../src/db/schema.js';
import { currentConsentText } from '../../src/domain/consent/texts.js';
import { createBackup, restoreBackup } from '../../src/server/backup/backup.js';
import { contentKey } from '../../src/server/files/blob-store.js';
import { S3BlobStore } from '../../src/server/files/s3-blob-store.js';
import { closeContext, createBlobStore, createContext } from '../../src/server/runtime.js';
import { multipart, pdfBytes } from '../helpers/files.js';
import { type S3Server, startS3Server } from '../helpers/s3-server.js';
import { createTestApp, openTestDatabase } from '../helpers/test-app.js';

// Issue 10: files in an S3-compatible bucket (s3rver in this process, on loopback) behave as in the
// local directory: content addressing, dedup, sealed files, remove, exists, missing keys; uploads and
// downloads through the API; and backup and restore.

const dirs: string[] = [];
const tmp = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `medadmit-${name}-`));
  dirs.push(dir);
  return dir;
};

let s3: S3Server;
let store: S3BlobStore;

beforeAll(async () => {
  s3 = await startS3Server();
  store = createBlobStore(loadConfig({ DATA_DIR: tmp('s3-store'), ...s3.env })) as S3BlobStore;
  expect(store).toBeInstanceOf(S3BlobStore);
  await store.checkBucket();
});

afterAll(async () => {
  store?.close();
  await s3?.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A verified temporary file, as the upload reception leaves it. */
function tempFile(content: Buffer): { file: string; sha256: string } {
  fs.mkdirSync(store.tempDir, { recursive: true });
  const file = path.join(store.tempDir, `${randomUUID()}.upload`);
  fs.writeFileSync(file, content);
  return { file, sha256: createHash('sha256').update(content).digest('hex') };
}

async function listed(): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list()) keys.push(key);
  return keys;
}

describe('S3 blob store', () => {
  it('stores a file under its SHA-256, once for the same content, and removes the temporary file', async () => {
    const content = pdfBytes(4096);
    const first = tempFile(content);
    const key = await store.put(first.file, first.sha256);
    expect(key).toBe(contentKey(first.sha256));
    expect(fs.existsSync(first.file)).toBe(false);
    expect((await store.read(key)).equals(content)).toBe(true);

    const again = tempFile(content);
    expect(await store.put(again.file, again.sha256)).toBe(key);
    expect(fs.existsSync(again.file)).toBe(false);
    expect((await listed()).filter((k) => k === key)).toHaveLength(1);
  });

  it('refuses a temporary file that does not match the hash it is stored under', async () => {
    const { file } = tempFile(pdfBytes(1024));
    const wrong = createHash('sha256').update('something else').digest('hex');
    await expect(store.put(file, wrong)).rejects.toThrow(/does not match/);
    expect(await store.exists(contentKey(wrong))).toBe(false);
  });

  it('stores sealed files under new random keys under enc/, never deduplicated', async () => {
    const ciphertext = randomBytes(3000);
    const a = await store.putSealed(ciphertext);
    const b = await store.putSealed(ciphertext);
    expect(a).toMatch(/^enc\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
    expect(b).not.toBe(a);
    expect((await store.read(a)).equals(ciphertext)).toBe(true);
    const keys = await listed();
    expect(keys).toEqual(expect.arrayContaining([a, b]));
    // enc/ first, then sha256/, each in key order (what a backup lists).
    const firstContent = keys.findIndex((k) => k.startsWith('sha256/'));
    expect(keys.slice(firstContent).every((k) => k.startsWith('sha256/'))).toBe(true);
  });

  it('streams a stored file, and answers exists and remove like the local store', async () => {
    const content = pdfBytes(200_000);
    const { file, sha256 } = tempFile(content);
    const key = await store.put(file, sha256);
    const chunks: Buffer[] = [];
    for await (const chunk of store.open(key)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    expect(await store.exists(key)).toBe(true);
    await store.remove(key);
    expect(await store.exists(key)).toBe(false);
    // Removing a missing file is fine (erasure may run twice).
    await store.remove(key);
  });

  it('gives ENOENT for a missing key, and refuses keys it did not make', async () => {
    const missing = contentKey('0'.repeat(64));
    await expect(store.read(missing)).rejects.toMatchObject({ code: 'ENOENT' });
    const stream = store.open(missing);
    await expect(
      new Promise((_resolve, reject) => {
        stream.on('error', reject);
        stream.resume();
      }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.exists('../../etc/passwd')).rejects.toThrow(/invalid blob key/);
    await expect(store.read('sha256/ab/cd/not-a-hash')).rejects.toThrow(/invalid blob key/);
  });

  it('refuses to start when the bucket does not exist', async () => {
    const config = loadConfig({ DATA_DIR: tmp('s3-nobucket'), ...s3.env, S3_BUCKET: 'no-such-bucket' });
    const database = await openTestDatabase();
    try {
      await expect(createContext(config, { database })).rejects.toThrow(/S3 bucket "no-such-bucket" is not reachable/);
    } finally {
      await database.close();
    }
  });
});

describe('BLOB_STORE=s3 through the API', () => {
  it('uploads to the bucket and downloads from it, in clear and sealed', async () => {
    const t = await createTestApp({ ...s3.env, FILE_ENCRYPTION_KEYS: `s3test:${randomBytes(32).toString('base64')}` });
    try {
      expect(t.ctx.blobs).toBeInstanceOf(S3BlobStore);
      const { agent } = await t.signedIn('applicant');
      const consent = await agent.post('/api/v1/me/consents', {
        purpose: 'health_data',
        textVersion: currentConsentText('health_data').version,
      });
      expect(consent.statusCode, consent.body).toBe(201);
      for (const kind of ['passport', 'medical_report']) {
        const content = pdfBytes(50_000);
        const { payload, headers } = multipart(`${kind}.pdf`, content);
        const url = `/api/v1/me/documents?kind=${kind}${kind === 'medical_report' ? '&issuedOn=2026-05-20' : ''}`;
        const res = await agent.request({ method: 'POST', url, payload, headers });
        expect(res.statusCode, res.body).toBe(201);
        const { id } = res.json() as { id: string };
        const [row] = await t.ctx.db
          .select()
          .from(documentVersions)
          .where(and(eq(documentVersions.documentId, id), eq(documentVersions.version, 1)));
        if (!row) throw new Error('no version row');
        // In the bucket, not in the data directory.
        expect(await t.ctx.blobs.exists(row.blobKey)).toBe(true);
        expect(fs.existsSync(path.join(t.config.dataDir, 'blobs', row.blobKey))).toBe(false);
        if (kind === 'passport') expect(row.blobKey).toBe(contentKey(row.sha256));
        else expect((await t.ctx.blobs.read(row.blobKey)).includes(content.subarray(0, 200))).toBe(false);
        const download = await agent.get(`/api/v1/documents/${id}/versions/1/file`);
        expect(download.statusCode, download.body).toBe(200);
        expect(download.rawPayload.equals(content)).toBe(true);
      }
      // Nothing left in the local upload area.
      const left = fs.existsSync(t.ctx.blobs.tempDir) ? fs.readdirSync(t.ctx.blobs.tempDir) : [];
      expect(left).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

async function newDatabaseUrl(template: string): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `s3b_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

describe('backup and restore with BLOB_STORE=s3', () => {
  it('copies every object into the backup and back into another bucket; the drill compares hashes', async () => {
    const postgres = process.env.TEST_DB === 'postgres';
    const target = await startS3Server('medadmit-restore');
    try {
      const source = loadConfig({
        DATA_DIR: tmp('s3-source'),
        ARGON2_MEMORY_KIB: '1024',
        ...s3.env,
        S3_BUCKET: s3.bucket,
        ...(postgres ? { DATABASE_URL: await newDatabaseUrl('medadmit_template') } : {}),
      });
      const ctx = await createContext(source);
      const content = pdfBytes(10_000);
      const sha256 = createHash('sha256').update(content).digest('hex');
      let sealed: string;
      try {
        fs.mkdirSync(ctx.blobs.tempDir, { recursive: true });
        const temp = path.join(ctx.blobs.tempDir, 'backup-upload');
        fs.writeFileSync(temp, content);
        await ctx.blobs.put(temp, sha256);
        sealed = await ctx.blobs.putSealed(randomBytes(500));
      } finally {
        await closeContext(ctx);
      }
      const out = path.join(tmp('s3-backup'), 'b');
      const manifest = await createBackup(source, out, 'test');
      const keys = await listed();
      expect(manifest.files.map((f) => f.key)).toEqual(keys);
      const inClear = manifest.files.find((f) => f.key === contentKey(sha256));
      expect(inClear).toEqual({ key: contentKey(sha256), sha256, size: content.length });
      expect(fs.readFileSync(path.join(out, 'blobs', contentKey(sha256))).equals(content)).toBe(true);
      expect(manifest.files.find((f) => f.key === sealed)?.size).toBe(500);

      const restored = loadConfig({
        DATA_DIR: tmp('s3-target'),
        ARGON2_MEMORY_KIB: '1024',
        ...target.env,
        ...(postgres ? { DATABASE_URL: await newDatabaseUrl('template0') } : {}),
      });
      const { drill } = await restoreBackup(restored, out);
      expect(drill).toMatchObject({ ok: true, fileMismatches: [], rowMismatches: [], files: manifest.files.length });
      const targetStore = createBlobStore(restored);
      try {
        expect((await targetStore.read(contentKey(sha256))).equals(content)).toBe(true);
        expect(await targetStore.exists(sealed)).toBe(true);
      } finally {
        targetStore.close?.();
      }
    } finally {
      await target.close();
    }
    // Opens the embedded database four times on PGlite (create, back up, restore, drill).
  }, 120_000);
});
