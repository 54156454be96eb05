import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config.js';
import { type Database, openDatabase } from '../db/client.js';
import { type Clock, systemClock } from '../domain/clock.js';
import type { AppContext } from './context.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { createPasswordHasher } from './services/password.service.js';

export function readVersion(): string {
  for (const candidate of ['../../package.json', '../../../package.json']) {
    const file = new URL(candidate, import.meta.url);
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'medadmit' && pkg.version) return pkg.version;
    }
  }
  return '0.0.0';
}

export interface ContextOverrides {
  database?: Database;
  clock?: Clock;
  mailer?: Mailer;
}

/** Opens the database (PGlite under DATA_DIR unless DATABASE_URL is set), runs migrations, builds services. */
export async function createContext(config: AppConfig, overrides: ContextOverrides = {}): Promise<AppContext> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const database =
    overrides.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: path.join(config.dataDir, 'pglite') }));
  await database.migrate();
  return {
    config,
    database,
    db: database.db,
    clock: overrides.clock ?? systemClock,
    mailer:
      overrides.mailer ??
      createMailer({ smtpUrl: config.smtpUrl, outboxDir: path.join(config.dataDir, 'outbox'), from: config.mailFrom }),
    passwords: createPasswordHasher(config.argon2MemoryKib),
    version: readVersion(),
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  ctx.mailer.close();
  await ctx.database.close();
}
