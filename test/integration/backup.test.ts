import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type AppConfig, loadConfig } from '../../src/config.js';
import { createBackup, restoreBackup, verifyBackup } from '../../src/server/backup/backup.js';
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

async function configFor(kind: 'source' | 'target'): Promise<AppConfig> {
  return loadConfig({
    DATA_DIR: tmp(kind),
    ARGON2_MEMORY_KIB: '1024',
    ...(postgres ? { DATABASE_URL: await newDatabaseUrl(kind === 'source' ? 'medadmit_template' : 'template0') } : {}),
  });
}

/** A database with people, decisions and files in it. */
async function fill(config: AppConfig): Promise<string[]> {
  const ctx = await createContext(config);
  const hashes: string[] = [];
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
    }
  } finally {
    await closeContext(ctx);
  }
  return hashes;
}

describe(`backup and restore (${postgres ? 'PostgreSQL, pg_dump' : 'embedded PGlite'})`, () => {
  it('restores every row and every file, and the drill proves it', async () => {
    const source = await configFor('source');
    const hashes = await fill(source);
    const out = path.join(tmp('backup'), 'b1');
    const manifest = await createBackup(source, out, 'test');
    expect(manifest.database.kind).toBe(postgres ? 'postgresql' : 'pglite');
    expect(manifest.rowCounts.users).toBeGreaterThanOrEqual(3);
    expect(manifest.rowCounts.audit_log).toBeGreaterThanOrEqual(3);
    expect(manifest.files.map((f) => f.sha256).sort()).toEqual([...hashes].sort());

    const target = await configFor('target');
    const { drill } = await restoreBackup(target, out);
    expect(drill).toMatchObject({ ok: true, rowMismatches: [], fileMismatches: [], files: 3 });
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
    const first = manifest.files[0];
    if (!first) throw new Error('no files in the backup');
    const file = path.join(out, 'blobs', first.key);
    const bytes = fs.readFileSync(file);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    fs.writeFileSync(file, bytes);
    await expect(verifyBackup(out)).rejects.toThrow(/damaged or missing/);
    const target = await configFor('target');
    await expect(restoreBackup(target, out)).rejects.toThrow(/damaged or missing/);
    // Nothing was restored: the target data directory holds no database.
    expect(fs.existsSync(path.join(target.dataDir, 'pglite'))).toBe(false);
  });

  it('refuses to write into an existing directory', async () => {
    const source = await configFor('source');
    await expect(createBackup(source, tmp('existing'), 'test')).rejects.toThrow(/choose a new directory/);
  });
});
