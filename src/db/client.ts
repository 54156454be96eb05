import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { PGliteThread } from './pglite-thread.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
// Both drivers produce this type; services and repositories only see it.
// biome-ignore lint/suspicious/noExplicitAny: the query-result kind differs per driver and is not used by callers.
export type Db = PgDatabase<PgQueryResultHKT & any, Schema>;
export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The embedded client, when this is PGlite (tests dump a migrated template from it). */
  pglite?: PGliteThread;
}

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Directory of the embedded database; in memory when undefined. */
  pgliteDir?: string | undefined;
  /** A dumped PGlite data directory to start from (tests clone a migrated template this way). */
  pgliteLoadFrom?: Blob | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // A connection dropped by the server (a restart, a crash) is removed from the pool and the next
    // query opens a new one. Without these listeners its 'error' event would end the process: the
    // pool's for idle connections, the client's for one checked out between two statements of a
    // transaction (whose next statement then fails, and the request answers 500).
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgresql',
      async migrate() {
        // One migrator at a time across app instances sharing this server.
        const client = await pool.connect();
        try {
          await client.query('SELECT pg_advisory_lock(727011)');
          await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_DIR });
        } finally {
          await client.query('SELECT pg_advisory_unlock(727011)').catch(() => undefined);
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const unlock = options.pgliteDir ? lockDataDir(options.pgliteDir) : () => undefined;
  // On a thread of its own (see PGliteThread): the server keeps answering while a statement runs.
  let client: PGliteThread;
  try {
    client = await PGliteThread.create({
      ...(options.pgliteDir ? { dataDir: options.pgliteDir } : {}),
      ...(options.pgliteLoadFrom ? { loadDataDir: options.pgliteLoadFrom } : {}),
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite(client as never, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(drizzlePglite(client as never, { schema }), { migrationsFolder: MIGRATIONS_DIR }),
    close: async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
    pglite: client,
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The embedded database belongs to one process at a time: a second writer (say the CLI while
 * `medadmit serve` runs) would silently lose its writes or corrupt the files. A lock file with the
 * owner's pid refuses it; a lock left by a dead process is taken over.
 */
export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lock = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new Error(
          `The embedded database in ${dir} is in use by process ${owner} (is \`medadmit serve\` running?). ` +
            'Stop it first, or use the API, or run both against PostgreSQL with DATABASE_URL.',
        );
      }
      fs.rmSync(lock, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}`);
}

/**
 * Bytes the connection of `db` (a transaction on PostgreSQL) has queued but not yet handed to the
 * kernel: a large statement (say 10 MB of JSON rows) is written while the event loop runs, so a
 * caller that starts long synchronous work right after sending it waits until this reaches 0
 * (see WriteBehind). Always 0 on PGlite, which has no socket, and 0 when the driver's internals
 * (node-postgres client → connection → stream) are not where they are expected.
 */
export function unsentBytes(db: Db): () => number {
  const stream = (db as unknown as { session?: { client?: { connection?: { stream?: { writableLength?: number } } } } })
    .session?.client?.connection?.stream;
  return () => stream?.writableLength ?? 0;
}
