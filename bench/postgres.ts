import pg from 'pg';
import { startPostgres } from '../test/helpers/postgres-server.js';

/** Runs `work` against a new database on a throwaway PostgreSQL cluster on loopback. */
export async function withPostgres<T>(database: string, work: (url: string) => Promise<T>): Promise<T> {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    return await work(server.urlFor(database));
  } finally {
    server.stop();
  }
}
