import { describe, expect, it } from 'vitest';
import { DEFAULT_ADAPTATION_ITEMS, itemDueAt, pickTemplate, storedItems, ZAdaptationTemplate } from './adaptation.js';
import { conversions, emptyCounts, funnelRow } from './funnel.js';
import {
  type AdmissionFact,
  deriveStages,
  emptyFacts,
  factsForUniversity,
  STAGES,
  type StageFacts,
  type VisaFact,
} from './stages.js';

const U1 = 'u1';
const U2 = 'u2';
const facts = (over: Partial<StageFacts>): StageFacts => ({ ...emptyFacts(), ...over });
const admission = (over: Partial<AdmissionFact>): AdmissionFact => ({
  universityId: U1,
  status: 'offered',
  funding: 'contract',
  createdAt: '2026-07-01T10:00:00.000Z',
  prepaymentConfirmedAt: null,
  confirmedAt: null,
  enrolledAt: null,
  ...over,
});
const visa = (over: Partial<VisaFact>): VisaFact => ({
  universityId: U1,
  requestedAt: '2026-07-05T10:00:00.000Z',
  invitationIssuedAt: null,
  visaIssuedAt: null,
  arrivedAt: null,
  registeredAt: null,
  ...over,
});

describe('deriveStages', () => {
  it('has nothing reached for no facts', () => {
    const d = deriveStages(emptyFacts());
    expect(d.current).toBeNull();
    for (const s of STAGES) expect(d.stages[s]).toEqual({ reachedAt: null, source: null });
  });

  it('inquiry comes from the lead', () => {
    const d = deriveStages(facts({ leadCreatedAt: '2026-01-10T08:00:00.000Z' }));
    expect(d.stages.inquiry).toEqual({ reachedAt: '2026-01-10T08:00:00.000Z', source: 'system' });
    expect(d.current).toEqual({ stage: 'inquiry', reachedAt: '2026-01-10T08:00:00.000Z' });
  });

  it('consultation is only ever manual', () => {
    const d = deriveStages(facts({ manual: { consultation: '2026-01-12T08:00:00Z' } }));
    expect(d.stages.consultation).toEqual({ reachedAt: '2026-01-12T08:00:00.000Z', source: 'manual' });
  });

  it('dossier comes from the first save', () => {
    const d = deriveStages(facts({ dossierSavedAt: '2026-02-01T00:00:00.000Z' }));
    expect(d.stages.dossier.source).toBe('system');
    expect(d.current?.stage).toBe('dossier');
  });

  it('applied is the earliest submission (drafts do not count)', () => {
    const d = deriveStages(
      facts({
        applications: [
          { universityId: U1, submittedAt: null },
          { universityId: U2, submittedAt: '2026-03-05T00:00:00.000Z' },
          { universityId: U1, submittedAt: '2026-03-02T00:00:00.000Z' },
        ],
      }),
    );
    expect(d.stages.applied.reachedAt).toBe('2026-03-02T00:00:00.000Z');
  });

  it('admitted needs an active offer (declined or superseded offers do not count)', () => {
    expect(deriveStages(facts({ admissions: [admission({ status: 'declined' })] })).stages.admitted.reachedAt).toBe(
      null,
    );
    for (const status of ['offered', 'confirmed', 'enrolled']) {
      expect(deriveStages(facts({ admissions: [admission({ status })] })).stages.admitted.source).toBe('system');
    }
  });

  it('contract and payment: prepayment confirmed on a paid place, seat confirmed on a quota place', () => {
    const paidUnpaid = deriveStages(facts({ admissions: [admission({ confirmedAt: '2026-07-02T00:00:00.000Z' })] }));
    expect(paidUnpaid.stages.contract_payment.reachedAt).toBeNull();
    const paid = deriveStages(
      facts({ admissions: [admission({ prepaymentConfirmedAt: '2026-07-03T00:00:00.000Z' })] }),
    );
    expect(paid.stages.contract_payment.reachedAt).toBe('2026-07-03T00:00:00.000Z');
    const quota = deriveStages(
      facts({
        admissions: [admission({ funding: 'quota', status: 'confirmed', confirmedAt: '2026-07-04T00:00:00.000Z' })],
      }),
    );
    expect(quota.stages.contract_payment.reachedAt).toBe('2026-07-04T00:00:00.000Z');
  });

  it('invitation, visa, arrived and registered follow the visa case', () => {
    const d = deriveStages(
      facts({
        visaCases: [
          visa({
            invitationIssuedAt: '2026-07-20T00:00:00.000Z',
            visaIssuedAt: '2026-08-01T00:00:00.000Z',
            arrivedAt: '2026-08-20T00:00:00.000Z',
            registeredAt: '2026-08-24T00:00:00.000Z',
          }),
        ],
      }),
    );
    expect(d.stages.invitation.reachedAt).toBe('2026-07-05T10:00:00.000Z');
    expect(d.stages.visa.reachedAt).toBe('2026-08-01T00:00:00.000Z');
    expect(d.stages.arrived.reachedAt).toBe('2026-08-20T00:00:00.000Z');
    expect(d.stages.registered.reachedAt).toBe('2026-08-24T00:00:00.000Z');
    expect(d.current?.stage).toBe('registered');
    const requested = deriveStages(facts({ visaCases: [visa({})] }));
    expect(requested.current?.stage).toBe('invitation');
    expect(requested.stages.visa.reachedAt).toBeNull();
  });

  it('enrolled comes from the enrollment order', () => {
    const d = deriveStages(
      facts({ admissions: [admission({ status: 'enrolled', enrolledAt: '2026-08-28T00:00:00.000Z' })] }),
    );
    expect(d.stages.enrolled).toEqual({ reachedAt: '2026-08-28T00:00:00.000Z', source: 'system' });
    expect(d.current?.stage).toBe('enrolled');
  });

  it('adapted once every item of a checklist is done, at the last one', () => {
    const items = [
      { universityId: U1, itemId: 'a', doneAt: '2026-09-01T00:00:00.000Z' },
      { universityId: U1, itemId: 'b', doneAt: null },
    ];
    expect(deriveStages(facts({ adaptation: items })).stages.adapted.reachedAt).toBeNull();
    const done = items.map((i) => ({ ...i, doneAt: i.doneAt ?? '2026-09-03T00:00:00.000Z' }));
    expect(deriveStages(facts({ adaptation: done })).stages.adapted.reachedAt).toBe('2026-09-03T00:00:00.000Z');
  });

  it('a manual value fills a stage the system cannot see; the system wins where it can', () => {
    const d = deriveStages(
      facts({
        manual: { arrived: '2026-08-19T00:00:00.000Z', applied: '2026-01-01T00:00:00.000Z', bogus: 'x', visa: 'x' },
        applications: [{ universityId: U1, submittedAt: '2026-03-02T00:00:00.000Z' }],
      }),
    );
    expect(d.stages.arrived).toEqual({ reachedAt: '2026-08-19T00:00:00.000Z', source: 'manual' });
    expect(d.stages.applied).toEqual({ reachedAt: '2026-03-02T00:00:00.000Z', source: 'system' });
    expect(d.stages.visa.reachedAt).toBeNull();
    expect(d.current?.stage).toBe('arrived');
  });

  it('restricts the facts to one university', () => {
    const all = facts({
      leadCreatedAt: '2026-01-10T08:00:00.000Z',
      applications: [
        { universityId: U1, submittedAt: '2026-03-02T00:00:00.000Z' },
        { universityId: U2, submittedAt: '2026-03-03T00:00:00.000Z' },
      ],
      admissions: [admission({ universityId: U2 })],
    });
    const u1 = deriveStages(factsForUniversity(all, U1));
    expect(u1.stages.inquiry.reachedAt).not.toBeNull();
    expect(u1.stages.applied.reachedAt).toBe('2026-03-02T00:00:00.000Z');
    expect(u1.stages.admitted.reachedAt).toBeNull();
    expect(deriveStages(factsForUniversity(all, U2)).stages.admitted.reachedAt).not.toBeNull();
  });
});

describe('funnel', () => {
  const reached = (map: Partial<Record<(typeof STAGES)[number], string>>) =>
    deriveStages(facts({ manual: map as Record<string, string> })).stages;

  it('counts stages reached in the period and the conversions', () => {
    const rows = [
      reached({ inquiry: '2026-01-05T00:00:00Z', consultation: '2026-01-06T00:00:00Z' }),
      reached({ inquiry: '2026-01-07T00:00:00Z' }),
      reached({ inquiry: '2025-12-01T00:00:00Z', consultation: '2026-01-02T00:00:00Z' }),
      reached({ inquiry: '2026-02-10T00:00:00Z' }),
    ];
    const row = funnelRow(rows, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T23:59:59.999Z'));
    expect(row.counts.inquiry).toBe(2);
    expect(row.counts.consultation).toBe(2);
    expect(row.applicants).toBe(4);
    expect(row.conversions[0]).toEqual({ from: 'inquiry', to: 'consultation', rate: 1 });
    expect(row.conversions[1]).toEqual({ from: 'consultation', to: 'dossier', rate: 0 });
    expect(row.conversions[2]).toEqual({ from: 'dossier', to: 'applied', rate: null });
  });

  it('rounds rates to four places', () => {
    const counts = { ...emptyCounts(), inquiry: 3, consultation: 1 };
    expect(conversions(counts)[0]?.rate).toBe(0.3333);
    expect(conversions(counts)).toHaveLength(STAGES.length - 1);
  });
});

describe('adaptation checklist', () => {
  it('falls back from the country to * to the default', () => {
    const items = [{ ...DEFAULT_ADAPTATION_ITEMS[0], id: 'x' } as (typeof DEFAULT_ADAPTATION_ITEMS)[number]];
    const templates = [
      { country: 'IN', items },
      { country: '*', items: DEFAULT_ADAPTATION_ITEMS },
    ];
    expect(pickTemplate(templates, 'IN').items[0]?.id).toBe('x');
    expect(pickTemplate(templates, 'in').country).toBe('IN');
    expect(pickTemplate(templates, 'NG').country).toBe('*');
    expect(pickTemplate(templates, null).isDefault).toBe(false);
    expect(pickTemplate([], 'IN')).toMatchObject({ isDefault: true, country: '*' });
  });

  it('the default has migration registration within 7 working days and a non-essential bank card/SIM', () => {
    const reg = DEFAULT_ADAPTATION_ITEMS.find((i) => i.id === 'migration_registration');
    expect(reg).toMatchObject({ dueDays: 7, workingDays: true, essential: true });
    expect(DEFAULT_ADAPTATION_ITEMS.find((i) => i.id === 'bank_card_sim')?.essential).toBe(false);
    expect(DEFAULT_ADAPTATION_ITEMS.every((i) => /verify/.test(i.source))).toBe(true);
  });

  it('counts working days over weekends and calendar days plainly', () => {
    const friday = new Date('2026-08-21T12:00:00Z');
    // 7 working days after Friday 21 August: Monday 24 … Tuesday 1 September.
    expect(itemDueAt(friday, { dueDays: 7, workingDays: true }).toISOString()).toBe('2026-09-01T12:00:00.000Z');
    expect(itemDueAt(friday, { dueDays: 3, workingDays: false }).toISOString()).toBe('2026-08-24T12:00:00.000Z');
  });

  it('validates templates: unique ids and a country code', () => {
    const item = { id: 'a', title: { en: 'A', ru: 'А' }, dueDays: 1 };
    expect(ZAdaptationTemplate.safeParse({ country: '*', items: [item] }).success).toBe(true);
    const dup = ZAdaptationTemplate.safeParse({ country: '*', items: [item, item] });
    expect(dup.success).toBe(false);
    expect(dup.error?.issues[0]?.path).toEqual(['items', 1, 'id']);
    expect(ZAdaptationTemplate.safeParse({ country: 'india', items: [item] }).success).toBe(false);
    expect(storedItems([item, { id: 'BAD' }, null])).toHaveLength(1);
  });
});
