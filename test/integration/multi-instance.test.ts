import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agencyTasks,
  allocationRuns,
  campaigns,
  examBookings,
  examSessions,
  registerAlerts,
  students,
  universities,
} from '../../src/db/schema.js';
import { seedDemoCatalog } from '../../src/seed/demo.js';
import { sendAgencyReminders } from '../../src/server/agency/work.service.js';
import { exportCatalog } from '../../src/server/catalog/catalog.service.js';
import { sendExamReminders } from '../../src/server/exams/reminders.js';
import { runDailyErasure } from '../../src/server/privacy/erasure.service.js';
import { sendRegisterDigest } from '../../src/server/register/alerts.service.js';
import { SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { createUser } from '../../src/server/services/user.service.js';
import { insertAgency } from '../helpers/agency-fixtures.js';
import { allocationCampaign, submittedApplicants } from '../helpers/allocation-fixtures.js';
import { type Agent, createTestApp, createTestDatabaseUrl, TEST_PASSWORD, type TestApp } from '../helpers/test-app.js';

// Issue 10: two app instances on one PostgreSQL database. Periodic jobs claim their rows, so no
// e-mail goes out twice; an edit of the catalog through one instance shows in the other's search
// within the version check interval; one allocation run at a time per campaign across instances.

const postgres = process.env.TEST_DB === 'postgres';
let a: TestApp;
let b: TestApp;
let databaseUrl: string;

beforeAll(async () => {
  if (!postgres) return;
  databaseUrl = await createTestDatabaseUrl();
  a = await createTestApp({}, { databaseUrl });
  b = await createTestApp({}, { databaseUrl, mail: a.mail });
  // Both instances read the same time (as servers synced by NTP would).
  b.clock.set(a.clock.now());
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** Waits until the SMTP server has received nothing new for a while. */
async function settledMessages(): Promise<typeof a.mail.messages> {
  let count = -1;
  while (count !== a.mail.messages.length) {
    count = a.mail.messages.length;
    await new Promise((r) => setTimeout(r, 300));
  }
  return a.mail.messages;
}

/** Another agent on instance `to` with the same session cookie: sessions live in the database. */
function sameSessionOn(agent: Agent, to: TestApp): Agent {
  const moved = to.agent();
  moved.cookies = new Map(agent.cookies);
  moved.csrfToken = agent.csrfToken;
  return moved;
}

describe.skipIf(!postgres)('two instances on one PostgreSQL database', () => {
  it('periodic jobs run in both instances at once and send every reminder and digest exactly once', async () => {
    const now = a.clock.now();
    const tag = randomUUID().slice(0, 8);
    const [university] = await a.ctx.db
      .insert(universities)
      .values({ slug: `mi-${tag}`, nameEn: 'Multi-instance University', nameRu: 'Университет' })
      .returning();
    const [campaign] = await a.ctx.db
      .insert(campaigns)
      .values({
        universityId: university?.id as string,
        slug: `mi-${tag}`,
        titleEn: 'Campaign',
        titleRu: 'Кампания',
        academicYear: '2026/27',
        level: 'specialist',
      })
      .returning();
    const [session] = await a.ctx.db
      .insert(examSessions)
      .values({
        campaignId: campaign?.id as string,
        slotId: 'language',
        startsAt: new Date(now.getTime() + 12 * 3_600_000),
        endsAt: new Date(now.getTime() + 14 * 3_600_000),
        mode: 'online',
        capacity: 100,
      })
      .returning();
    const user = (role: 'applicant' | 'consultant' | 'student', i: number, agencyId?: string) =>
      createUser(
        a.ctx,
        {
          email: `${role}${i}-${tag}@example.org`,
          password: TEST_PASSWORD,
          fullName: `${role} ${i}`,
          role,
          ...(i % 2 ? { locale: 'ru' as const } : {}),
          ...(agencyId ? { agencyId } : {}),
        },
        SYSTEM_ACTOR,
      );
    const examinees = await Promise.all(Array.from({ length: 12 }, (_, i) => user('applicant', i)));
    await a.ctx.db.insert(examBookings).values(
      examinees.map((u) => ({
        sessionId: session?.id as string,
        applicantId: u.id,
        campaignId: campaign?.id as string,
        slotId: 'language',
        optionId: 'ru',
        bookedAt: now,
      })),
    );
    const agencyId = await insertAgency(a, `mi-${tag}`);
    const consultants = await Promise.all(Array.from({ length: 8 }, (_, i) => user('consultant', i, agencyId)));
    await a.ctx.db.insert(agencyTasks).values(
      consultants.map((c, i) => ({
        agencyId,
        title: `Call back ${i}`,
        dueAt: new Date(now.getTime() + 2 * 3_600_000),
        assigneeId: c.id,
        createdBy: c.id,
        createdAt: now,
      })),
    );
    const learners = await Promise.all(Array.from({ length: 6 }, (_, i) => user('student', i)));
    const studentRows = await a.ctx.db
      .insert(students)
      .values(
        learners.map((u, i) => ({
          userId: u.id,
          universityId: university?.id as string,
          number: `MI-${tag}-${i}`,
          nameLatin: `Student ${i}`,
          createdAt: now,
        })),
      )
      .returning();
    await a.ctx.db.insert(registerAlerts).values(
      studentRows.map((s) => ({
        studentId: s.id,
        kind: 'absence_streak',
        dedupKey: `streak:${s.id}`,
        payload: { length: 3, since: null, courses: [] },
        createdAt: now,
      })),
    );
    // Past the default digest hour (06:00 UTC), so the digest is due today.
    expect(now.getUTCHours()).toBeGreaterThanOrEqual(6);

    // Each instance runs all four duties at the same moment, three times over (the 10-minute timer).
    const erasures: unknown[] = [];
    for (let round = 0; round < 3; round++) {
      const runs = [a, b].flatMap((instance) => [
        sendExamReminders(instance.ctx),
        sendAgencyReminders(instance.ctx),
        sendRegisterDigest(instance.ctx),
        runDailyErasure(instance.ctx).then((r) => erasures.push(r)),
      ]);
      await Promise.all(runs);
    }
    const messages = await settledMessages();
    const countTo = (email: string) => messages.filter((m) => m.to.includes(email.toLowerCase())).length;
    for (const u of [...examinees, ...consultants, ...learners]) expect(countTo(u.email), u.email).toBe(1);
    const examMails = messages.filter((m) => /Reminder: exam|Напоминание: экзамен/.test(m.subject));
    expect(examMails).toHaveLength(examinees.length);
    // The day's erasure is claimed by one instance only (the others return null).
    expect(erasures.filter((r) => r !== null)).toHaveLength(1);
    const reminded = await a.ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(examBookings)
      .where(eq(examBookings.sessionId, session?.id as string));
    expect(reminded[0]?.n).toBe(examinees.length);
  });

  it('a catalog edit through one instance shows in the other instance’s search within about a second', async () => {
    await seedDemoCatalog(a.ctx);
    const word = `quartzite${randomUUID().replace(/-/g, '').slice(0, 6).replace(/\d/g, 'x')}`;
    const search = async () => (await b.agent().get(`/api/v1/programs?q=${word}`)).json() as { total: number };
    // B has built its snapshot and finds nothing yet.
    expect((await search()).total).toBe(0);
    const body = (await exportCatalog(a.ctx)).programs.find((p) => p.slug === 'rudn-general-medicine');
    if (!body) throw new Error('demo catalog missing');
    const admin = await a.signedIn('administrator');
    const saved = await admin.agent.request({
      method: 'PUT',
      url: '/api/v1/programs/rudn-general-medicine',
      payload: { ...body, title: { en: `General Medicine ${word}`, ru: body.title.ru } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    // A sees its own write at once.
    expect(((await a.agent().get(`/api/v1/programs?q=${word}`)).json() as { total: number }).total).toBe(1);
    const started = Date.now();
    while ((await search()).total === 0) {
      expect(Date.now() - started, 'B did not notice the edit').toBeLessThan(3000);
      await new Promise((r) => setTimeout(r, 50));
    }
    // The bound is the version check interval (1 s) plus a rebuild of the snapshot.
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('allocation: one run at a time per campaign across instances; the other gets 409 allocation_in_progress', async () => {
    a.clock.set(new Date('2026-08-25T09:00:00Z'));
    b.clock.set(a.clock.now());
    const f = await allocationCampaign(a, `mi-alloc-${randomUUID().slice(0, 6)}`, [
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 2 },
    ]);
    await submittedApplicants(a, f, [
      { name: 'Asha Rao', language: 90, specialty: 90, choices: [0] },
      { name: 'Bilal Khan', language: 80, specialty: 85, choices: [0] },
      { name: 'Chen Wei', language: 70, specialty: 75, choices: [0] },
    ]);
    const officer = await a.signedIn('officer', { universityId: f.universityId });
    const onA = officer.agent;
    const onB = sameSessionOn(onA, b);
    const url = `/api/v1/campaigns/${f.slug}/allocation-runs`;

    // A run in progress elsewhere (held here by another connection): B answers 409 at once.
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock(hashtext($1))', [`allocation:${f.campaignId}`]);
      const refused = await onB.post(url, { reason: 'while another runs' });
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().code).toBe('allocation_in_progress');
      await holder.query('select pg_advisory_unlock(hashtext($1))', [`allocation:${f.campaignId}`]);
    } finally {
      await holder.end();
    }

    // Both instances start a run at the same moment, several times: each answer is a published run
    // or 409, and the published runs have distinct sequence numbers, one after the other.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const both = await Promise.all([
        onA.post(url, { reason: `wave ${i} A` }),
        onB.post(url, { reason: `wave ${i} B` }),
      ]);
      for (const res of both) {
        expect([201, 409], res.body).toContain(res.statusCode);
        if (res.statusCode === 409) expect(res.json().code).toBe('allocation_in_progress');
        statuses.push(res.statusCode);
      }
    }
    const runs = await a.ctx.db.select().from(allocationRuns).where(eq(allocationRuns.campaignId, f.campaignId));
    const made = runs.filter((r) => r.status === 'published' || r.status === 'superseded');
    expect(made).toHaveLength(statuses.filter((s) => s === 201).length);
    expect(made.length).toBeGreaterThanOrEqual(3);
    expect(new Set(made.map((r) => r.seq)).size).toBe(made.length);
    // Never two published runs: the latest is current, every earlier one superseded.
    const current = runs.filter((r) => r.status === 'published');
    expect(current).toHaveLength(1);
    expect(current[0]?.seq).toBe(Math.max(...made.map((r) => r.seq)));
    // Every run after the first saw the one before it: same input, same result.
    expect(new Set(made.map((r) => `${r.inputSha256}/${r.outputSha256}`)).size).toBe(1);
  });
});
