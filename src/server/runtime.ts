import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config.js';
import { type Database, openDatabase } from '../db/client.js';
import { type Clock, systemClock } from '../domain/clock.js';
import { projectRoot } from '../paths.js';
import { CatalogStore } from './catalog/catalog.store.js';
import type { AppContext } from './context.js';
import { type BlobStore, LocalBlobStore } from './files/blob-store.js';
import { loadKeyring } from './files/encryption.js';
import { assertFileKeysAvailable } from './files/file-keys.service.js';
import { S3BlobStore } from './files/s3-blob-store.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { createPasswordHasher } from './services/password.service.js';

export function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * BLOB_STORE: files under DATA_DIR/blobs (default), or an S3-compatible bucket with uploads in
 * progress under DATA_DIR/tmp. Call `checkBlobStore` before serving.
 */
export function createBlobStore(config: AppConfig): BlobStore {
  if (config.blobStore === 's3') {
    if (!config.s3) throw new Error('BLOB_STORE=s3 needs S3_BUCKET');
    return new S3BlobStore(config.s3, path.join(config.dataDir, 'tmp'));
  }
  return new LocalBlobStore(path.join(config.dataDir, 'blobs'));
}

/** Fails fast when the object store's bucket is missing or refuses the credentials. */
export async function checkBlobStore(blobs: BlobStore): Promise<void> {
  if (blobs instanceof S3BlobStore) await blobs.checkBucket();
}

export interface ContextOverrides {
  database?: Database;
  clock?: Clock;
  mailer?: Mailer;
  blobs?: BlobStore;
  /** false: open even when stored files need keys that are not configured (`medadmit keys status`). */
  checkFileKeys?: boolean;
}

/** Opens the database (PGlite under DATA_DIR unless DATABASE_URL is set), runs migrations, builds services. */
export async function createContext(config: AppConfig, overrides: ContextOverrides = {}): Promise<AppContext> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const database =
    overrides.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') }));
  await database.migrate();
  const fileKeys = loadKeyring(config);
  if (overrides.checkFileKeys !== false) {
    try {
      await assertFileKeysAvailable(database.db, fileKeys);
    } catch (error) {
      if (!overrides.database) await database.close();
      throw error;
    }
  }
  const clock = overrides.clock ?? systemClock;
  const blobs = overrides.blobs ?? createBlobStore(config);
  try {
    await checkBlobStore(blobs);
  } catch (error) {
    blobs.close?.();
    if (!overrides.database) await database.close();
    throw error;
  }
  return {
    config,
    database,
    db: database.db,
    clock,
    mailer:
      overrides.mailer ??
      createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom }),
    passwords: createPasswordHasher(config.argon2MemoryKib),
    catalog: new CatalogStore(database.db, clock),
    blobs,
    fileKeys,
    version: readVersion(),
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  ctx.mailer.close();
  ctx.blobs.close?.();
  await ctx.database.close();
}
