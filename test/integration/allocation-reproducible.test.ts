/**
 * Allocation reproducibility (issue 9): a published run recomputed 100 times from what was stored
 * (its competitions and the engine entries of its ranked lists, read back from the database each
 * time) gives the same output every time: the same SHA-256 of the canonical JSON of the assignment,
 * the run's stored output hash, and the offers that were made.
 */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import stringify from 'safe-stable-stringify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissions } from '../../src/db/schema.js';
import { allocate } from '../../src/domain/allocation/deferred-acceptance.js';
import type { AllocationResult } from '../../src/domain/allocation/types.js';
import { outputHash, storedInput } from '../../src/server/allocation/allocation.service.js';
import { allocationCampaign, submittedApplicants } from '../helpers/allocation-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.set(new Date('2026-08-25T09:00:00Z'));
});
afterAll(async () => {
  await t.close();
});

/** SHA-256 of the canonical JSON (keys sorted, assignments by applicant) of what the engine decided. */
function assignmentHash(result: AllocationResult): string {
  const canonical = stringify({
    assignments: [...result.assignments].sort((a, b) => (a.applicant < b.applicant ? -1 : 1)),
    capacities: result.capacities,
    cutoffs: result.cutoffs,
  });
  return createHash('sha256')
    .update(canonical ?? '')
    .digest('hex');
}

describe('allocation reproducibility', () => {
  it('recomputing a published run from its stored inputs 100 times gives the same output hash', async () => {
    const f = await allocationCampaign(t, 'alloc-reproducible', [
      {
        program: 'kaznmu-residency-cardiology',
        funding: 'quota',
        seats: 3,
        revertsTo: { program: 'kaznmu-residency-cardiology', funding: 'contract' },
      },
      { program: 'kaznmu-residency-cardiology', funding: 'contract', seats: 4 },
      { program: 'kaznmu-residency-endocrinology', funding: 'contract', seats: 3 },
      { program: 'kaznmu-residency-ophthalmology', funding: 'contract', seats: 2 },
    ]);
    // 36 applicants with scores from a fixed sequence: many full ties (the lottery decides), one to
    // three choices each, and a quota competition whose unfilled seats revert.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const people = await submittedApplicants(
      t,
      f,
      Array.from({ length: 36 }, (_, i) => {
        const choices = [next(4)];
        for (let k = next(3); k > 0; k--) {
          const c = next(4);
          if (!choices.includes(c)) choices.push(c);
        }
        return { name: `Repro P${i}`, language: 70 + 5 * next(4), specialty: 70 + 5 * next(4), choices };
      }),
    );
    const officer = await t.signedIn('officer', { universityId: f.universityId });
    const run = await officer.agent.post(`/api/v1/campaigns/${f.slug}/allocation-runs`, { reason: 'wave 1' });
    expect(run.json()).toMatchObject({ status: 'published', violations: [] });
    const [stored] = (await officer.agent.get(`/api/v1/campaigns/${f.slug}/allocation-runs`)).json().items;

    const hashes = new Set<string>();
    let last: AllocationResult | undefined;
    for (let i = 0; i < 100; i++) {
      last = allocate(await storedInput(t.ctx.db, stored.id));
      expect(outputHash(last)).toBe(run.json().outputSha256);
      hashes.add(assignmentHash(last));
    }
    expect(hashes.size).toBe(1);
    // And the recomputed assignment is the one that was offered.
    const offers = await t.ctx.db
      .select({ applicant: admissions.applicantId, competition: admissions.competitionId })
      .from(admissions)
      .where(and(eq(admissions.campaignId, f.campaignId), eq(admissions.runId, stored.id)));
    const byApplicant = (a: { applicant: string }, b: { applicant: string }) => (a.applicant < b.applicant ? -1 : 1);
    expect([...offers].sort(byApplicant)).toEqual([...(last?.assignments ?? [])].sort(byApplicant));
    expect(offers.length).toBeGreaterThan(0);
    expect(offers.length).toBeLessThan(people.length);
  });
});
