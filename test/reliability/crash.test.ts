/**
 * Crash safety (issue 9): `kill -9` of the server, and of the PostgreSQL postmaster, at random
 * moments while scripted applicants submit; every acknowledged receipt and file must survive.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type CrashRunResult, crashRun, crashTable } from './crash-run.js';

const results: CrashRunResult[] = [];
const PGLITE_APPLICANTS = Number(process.env.RELIABILITY_CRASH_APPLICANTS ?? 500);
const POSTGRES_APPLICANTS = Number(process.env.RELIABILITY_CRASH_PG_APPLICANTS ?? 250);

afterAll(() => {
  console.log(`\nCrash runs\n\n${crashTable(results)}\n`);
});

function expectNothingLost(r: CrashRunResult) {
  results.push(r);
  expect(r.problems).toEqual([]);
  expect(r.acknowledged).toBe(r.applicants);
  expect(r.present).toBe(r.acknowledged);
  expect(r.files).toBe(3 * r.applicants);
  expect(r.identical).toBe(r.files);
  expect(r.unexpectedExits).toBe(0);
}

describe('crash safety', () => {
  it(`PGlite: ${PGLITE_APPLICANTS} submissions, the server killed 3 times`, async () => {
    expectNothingLost(
      await crashRun({ database: 'pglite', target: 'server', applicants: PGLITE_APPLICANTS, kills: 3 }),
    );
  });

  it(`PostgreSQL: ${POSTGRES_APPLICANTS} submissions, the server killed 3 times`, async () => {
    expectNothingLost(
      await crashRun({ database: 'postgresql', target: 'server', applicants: POSTGRES_APPLICANTS, kills: 3 }),
    );
  });

  it(`PostgreSQL: ${POSTGRES_APPLICANTS} submissions, the postmaster killed 2 times and restarted with pg_ctl`, async () => {
    expectNothingLost(
      await crashRun({ database: 'postgresql', target: 'postgres', applicants: POSTGRES_APPLICANTS, kills: 2 }),
    );
  });
});
