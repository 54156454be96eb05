import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type AppConfig, loadConfig } from '../../src/config.js';
import { documents, documentVersions } from '../../src/db/schema.js';
import { createBackup, restoreBackup, verifyBackup } from '../../src/server/backup/backup.js';
import { decryptContent, encryptContent } from '../../src/server/files/encryption.js';
import { closeContext, createContext } from '../../src/server/runtime.js';
import { recordAudit, SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';

// The restore drill: back up a database with users, an audit trail and stored files, restore it into
// an empty place, and compare every table's row count and every file's hash (issue 9, data protection).

const postgres = process.env.TEST_DB === 'postgres';
const dirs: string[] = [];
const tmp = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `medadmit-${name}-`));
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function newDatabaseUrl(template: string): Promise<string> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `b_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// Source and target share the key (it lives outside the data and its backups).
const FILE_KEYS = `backup-test:${randomBytes(32).toString('base64')}`;
const MEDICAL = Buffer.from(`%PDF-1.4 medical report ${randomUUID()}`);

async function configFor(kind: 'source' | 'target'): Promise<AppConfig> {
  return loadConfig({
    DATA_DIR: tmp(kind),
    ARGON2_MEMORY_KIB: '1024',
    FILE_ENCRYPTION_KEYS: FILE_KEYS,
    ...(postgres ? { DATABASE_URL: await newDatabaseUrl(kind === 'source' ? 'medadmit_template' : 'template0') } : {}),
  });
}

/** A database with people, decisions and files in it: three in clear and an encrypted medical report. */
async function fill(config: AppConfig): Promise<{ hashes: string[]; sealedKey: string }> {
  const ctx = await createContext(config);
  const hashes: string[] = [];
  let sealedKey = '';
  try {
    for (let i = 0; i < 3; i += 1) {
      const user = await createUser(
        ctx,
        {
          email: `person${i}@example.org`,
          password: 'correct horse battery staple',
          fullName: `Person ${i}`,
          role: 'applicant',
        },
        SYSTEM_ACTOR,
      );
      await recordAudit(ctx.db, ctx.clock, SYSTEM_ACTOR, {
        action: 'test.decision',
        subjectType: 'user',
        subjectId: user.id,
        after: { i },
      });
      const bytes = Buffer.from(`%PDF-1.4 file ${i} ${randomUUID()}`);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      fs.mkdirSync(ctx.blobs.tempDir, { recursive: true });
      const temp = path.join(ctx.blobs.tempDir, `upload-${i}`);
      fs.writeFileSync(temp, bytes);
      await ctx.blobs.put(temp, sha256);
      hashes.push(sha256);
      if (i === 0) {
        const { ciphertext, envelope } = encryptContent(MEDICAL, ctx.fileKeys);
        sealedKey = await ctx.blobs.putSealed(ciphertext);
        const [doc] = await ctx.db
          .insert(documents)
          .values({ ownerId: user.id, kind: 'medical_report', createdAt: new Date(), updatedAt: new Date() })
          .returning({ id: documents.id });
        await ctx.db.insert(documentVersions).values({
          documentId: doc?.id as string,
          version: 1,
          blobKey: sealedKey,
          sha256: createHash('sha256').update(MEDICAL).digest('hex'),
          size: MEDICAL.length,
          mediaType: 'application/pdf',
          fileName: 'medical.pdf',
          encryption: envelope,
          uploadedBy: user.id,
          uploadedAt: new Date(),
        });
      }
    }
  } finally {
    await closeContext(ctx);
  }
  return { hashes, sealedKey };
}

describe(`backup and restore (${postgres ? 'PostgreSQL, pg_dump' : 'embedded PGlite'})`, () => {
  it('restores every row and every file, and the drill proves it', async () => {
    const source = await configFor('source');
    const { hashes, sealedKey } = await fill(source);
    const out = path.join(tmp('backup'), 'b1');
    const manifest = await createBackup(source, out, 'test');
    expect(manifest.database.kind).toBe(postgres ? 'postgresql' : 'pglite');
    expect(manifest.rowCounts.users).toBeGreaterThanOrEqual(3);
    expect(manifest.rowCounts.audit_log).toBeGreaterThanOrEqual(3);
    // The encrypted file is backed up as stored: its hash is the ciphertext's, computed at backup time.
    const sealedBytes = fs.readFileSync(path.join(source.dataDir, 'blobs', sealedKey));
    const sealedHash = createHash('sha256').update(sealedBytes).digest('hex');
    expect(manifest.files.map((f) => f.sha256).sort()).toEqual([...hashes, sealedHash].sort());
    expect(manifest.files.find((f) => f.key === sealedKey)).toEqual({
      key: sealedKey,
      sha256: sealedHash,
      size: sealedBytes.length,
    });
    expect(fs.readFileSync(path.join(out, 'blobs', sealedKey)).includes(MEDICAL)).toBe(false);

    const target = await configFor('target');
    const { drill } = await restoreBackup(target, out);
    expect(drill).toMatchObject({ ok: true, rowMismatches: [], fileMismatches: [], files: 4 });
    expect(drill.tables).toBe(Object.keys(manifest.rowCounts).length);

    // The restored system starts and holds the same people and files.
    const ctx = await createContext(target);
    try {
      const emails = (await ctx.db.query.users.findMany()).map((u) => u.email).sort();
      expect(emails).toEqual(
        expect.arrayContaining(['person0@example.org', 'person1@example.org', 'person2@example.org']),
      );
      for (const sha of hashes)
        expect(await ctx.blobs.exists(`sha256/${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`)).toBe(true);
      // The medical report decrypts after the restore, with the same key.
      const [version] = await ctx.db.select().from(documentVersions).where(eq(documentVersions.blobKey, sealedKey));
      if (!version?.encryption) throw new Error('the encrypted version was not restored');
      expect(decryptContent(await ctx.blobs.read(sealedKey), version.encryption, ctx.fileKeys)).toEqual(MEDICAL);
    } finally {
      await closeContext(ctx);
    }

    // A second restore over data is refused without --force, and works with it.
    await expect(restoreBackup(target, out)).rejects.toThrow(/force/);
    const forced = await restoreBackup(target, out, { force: true });
    expect(forced.drill.ok).toBe(true);
  });

  it('refuses a damaged backup before touching anything', async () => {
    const source = await configFor('source');
    await fill(source);
    const out = path.join(tmp('backup'), 'b2');
    const manifest = await createBackup(source, out, 'test');
    // A damaged file in clear and a damaged encrypted file are each refused.
    for (const damaged of [
      manifest.files.find((f) => f.key.startsWith('sha256/')),
      manifest.files.find((f) => f.key.startsWith('enc/')),
    ]) {
      if (!damaged) throw new Error('a kind of file is missing from the backup');
      const file = path.join(out, 'blobs', damaged.key);
      const original = fs.readFileSync(file);
      const bytes = Buffer.from(original);
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      fs.writeFileSync(file, bytes);
      await expect(verifyBackup(out)).rejects.toThrow(/damaged or missing/);
      const target = await configFor('target');
      await expect(restoreBackup(target, out)).rejects.toThrow(/damaged or missing/);
      // Nothing was restored: the target data directory holds no database.
      expect(fs.existsSync(path.join(target.dataDir, 'pglite'))).toBe(false);
      fs.writeFileSync(file, original);
    }
  });

  it('refuses to write into an existing directory', async () => {
    const source = await configFor('source');
    await expect(createBackup(source, tmp('existing'), 'test')).rejects.toThrow(/choose a new directory/);
  });
});
