import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RUDN_2021_BACHELOR_SPECIALIST, RUDN_2021_MASTER } from './presets.js';
import { type TCriterion, type TRubric, ZRubric } from './rubric.schema.js';
import { type ScoreInput, scoreRubric } from './score-rubric.js';

/** A valid input for one criterion, or null (not given). */
function inputFor(c: TCriterion): fc.Arbitrary<ScoreInput> {
  switch (c.kind) {
    case 'banded':
      return fc.option(fc.double({ min: c.min, max: c.max, noNaN: true }), { nil: null });
    case 'yes_no':
      return fc.option(fc.boolean(), { nil: null });
    case 'exclusive':
      return fc.option(fc.constantFrom(...c.options.map((o) => o.id)), { nil: null });
  }
}

function inputsFor(rubric: TRubric): fc.Arbitrary<Record<string, ScoreInput>> {
  return fc.record(Object.fromEntries(rubric.criteria.map((c) => [c.id, inputFor(c)])));
}

/** A value at least as good as `input` for the criterion: never fewer points by the rules. */
function better(c: TCriterion, input: ScoreInput): fc.Arbitrary<ScoreInput> {
  switch (c.kind) {
    case 'banded':
      return fc.double({ min: typeof input === 'number' ? input : c.min, max: c.max, noNaN: true });
    case 'yes_no':
      return fc.constant(true);
    case 'exclusive': {
      const current = c.options.find((o) => o.id === input)?.points ?? 0;
      return fc.constantFrom(...c.options.filter((o) => o.points >= current).map((o) => o.id));
    }
  }
}

describe.each([
  ['S4-5', RUDN_2021_BACHELOR_SPECIALIST],
  ['S4-6', RUDN_2021_MASTER],
] as const)('%s: scoring properties', (_rule, rubric) => {
  it('the total stays within [0, maximum] for any valid inputs', () => {
    fc.assert(
      fc.property(inputsFor(rubric), (inputs) => {
        const { total, maximum } = scoreRubric(rubric, inputs);
        expect(total).toBeGreaterThanOrEqual(0);
        expect(total).toBeLessThanOrEqual(maximum);
      }),
    );
  });

  it('improving one criterion never lowers the total', () => {
    const improved = inputsFor(rubric).chain((inputs) =>
      fc
        .nat({ max: rubric.criteria.length - 1 })
        .chain((i) => {
          const c = rubric.criteria[i] as TCriterion;
          return better(c, inputs[c.id] ?? null).map((value) => ({ ...inputs, [c.id]: value }));
        })
        .map((after) => [inputs, after] as const),
    );
    fc.assert(
      fc.property(improved, ([before, after]) => {
        expect(scoreRubric(rubric, after).total).toBeGreaterThanOrEqual(scoreRubric(rubric, before).total);
      }),
    );
  });
});

describe('generated rubrics', () => {
  /** Contiguous bands cut from [0, 10] at sorted points, the last one open; maximum = best sum. */
  const rubricArb: fc.Arbitrary<TRubric> = fc
    .record({
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 6 }),
      bandPoints: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 7, maxLength: 7 }),
      yes: fc.integer({ min: 0, max: 20 }),
      options: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 4 }),
    })
    .map(({ cuts, bandPoints, yes, options }) => {
      const edges = [...cuts].sort((a, b) => a - b).map((n) => n / 10);
      const bands = edges.map((from, i) => ({ from, to: edges[i + 1] ?? null, points: bandPoints[i] ?? 0 }));
      const best = Math.max(...bands.map((b) => b.points)) + yes + Math.max(...options);
      return ZRubric.parse({
        slug: 'generated',
        title: { en: 'Generated', ru: 'Сгенерированная' },
        maximum: Math.max(best, 1),
        criteria: [
          { kind: 'banded', id: 'grade', label: { en: 'G', ru: 'Г' }, min: 0, max: 10, bands, auto: null, source: 't' },
          {
            kind: 'yes_no',
            id: 'yes',
            label: { en: 'Y', ru: 'Д' },
            points: best === 0 ? 1 : yes,
            auto: null,
            source: 't',
          },
          {
            kind: 'exclusive',
            id: 'pick',
            label: { en: 'P', ru: 'В' },
            options: options.map((points, i) => ({ id: `o${i}`, label: { en: 'O', ru: 'О' }, points, auto: null })),
            source: 't',
          },
        ],
        source: 'property test',
      });
    });

  it('any rubric the schema accepts scores within [0, maximum]', () => {
    fc.assert(
      fc.property(
        rubricArb.chain((r) => inputsFor(r).map((inputs) => [r, inputs] as const)),
        ([rubric, inputs]) => {
          const { total, maximum } = scoreRubric(rubric, inputs);
          expect(total).toBeGreaterThanOrEqual(0);
          expect(total).toBeLessThanOrEqual(maximum);
        },
      ),
    );
  });
});
