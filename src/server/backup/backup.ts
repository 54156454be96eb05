import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import type { AppConfig } from '../../config.js';
import { type Database, openDatabase } from '../../db/client.js';
import { BLOB_KEY_PATTERN, type BlobStore } from '../files/blob-store.js';
import { createBlobStore } from '../runtime.js';

/**
 * `medadmit backup` and `medadmit restore`: the database (PGlite's data directory as a tarball, or a
 * `pg_dump` archive of PostgreSQL taken in one snapshot) and every stored file, with a manifest of
 * row counts and SHA-256 hashes. A restore checks the backup before touching anything, then proves
 * itself: the restored row counts and file hashes must equal the manifest (the restore drill).
 */

const run = promisify(execFile);

export const BACKUP_FORMAT = 'medadmit-backup/1';

export interface BackupFile {
  key: string;
  sha256: string;
  size: number;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  version: string;
  database: { kind: 'pglite' | 'postgresql'; file: string; sha256: string; size: number };
  rowCounts: Record<string, number>;
  files: BackupFile[];
}

export interface DrillResult {
  ok: boolean;
  tables: number;
  rows: number;
  files: number;
  /** Tables whose restored row count differs: [table, expected, found]. */
  rowMismatches: [string, number, number][];
  /** Files missing or with another hash after the restore. */
  fileMismatches: string[];
}

export class BackupError extends Error {}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Every table of the public schema with its row count, read in one transaction (one snapshot). */
async function countRows(query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>) {
  const tables = await query(
    'select tablename from pg_tables where schemaname = \'public\' order by tablename collate "C"',
  );
  const counts: Record<string, number> = {};
  for (const row of tables.rows) {
    const table = String(row.tablename);
    const result = await query(`select count(*)::int as n from "${table.replaceAll('"', '""')}"`);
    counts[table] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

const CONTENT_KEY = /^sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/([0-9a-f]{64})$/;

async function syncFile(file: string): Promise<number> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
    return (await handle.stat()).size;
  } finally {
    await handle.close();
  }
}

/** Hash of a stored file read through the store (local directory or S3 bucket). */
async function sha256Stored(blobs: BlobStore, key: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(blobs.open(key), hash);
  return hash.digest('hex');
}

/**
 * Copies a stored file out of the store into the backup, hashing it on the way; a file in clear must
 * match the hash it is named by. Returns its hash and size.
 */
async function copyOut(blobs: BlobStore, key: string, to: string): Promise<{ sha256: string; size: number }> {
  await fs.mkdir(path.dirname(to), { recursive: true });
  const hash = createHash('sha256');
  await pipeline(
    blobs.open(key),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk);
        yield chunk;
      }
    },
    createWriteStream(to, { flags: 'wx' }),
  );
  const sha256 = hash.digest('hex');
  const expected = CONTENT_KEY.exec(key)?.[1];
  if (expected && expected !== sha256) throw new BackupError(`stored file ${key} does not match its hash (${sha256})`);
  return { sha256, size: await syncFile(to) };
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * pg_dump / pg_restore: PG_DUMP / PG_RESTORE when set, else on PATH, else next to the server's
 * `initdb` (installations that put only the server binaries on PATH).
 */
function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const override = process.env[name === 'pg_dump' ? 'PG_DUMP' : 'PG_RESTORE'];
  if (override) return override;
  const found = onPath(name);
  if (found) return found;
  const initdb = onPath('initdb');
  if (initdb) {
    const sibling = path.join(path.dirname(realpathSync(initdb)), name);
    if (existsSync(sibling)) return sibling;
  }
  throw new BackupError(
    `${name} was not found: install the PostgreSQL client tools or set ${name === 'pg_dump' ? 'PG_DUMP' : 'PG_RESTORE'}`,
  );
}

async function writeManifest(dir: string, manifest: BackupManifest): Promise<void> {
  await fs.writeFile(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
}

/**
 * Writes a backup into `outDir` (created; must not exist). The embedded database can only be backed
 * up while the server is stopped (its data directory is locked by the running process); PostgreSQL is
 * backed up online.
 */
export async function createBackup(config: AppConfig, outDir: string, version: string): Promise<BackupManifest> {
  try {
    await fs.mkdir(outDir, { recursive: false });
  } catch (error) {
    throw new BackupError(`cannot create ${outDir}: ${(error as Error).message} (choose a new directory)`);
  }
  let database: BackupManifest['database'];
  let rowCounts: Record<string, number>;
  if (config.databaseUrl) {
    const file = 'database.pgdump';
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      // One snapshot for the counts and for pg_dump, so the manifest describes exactly what is dumped.
      await client.query('begin isolation level repeatable read read only');
      const snapshot = (await client.query('select pg_export_snapshot() as id')).rows[0]?.id as string;
      rowCounts = await countRows((sql) => client.query(sql));
      await run(
        pgTool('pg_dump'),
        [
          '--format=custom',
          '--no-owner',
          '--no-privileges',
          `--snapshot=${snapshot}`,
          `--file=${path.join(outDir, file)}`,
          `--dbname=${config.databaseUrl}`,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      );
      await client.query('commit');
    } finally {
      await client.end();
    }
    const stat = await fs.stat(path.join(outDir, file));
    database = { kind: 'postgresql', file, sha256: await sha256File(path.join(outDir, file)), size: stat.size };
  } else {
    const file = 'database.tar.gz';
    let opened: Database;
    try {
      opened = await openDatabase({ pgliteDir: path.join(config.dataDir, 'pglite') });
    } catch (error) {
      throw new BackupError(
        `cannot open the embedded database (${(error as Error).message}); stop the server first: the embedded database is backed up offline`,
      );
    }
    try {
      const client = opened.pglite;
      if (!client) throw new BackupError('the embedded database did not open');
      rowCounts = await client.transaction((tx) => countRows((sql) => tx.query(sql)));
      const dump = await client.dumpDataDir('gzip');
      await fs.writeFile(path.join(outDir, file), Buffer.from(await dump.arrayBuffer()));
    } finally {
      await opened.close();
    }
    const stat = await fs.stat(path.join(outDir, file));
    database = { kind: 'pglite', file, sha256: await sha256File(path.join(outDir, file)), size: stat.size };
  }

  // Every stored file, from the local directory or the S3 bucket (BLOB_STORE). A file in clear is
  // named by its hash; an encrypted one is hashed as stored (the ciphertext: the backup holds no keys
  // and never needs them).
  const files: BackupFile[] = [];
  const blobs = createBlobStore(config);
  try {
    for await (const key of blobs.list()) {
      files.push({ key, ...(await copyOut(blobs, key, path.join(outDir, 'blobs', key))) });
    }
  } finally {
    blobs.close?.();
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    version,
    database,
    rowCounts,
    files,
  };
  await writeManifest(outDir, manifest);
  return manifest;
}

export async function readManifest(fromDir: string): Promise<BackupManifest> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(fromDir, 'manifest.json'), 'utf8');
  } catch {
    throw new BackupError(`${fromDir} has no manifest.json: not a MedAdmit backup`);
  }
  const manifest = JSON.parse(raw) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`unknown backup format ${String(manifest.format)}`);
  return manifest;
}

/** Checks the backup itself: the database file and every stored file against the manifest's hashes. */
export async function verifyBackup(fromDir: string): Promise<BackupManifest> {
  const manifest = await readManifest(fromDir);
  const dbHash = await sha256File(path.join(fromDir, manifest.database.file)).catch(() => 'missing');
  if (dbHash !== manifest.database.sha256) throw new BackupError(`${manifest.database.file} is damaged or missing`);
  for (const file of manifest.files) {
    if (!BLOB_KEY_PATTERN.test(file.key)) throw new BackupError(`invalid file key in the manifest: ${file.key}`);
    const hash = await sha256File(path.join(fromDir, 'blobs', file.key)).catch(() => 'missing');
    if (hash !== file.sha256) throw new BackupError(`stored file ${file.key} is damaged or missing in the backup`);
  }
  return manifest;
}

async function isEmptyDir(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

/**
 * Restores a backup into the configured data directory or PostgreSQL database, then runs the drill.
 * Refuses a target that already holds data unless `force` (the embedded database is then moved aside,
 * not deleted; PostgreSQL objects are replaced).
 */
export async function restoreBackup(config: AppConfig, fromDir: string, options: { force?: boolean } = {}) {
  const manifest = await verifyBackup(fromDir);
  if ((manifest.database.kind === 'postgresql') !== !!config.databaseUrl) {
    throw new BackupError(
      manifest.database.kind === 'postgresql'
        ? 'this backup is of a PostgreSQL database: set DATABASE_URL to the database to restore into'
        : 'this backup is of the embedded database: unset DATABASE_URL to restore it',
    );
  }
  const source = path.join(fromDir, manifest.database.file);
  if (config.databaseUrl) {
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    try {
      const tables = await client.query("select count(*)::int as n from pg_tables where schemaname = 'public'");
      if (Number(tables.rows[0]?.n) > 0 && !options.force) {
        throw new BackupError('the target database is not empty; pass --force to replace its contents');
      }
      if (options.force) await client.query('drop schema if exists public cascade; create schema public');
      await client.query('drop schema if exists drizzle cascade');
    } finally {
      await client.end();
    }
    await run(
      pgTool('pg_restore'),
      ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${config.databaseUrl}`, source],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } else {
    const target = path.join(config.dataDir, 'pglite');
    if (!(await isEmptyDir(target))) {
      if (!options.force) throw new BackupError(`${target} already holds a database; pass --force to replace it`);
      await fs.rename(target, `${target}.before-restore-${Date.now()}`);
    }
    await fs.mkdir(config.dataDir, { recursive: true });
    const opened = await openDatabase({
      pgliteDir: target,
      pgliteLoadFrom: new Blob([await fs.readFile(source)]),
    });
    await opened.close();
  }
  const blobs = createBlobStore(config);
  try {
    for (const file of manifest.files) await blobs.putAt(file.key, path.join(fromDir, 'blobs', file.key));
  } finally {
    blobs.close?.();
  }
  return { manifest, drill: await restoreDrill(config, manifest) };
}

/** Compares the live data with a manifest: every table's row count and every file's hash. */
export async function restoreDrill(config: AppConfig, manifest: BackupManifest): Promise<DrillResult> {
  const opened = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
    poolSize: 1,
  });
  let counts: Record<string, number>;
  try {
    counts = opened.pglite
      ? await opened.pglite.transaction((tx) => countRows((sql) => tx.query(sql)))
      : await countRowsOver(config.databaseUrl ?? '');
  } finally {
    await opened.close();
  }
  const rowMismatches: [string, number, number][] = [];
  const names = new Set([...Object.keys(manifest.rowCounts), ...Object.keys(counts)]);
  for (const table of [...names].sort()) {
    const expected = manifest.rowCounts[table] ?? -1;
    const found = counts[table] ?? -1;
    if (expected !== found) rowMismatches.push([table, expected, found]);
  }
  const fileMismatches: string[] = [];
  const blobs = createBlobStore(config);
  try {
    for (const file of manifest.files) {
      const hash = await sha256Stored(blobs, file.key).catch(() => 'missing');
      if (hash !== file.sha256) fileMismatches.push(file.key);
    }
  } finally {
    blobs.close?.();
  }
  return {
    ok: rowMismatches.length === 0 && fileMismatches.length === 0,
    tables: Object.keys(counts).length,
    rows: Object.values(counts).reduce((a, b) => a + b, 0),
    files: manifest.files.length,
    rowMismatches,
    fileMismatches,
  };
}

async function countRowsOver(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const counts = await countRows((sql) => client.query(sql));
    await client.query('commit');
    return counts;
  } finally {
    await client.end();
  }
}
