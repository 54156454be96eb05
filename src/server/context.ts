import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config.js';
import type { Database, Db } from '../db/client.js';
import type { Clock } from '../domain/clock.js';
import type { CatalogStore } from './catalog/catalog.store.js';
import type { BlobStore } from './files/blob-store.js';
import type { Keyring } from './files/encryption.js';
import type { Mailer } from './mail/mailer.js';
import type { PasswordHasher } from './services/password.service.js';

/** What every service needs, built once at start-up. */
export interface AppContext {
  config: AppConfig;
  database: Database;
  db: Db;
  clock: Clock;
  mailer: Mailer;
  passwords: PasswordHasher;
  catalog: CatalogStore;
  blobs: BlobStore;
  /** Key-encryption keys for special-category files (FILE_ENCRYPTION_KEYS, or the development key). */
  fileKeys: Keyring;
  version: string;
  log?: FastifyBaseLogger;
}
