import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { startPostgres } from './postgres-server.js';

export const TEMPLATE_DB = 'medadmit_template';

/** Starts a real PostgreSQL server and migrates a template database that each test file clones. */
export default async function setup(project: TestProject) {
  const server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const database = await openDatabase({ databaseUrl: server.urlFor(TEMPLATE_DB), poolSize: 1 });
  await database.migrate();
  await database.close();
  project.provide('postgresAdminUrl', server.adminUrl);
  return () => server.stop();
}
