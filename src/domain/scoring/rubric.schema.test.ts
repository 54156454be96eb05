import { describe, expect, it } from 'vitest';
import { RUDN_2021_BACHELOR_SPECIALIST, RUDN_2021_MASTER } from './presets.js';
import { bestPoints, type TRubric, ZRubric } from './rubric.schema.js';

/** A fresh, valid copy of the S4-5 rubric to break one rule at a time. */
function rubric(): TRubric {
  return structuredClone(RUDN_2021_BACHELOR_SPECIALIST);
}

function grade(r: TRubric) {
  const c = r.criteria[0];
  if (c?.kind !== 'banded') throw new Error('the first criterion of the preset is the average grade');
  return c;
}

function issues(value: unknown): { path: string; code: unknown }[] {
  const result = ZRubric.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((i) => ({
    path: i.path.join('.'),
    code: i.code === 'custom' ? (i.params as { code?: string } | undefined)?.code : i.code,
  }));
}

describe('ZRubric', () => {
  it('S4-5, S4-6: accepts both RUDN presets', () => {
    expect(issues(RUDN_2021_BACHELOR_SPECIALIST)).toEqual([]);
    expect(issues(RUDN_2021_MASTER)).toEqual([]);
  });

  it('reports a gap between bands at the band that starts too late', () => {
    const r = rubric();
    const bands = grade(r).bands;
    bands[1] = { from: 4.1, to: 4.5, points: 35 };
    expect(issues(r)).toEqual([{ path: 'criteria.0.bands.1.from', code: 'band_gap' }]);
  });

  it('reports overlapping bands', () => {
    const r = rubric();
    grade(r).bands[2] = { from: 4.4, to: 5, points: 40 };
    expect(issues(r)).toEqual([{ path: 'criteria.0.bands.2.from', code: 'band_overlap' }]);
  });

  it('reports bands outside [min, max] and empty bands', () => {
    const below = rubric();
    grade(below).bands[0] = { from: 1, to: 4, points: 30 };
    expect(issues(below)).toEqual([{ path: 'criteria.0.bands.0.from', code: 'band_outside_range' }]);

    const above = rubric();
    grade(above).max = 4.8;
    expect(issues(above)).toEqual([
      { path: 'criteria.0.bands.2.to', code: 'band_outside_range' },
      { path: 'criteria.0.bands.3.from', code: 'band_outside_range' },
    ]);

    const empty = rubric();
    grade(empty).bands[0] = { from: 3.5, to: 3.5, points: 30 };
    expect(issues(empty)).toEqual([
      { path: 'criteria.0.bands.0.to', code: 'band_outside_range' },
      { path: 'criteria.0.bands.1.from', code: 'band_gap' },
    ]);
  });

  it('allows an open-ended band only in the last place', () => {
    const r = rubric();
    grade(r).bands[1] = { from: 4, to: null, points: 35 };
    expect(issues(r)).toEqual([{ path: 'criteria.0.bands.1.to', code: 'open_band_not_last' }]);
  });

  it('refuses negative points', () => {
    const r = rubric();
    grade(r).bands[0] = { from: 3.5, to: 4, points: -5 };
    expect(issues(r).map((i) => i.path)).toContain('criteria.0.bands.0.points');
  });

  it('S4-5: requires the maximum to be exactly what the best portfolio earns', () => {
    const over = rubric();
    over.maximum = 90;
    expect(issues(over)).toEqual([{ path: 'maximum', code: 'over_maximum' }]);

    const unreachable = rubric();
    unreachable.maximum = 110;
    expect(issues(unreachable)).toEqual([{ path: 'maximum', code: 'unreachable_maximum' }]);

    expect(RUDN_2021_BACHELOR_SPECIALIST.criteria.reduce((s, c) => s + bestPoints(c), 0)).toBe(100);
    expect(RUDN_2021_MASTER.criteria.reduce((s, c) => s + bestPoints(c), 0)).toBe(100);
  });

  it('reports duplicate criterion and option ids where the second one is', () => {
    const r = rubric();
    const recommendations = r.criteria[4];
    if (!recommendations) throw new Error('preset has recommendations');
    recommendations.id = 'achievements';
    expect(issues(r)).toEqual([{ path: 'criteria.4.id', code: 'duplicate_id' }]);

    const o = rubric();
    const olympiad = o.criteria[3];
    if (olympiad?.kind !== 'exclusive') throw new Error('preset has the olympiad group');
    olympiad.options[1] = { ...olympiad.options[1], id: 'winner', auto: null } as (typeof olympiad.options)[number];
    expect(issues(o)).toEqual([{ path: 'criteria.3.options.1.id', code: 'duplicate_id' }]);
  });

  it('rejects unknown criterion kinds and unknown fields', () => {
    const r = rubric() as unknown as { criteria: Record<string, unknown>[] };
    r.criteria[1] = { ...r.criteria[1], kind: 'slider' };
    expect(issues(r)[0]?.path).toBe('criteria.1.kind');
    expect(issues({ ...rubric(), extra: 1 })[0]?.code).toBe('unrecognized_keys');
  });
});
