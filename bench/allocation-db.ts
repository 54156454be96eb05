/**
 * Allocation end to end from the database: 100,000 applicants × 5 priorities over 5,000 competitions
 * (exam scores 50–100 with many ties), seeded with set-based SQL. Measured: one published run —
 * load, lottery draw, engine, checker, persisting ranked lists, offers, audit entries and timeline
 * events — then a second run after 1,000 withdrawals, and the public ranked-list reads that follow.
 * On PGlite (a temporary directory) and on a throwaway PostgreSQL cluster. `BENCH_APPLICANTS` scales it;
 * `BENCH_DB=pglite|postgresql` picks one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { applications, campaigns } from '../src/db/schema.js';
import { ManualClock } from '../src/domain/clock.js';
import { KAZNMU_RESIDENCY_EXAMS } from '../src/domain/exams/exam-plan.js';
import { drainNotifications, runAllocation } from '../src/server/allocation/allocation.service.js';
import { publicList, publicLists } from '../src/server/allocation/lists.service.js';
import type { AppContext } from '../src/server/context.js';
import type { Mailer } from '../src/server/mail/mailer.js';
import { SYSTEM_PRINCIPAL } from '../src/server/policies/policy.js';
import { createContext } from '../src/server/runtime.js';
import { SYSTEM_ACTOR } from '../src/server/services/audit.service.js';
import { withPostgres } from './postgres.js';
import type { Row } from './run.js';

const APPLICANTS = Number(process.env.BENCH_APPLICANTS ?? 100_000);
const COMPETITIONS = 5_000;
const PRIORITIES = 5;

/** Mail is not part of this measure: count the messages instead of writing 80,000 files. */
export function countingMailer(): Mailer & { sent: number } {
  return {
    sent: 0,
    async send() {
      this.sent += 1;
    },
    describe: () => 'counting',
    close: () => undefined,
  };
}

export async function seed(ctx: AppContext): Promise<string> {
  // One transaction, hence one connection: setseed then governs every random() below (on PostgreSQL
  // the statements would otherwise go to pooled connections, and the data would differ run to run).
  return ctx.db.transaction(async (db) => {
    await db.execute(sql`select setseed(0.42)`);
    const [u] = (
      await db.execute(
        sql`insert into universities (slug, name_en, name_ru) values ('bench-u', 'Bench University', 'Тестовый университет') returning id`,
      )
    ).rows as { id: string }[];
    await db.execute(sql`
      insert into programs (slug, university_id, level, title_en, title_ru)
      select 'bench-p-' || g, ${u?.id}, 'residency', 'Program ' || g, 'Программа ' || g from generate_series(1, ${COMPETITIONS}) g`);
    const [c] = (
      await db.execute(sql`
        insert into campaigns (university_id, slug, title_en, title_ru, academic_year, level, exam_plan, score_config)
        values (${u?.id}, 'bench-campaign', 'Bench campaign', 'Тестовая кампания', '2026/27', 'residency',
          ${JSON.stringify(KAZNMU_RESIDENCY_EXAMS)}::jsonb,
          ${JSON.stringify({ mode: 'exams', weights: { rubric: 0, exams: 1 }, tieBreaks: [{ source: 'exam', slotId: 'specialty' }], source: 'bench' })}::jsonb)
        returning id`)
    ).rows as { id: string }[];
    const campaignId = c?.id as string;
    // About 0.8 seats per applicant, uneven across competitions.
    const mean = (0.8 * APPLICANTS) / COMPETITIONS;
    await db.execute(sql`
      insert into competitions (campaign_id, program_id, funding, seats)
      select ${campaignId}, id, 'contract', greatest(1, round(${mean} * (0.3 + 1.4 * random()))) from programs where university_id = ${u?.id}`);
    await db.execute(sql`
      create temporary table bench_comp as
      select row_number() over (order by id) - 1 as i, id from competitions where campaign_id = ${campaignId}`);
    // A quarter of the competitions give their unfilled seats to the next one (acyclic chains).
    await db.execute(sql`
      update competitions set reverts_to_id = n.id from bench_comp a join bench_comp n on n.i = a.i + 1
      where competitions.id = a.id and random() < 0.25`);
    await db.execute(sql`
      insert into users (email, password_hash, full_name, role, email_verified_at)
      select 'bench-' || g || '@example.org', 'x', 'Bench Applicant ' || g, 'applicant', now() from generate_series(1, ${APPLICANTS}) g`);
    await db.execute(sql`
      insert into applications (applicant_id, campaign_id, status, number, submitted_at, snapshot, snapshot_sha256, created_at, updated_at)
      select id, ${campaignId}, 'submitted', 'B-' || substr(email, 7, 7), now(),
        jsonb_build_object('dossier', jsonb_build_object('latinName', jsonb_build_object('surname', 'Bench', 'givenNames', full_name), 'citizenship', 'IN')),
        'bench', now(), now()
      from users where role = 'applicant' and email like 'bench-%'`);
    // Five distinct competitions per applicant, skewed to popular ones: base + k × stride (stride < 1000).
    await db.execute(sql`
      insert into application_choices (application_id, competition_id, priority)
      select a.id, bc.id, k
      from (select id, floor(power(random(), 2) * ${COMPETITIONS})::int as base, 1 + floor(random() * 999)::int as stride
            from applications where campaign_id = ${campaignId}) a
      cross join generate_series(1, ${PRIORITIES}) k
      join bench_comp bc on bc.i = (a.base + (k - 1) * a.stride) % ${COMPETITIONS}`);
    await db.execute(sql`
      insert into exam_results (applicant_id, campaign_id, slot_id, attempt, status, score, outcome, entered_by, entered_at)
      select a.applicant_id, ${campaignId}, s.slot, 1, 'final', 50 + floor(random() * 51), 'passed', a.applicant_id, now()
      from applications a cross join (values ('language'), ('specialty')) s(slot) where a.campaign_id = ${campaignId}`);
    await db.execute(sql`analyze`);
    return campaignId;
  });
}

async function measure(label: string, ctx: AppContext): Promise<Row[]> {
  const rows: Row[] = [];
  const t0 = performance.now();
  const campaignId = await seed(ctx);
  const seedMs = performance.now() - t0;
  const [campaign] = await ctx.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
  if (!campaign) throw new Error('no campaign');
  const mailer = ctx.mailer as ReturnType<typeof countingMailer>;
  const started = performance.now();
  const first = await runAllocation(ctx, SYSTEM_PRINCIPAL, campaign, { reason: 'bench wave 1' }, SYSTEM_ACTOR);
  const firstMs = performance.now() - started;
  await drainNotifications();
  const s = first.stats;
  rows.push(
    {
      database: label,
      measure: `seed ${APPLICANTS.toLocaleString('en')} × ${PRIORITIES} (set-based SQL, not part of the target)`,
      value: `${(seedMs / 1000).toFixed(1)} s`,
    },
    {
      database: label,
      measure: 'first run: load, lottery, engine, check, persist lists + offers + audit (total)',
      value: `**${(firstMs / 1000).toFixed(2)} s**`,
    },
    {
      database: label,
      measure:
        '… of which load (small reads) / lottery draw (while the applications are read) / rest of the read (the statement, then parsing its text) / scores / build input / engine / offers prepared / check / hashes / rank lists / encode lists / waiting for the writes (draws, offers with audit entries, lists: sent in the background from the draw on)',
      value: [
        'loadMs',
        'lotteryMs',
        'readMs',
        'applicationsMs',
        'buildMs',
        'engineMs',
        'offersMs',
        'checkMs',
        'hashMs',
        'rankListsMs',
        'encodeListsMs',
        'writesMs',
      ]
        .map((k) => `${s[k] ?? '?'}`)
        .join(' / ')
        .concat(' ms'),
    },
    {
      database: label,
      measure: 'applications / proposals / offers made',
      value: `${s.applications} / ${s.proposals} / ${first.offersMade}`,
    },
  );
  // 1,000 applicants withdraw; the re-run keeps the lottery and moves people up.
  await ctx.db.execute(
    sql`update applications set status = 'withdrawn' where id in (select id from applications where campaign_id = ${campaignId} and status = 'submitted' order by number limit 1000)`,
  );
  const again = performance.now();
  const second = await runAllocation(ctx, SYSTEM_PRINCIPAL, campaign, { reason: 'bench wave 2' }, SYSTEM_ACTOR);
  const secondMs = performance.now() - again;
  await drainNotifications();
  rows.push({
    database: label,
    measure: 'second run after 1,000 withdrawals (offers changed)',
    value: `${(secondMs / 1000).toFixed(2)} s (${second.offersMade} new, ${second.offersWithdrawn} superseded)`,
  });
  // Publishing: the campaign overview and one list, as the public page reads them.
  const timesOverview: number[] = [];
  const timesList: number[] = [];
  let competitionId = '';
  for (let i = 0; i < 20; i++) {
    const a = performance.now();
    const lists = await publicLists(ctx, 'bench-campaign');
    timesOverview.push(performance.now() - a);
    competitionId = lists.competitions[i]?.id ?? competitionId;
    const b = performance.now();
    await publicList(ctx, 'bench-campaign', competitionId);
    timesList.push(performance.now() - b);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
  rows.push(
    {
      database: label,
      measure: 'ranked-list page after the run: campaign overview (5,000 competitions), median of 20',
      value: `${median(timesOverview).toFixed(0)} ms`,
    },
    {
      database: label,
      measure: 'ranked-list page: one competition list, median of 20',
      value: `${median(timesList).toFixed(1)} ms`,
    },
    { database: label, measure: 'offer e-mails queued (sent after the commit)', value: `${mailer.sent}` },
  );
  const submitted = await ctx.db.$count(applications, eq(applications.campaignId, campaignId));
  if (submitted !== APPLICANTS) throw new Error(`expected ${APPLICANTS} applications, found ${submitted}`);
  return rows;
}

async function onDatabase(label: string, databaseUrl: string | undefined): Promise<Row[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medadmit-bench-alloc-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://localhost:3000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const database = await openDatabase({
    databaseUrl,
    pgliteDir: databaseUrl ? undefined : path.join(dataDir, 'pglite'),
  });
  const ctx = await createContext(config, {
    database,
    clock: new ManualClock(new Date('2026-08-25T09:00:00Z')),
    mailer: countingMailer(),
  });
  try {
    return await measure(label, ctx);
  } finally {
    await drainNotifications();
    await ctx.database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `BENCH_DB=pglite` or `postgresql` runs one of the two. */
export async function benchAllocationDb(): Promise<Row[]> {
  const only = process.env.BENCH_DB;
  const rows = only === 'postgresql' ? [] : await onDatabase('PGlite', undefined);
  if (only !== 'pglite') rows.push(...(await withPostgres('bench_allocation', (url) => onDatabase('PostgreSQL', url))));
  return rows;
}
