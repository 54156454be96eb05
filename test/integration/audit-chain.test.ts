import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit, SYSTEM_ACTOR } from '../../src/server/services/audit.service.js';
import { verifyAuditChain } from '../../src/server/services/audit-chain.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

// Issue 9: the audit log is append-only and tamper-evident (a chain of seals with a verify command).

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

async function record(n: number, tag: string) {
  for (let i = 0; i < n; i += 1) {
    await recordAudit(t.ctx.db, t.clock, SYSTEM_ACTOR, {
      action: 'test.decision',
      subjectType: 'test',
      subjectId: `${tag}-${i}`,
      before: { score: i },
      after: { score: i + 1, note: 'Юлия | "quoted"' },
      reason: 'because',
    });
  }
}

/** Changes history as only someone with direct database access could. */
async function tamper(statement: ReturnType<typeof sql>) {
  await t.ctx.db.transaction(async (tx) => {
    await tx.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
  });
}

describe('audit hash chain', () => {
  it('chains every row in commit order, also when many transactions write at once', async () => {
    await record(5, 'serial');
    // Concurrent writers (real parallel transactions on PostgreSQL).
    await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        t.ctx.db.transaction(async (tx) => {
          for (let i = 0; i < 3; i += 1)
            await recordAudit(tx, t.clock, SYSTEM_ACTOR, {
              action: 'test.parallel',
              subjectType: 'test',
              subjectId: `p${k}-${i}`,
            });
        }),
      ),
    );
    const report = await verifyAuditChain(t.ctx.db);
    expect(report.broken).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.rows).toBeGreaterThanOrEqual(41);
    // One seal per INSERT statement, numbered without gaps.
    expect(report.seals).toBeGreaterThanOrEqual(41);
    expect(report.head?.seq).toBe(report.seals);
  });

  it('refuses updates and deletes outright', async () => {
    await expect(t.ctx.db.execute(sql`update audit_log set reason = 'rewritten'`)).rejects.toThrow();
    await expect(t.ctx.db.execute(sql`delete from audit_log`)).rejects.toThrow();
  });

  it('detects a changed row, a row removed from the middle, and a row slipped in without a seal', async () => {
    await record(3, 'victim');
    const [row] = (await t.ctx.db.execute(sql`select id from audit_log where subject_id = 'victim-1'`)).rows as {
      id: number;
    }[];
    if (!row) throw new Error('no row');
    await tamper(sql`update audit_log set after = '{"score": 100}'::jsonb where id = ${row.id}`);
    const changed = await verifyAuditChain(t.ctx.db);
    expect(changed.ok).toBe(false);
    expect(changed.broken.map((b) => b.problem)).toEqual(['content']);

    await tamper(sql`delete from audit_log where id = ${row.id}`);
    const removed = await verifyAuditChain(t.ctx.db);
    expect(removed.broken.map((b) => b.problem)).toEqual(['content']);

    await t.ctx.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_seal`);
      await tx.execute(
        sql`insert into audit_log (at, action, subject_type, subject_id) values (now(), 'forged', 'test', 'x')`,
      );
      await tx.execute(sql`alter table audit_log enable trigger audit_log_seal`);
    });
    const slipped = await verifyAuditChain(t.ctx.db);
    expect(slipped.broken.map((b) => b.problem)).toEqual(['content', 'unsealed']);
  });

  it('refuses changes to the seals themselves', async () => {
    await expect(t.ctx.db.execute(sql`update audit_seals set hash = 'x'`)).rejects.toThrow();
    await expect(t.ctx.db.execute(sql`delete from audit_seals`)).rejects.toThrow();
  });
});
