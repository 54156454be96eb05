import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissions, applications, competitions, lotteryDraws } from '../../src/db/schema.js';
import {
  type Applicant,
  allocationCampaign,
  type Fixture,
  submittedApplicants,
} from '../helpers/allocation-fixtures.js';
import { createTestApp, createTestDatabaseUrl, type TestApp } from '../helpers/test-app.js';

// Migration 0014: the references of admissions and lottery draws to their application and competition
// are kept by statement-level triggers instead of foreign keys. They must give what the keys gave.

let t: TestApp;
let f: Fixture;
let people: Applicant[];

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date('2026-08-25T09:00:00Z'));
  f = await allocationCampaign(t, 'refs', [
    { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 2 },
    { program: 'kaznmu-residency-endocrinology', funding: 'contract', seats: 1 },
  ]);
  people = await submittedApplicants(t, f, [
    { name: 'Ref One', language: 90, specialty: 90, choices: [0, 1] },
    { name: 'Ref Two', language: 80, specialty: 85, choices: [0] },
    { name: 'Ref Three', language: 70, specialty: 75, choices: [1] },
  ]);
});
afterAll(async () => {
  await t.close();
});

const now = new Date('2026-08-25T09:00:00Z');
const applicantOf = async (applicationId: string) => {
  const [row] = await t.ctx.db
    .select({ applicantId: applications.applicantId })
    .from(applications)
    .where(eq(applications.id, applicationId));
  return row?.applicantId as string;
};
const admission = async (applicationId: string, competitionId: string) => ({
  campaignId: f.campaignId,
  applicantId: await applicantOf(applicationId),
  applicationId,
  competitionId,
  runId: randomUUID(),
  priority: 1,
  status: 'superseded',
  confirmBy: now,
  createdAt: now,
  updatedAt: now,
});
/** The SQLSTATE and constraint of a failed statement (drizzle wraps the driver's error as its cause). */
const failure = async (work: Promise<unknown>) => {
  const error = (await work.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } } | null;
  expect(error, 'the statement should have failed').not.toBeNull();
  return { code: error?.cause?.code ?? error?.code, constraint: error?.cause?.constraint ?? error?.constraint };
};

describe('references kept by statement-level triggers', () => {
  it('refuses an admission or a draw naming a missing application or competition, and inserts nothing of the statement', async () => {
    const [one, two] = people as [Applicant, Applicant];
    const good = await admission(one.applicationId, f.competitionIds[0] as string);
    const noApplication = {
      ...(await admission(two.applicationId, f.competitionIds[0] as string)),
      applicationId: randomUUID(),
    };
    expect(await failure(t.ctx.db.insert(admissions).values([good, noApplication]))).toEqual({
      code: '23503',
      constraint: 'admissions_application_ref',
    });
    const noCompetition = {
      ...(await admission(two.applicationId, f.competitionIds[0] as string)),
      competitionId: randomUUID(),
    };
    expect(await failure(t.ctx.db.insert(admissions).values([good, noCompetition]))).toEqual({
      code: '23503',
      constraint: 'admissions_competition_ref',
    });
    expect(
      await failure(
        t.ctx.db.insert(lotteryDraws).values({
          campaignId: f.campaignId,
          applicantId: randomUUID(),
          applicationId: randomUUID(),
          lottery: 990_001,
          code: 'REF-1',
          batch: 1,
          seed: 'test',
          drawnAt: now,
        }),
      ),
    ).toEqual({ code: '23503', constraint: 'lottery_draws_application_ref' });
    // The good row of each refused statement was not kept either.
    expect(await t.ctx.db.$count(admissions, eq(admissions.applicationId, one.applicationId))).toBe(0);
    // Valid rows go in, many in one statement.
    await t.ctx.db.insert(admissions).values([good, await admission(two.applicationId, f.competitionIds[1] as string)]);
    expect(await t.ctx.db.$count(admissions, eq(admissions.campaignId, f.campaignId))).toBe(2);
  });

  it('checks a changed reference like an inserted one', async () => {
    const [one] = people as [Applicant];
    const [row] = await t.ctx.db
      .insert(admissions)
      .values(await admission(one.applicationId, f.competitionIds[0] as string))
      .returning({ id: admissions.id });
    const id = row?.id as string;
    expect(
      await failure(t.ctx.db.update(admissions).set({ competitionId: randomUUID() }).where(eq(admissions.id, id))),
    ).toEqual({ code: '23503', constraint: 'admissions_competition_ref_update' });
    expect(
      await failure(t.ctx.db.update(admissions).set({ applicationId: randomUUID() }).where(eq(admissions.id, id))),
    ).toEqual({ code: '23503', constraint: 'admissions_application_ref_update' });
    await t.ctx.db
      .update(admissions)
      .set({ competitionId: f.competitionIds[1] as string })
      .where(eq(admissions.id, id));
    // Other columns change freely.
    await t.ctx.db.update(admissions).set({ status: 'declined' }).where(eq(admissions.id, id));
    const [after] = await t.ctx.db.select().from(admissions).where(eq(admissions.id, id));
    expect(after).toMatchObject({ competitionId: f.competitionIds[1], status: 'declined' });
  });

  it('keeps a named competition and a referenced id, and deletes an application with its admissions and draws', async () => {
    const three = people[2] as Applicant;
    await t.ctx.db.insert(admissions).values(await admission(three.applicationId, f.competitionIds[1] as string));
    await t.ctx.db.insert(lotteryDraws).values({
      campaignId: f.campaignId,
      applicantId: await applicantOf(three.applicationId),
      applicationId: three.applicationId,
      lottery: 990_002,
      code: 'REF-2',
      batch: 1,
      seed: 'test',
      drawnAt: now,
    });
    // A competition named by an admission stays (application choices name it too, and say so first:
    // remove theirs to see the admissions' own reference).
    await t.ctx.db.execute(sql`delete from application_choices where competition_id = ${f.competitionIds[1]}`);
    expect(
      await failure(t.ctx.db.delete(competitions).where(eq(competitions.id, f.competitionIds[1] as string))),
    ).toEqual({
      code: '23503',
      constraint: 'competitions_delete_admissions',
    });
    expect(
      await failure(
        t.ctx.db.update(applications).set({ id: randomUUID() }).where(eq(applications.id, three.applicationId)),
      ),
    ).toMatchObject({ code: '23503' });
    // TRUNCATE runs no delete triggers: it is refused while children exist, and nothing is truncated.
    expect(
      await failure(
        t.ctx.db.transaction(async (tx) => {
          await tx.execute(sql`truncate applications cascade`);
        }),
      ),
    ).toMatchObject({ code: '23503' });
    expect(await t.ctx.db.$count(applications, eq(applications.campaignId, f.campaignId))).toBe(3);
    // Deleting the application deletes what hangs on it.
    await t.ctx.db.delete(applications).where(eq(applications.id, three.applicationId));
    expect(await t.ctx.db.$count(admissions, eq(admissions.applicationId, three.applicationId))).toBe(0);
    expect(await t.ctx.db.$count(lotteryDraws, eq(lotteryDraws.applicationId, three.applicationId))).toBe(0);
    expect(await t.ctx.db.$count(admissions, eq(admissions.campaignId, f.campaignId))).toBeGreaterThan(0);
  });

  it.runIf(process.env.TEST_DB === 'postgres')(
    'locks the parent as a foreign key does: a concurrent delete waits for the inserting transaction, then cascades',
    async () => {
      const url = await createTestDatabaseUrl();
      // Two sessions on one database of its own (a clone of the template), each with its own fixture.
      const other = await createTestApp({}, { databaseUrl: url });
      const inserter = new pg.Client({ connectionString: url });
      const deleter = new pg.Client({ connectionString: url });
      await inserter.connect();
      await deleter.connect();
      try {
        other.clock.set(now);
        const g = await allocationCampaign(other, 'refs-lock', [
          { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 1 },
        ]);
        const [who] = await submittedApplicants(other, g, [
          { name: 'Lock One', language: 90, specialty: 90, choices: [0] },
        ]);
        const applicationId = (who as Applicant).applicationId;
        await inserter.query('begin');
        await inserter.query(
          `insert into admissions (campaign_id, applicant_id, application_id, competition_id, run_id, priority, status, confirm_by, created_at, updated_at)
           select campaign_id, applicant_id, id, $2, gen_random_uuid(), 1, 'offered', now(), now(), now() from applications where id = $1`,
          [applicationId, g.competitionIds[0]],
        );
        let deleted = false;
        const deleting = deleter.query('delete from applications where id = $1', [applicationId]).then((r) => {
          deleted = true;
          return r;
        });
        await new Promise((r) => setTimeout(r, 500));
        expect(deleted, 'the delete waits for the lock the insert took').toBe(false);
        await inserter.query('commit');
        expect((await deleting).rowCount).toBe(1);
        const left = await deleter.query('select count(*)::int as n from admissions where application_id = $1', [
          applicationId,
        ]);
        expect(left.rows[0].n).toBe(0);
        // Under REPEATABLE READ the cascade could miss rows committed while it waited: refused.
        const [next] = await submittedApplicants(other, g, [
          { name: 'Lock Two', language: 90, specialty: 90, choices: [0] },
        ]);
        await deleter.query('begin isolation level repeatable read');
        // A delete that removes nothing needs no check, whatever the isolation.
        expect((await deleter.query('delete from applications where id = $1', [randomUUID()])).rowCount).toBe(0);
        const refused = await deleter
          .query('delete from applications where id = $1', [(next as Applicant).applicationId])
          .then(
            () => null,
            (e: { code?: string }) => e.code,
          );
        await deleter.query('rollback');
        expect(refused).toBe('55000');
      } finally {
        await inserter.end();
        await deleter.end();
        await other.close();
      }
    },
  );
});
