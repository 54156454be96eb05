import { z } from 'zod';
import { ZText } from '../catalog/catalog.schema.js';

export { ZText };

/**
 * Portfolio rubrics as data (RULES S4-5, S4-6), so an officer can copy last year's rubric and change
 * a band or a weight without a release. Every rule the scorer relies on is checked here, with the
 * path of the offending field, so the API can name it in `errors[].field`.
 */

const id = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and underscores');
const points = z.number().min(0).max(10_000);
const source = z.string().trim().min(1).max(300);

/** Half-open [from, to); `to: null` means "up to and including the criterion's max". */
export const ZBand = z.strictObject({
  from: z.number(),
  to: z.number().nullable(),
  points,
});
export type TBand = z.infer<typeof ZBand>;

const BANDED_AUTO = ['average_grade'] as const;
export const YES_NO_AUTO = [
  'achievements',
  'language_certificate',
  'recommendations',
  'motivation_letter',
  'volunteering',
  'world_ranking',
] as const;
const OPTION_AUTO = ['olympiad_winner', 'olympiad_prize_winner'] as const;

function issue(ctx: z.RefinementCtx, path: (string | number)[], code: string, message: string): void {
  ctx.addIssue({ code: 'custom', path, message, params: { code } });
}

const ZBanded = z
  .strictObject({
    kind: z.literal('banded'),
    id,
    label: ZText,
    min: z.number(),
    max: z.number(),
    bands: z.array(ZBand).min(1).max(50),
    auto: z.enum(BANDED_AUTO).nullable(),
    source,
  })
  .superRefine((c, ctx) => {
    if (!(c.min < c.max)) issue(ctx, ['max'], 'min_not_below_max', 'max must be greater than min');
    c.bands.forEach((band, i) => {
      const at = (field: string) => ['bands', i, field];
      if (band.from < c.min || band.from > c.max) {
        issue(ctx, at('from'), 'band_outside_range', `the band must start within [${c.min}, ${c.max}]`);
      }
      if (band.to !== null && (band.to > c.max || band.to <= band.from)) {
        issue(ctx, at('to'), 'band_outside_range', `the band must end after its start and at most at ${c.max}`);
      }
      const next = c.bands[i + 1];
      if (next === undefined) return;
      if (band.to === null) {
        issue(ctx, at('to'), 'open_band_not_last', 'only the last band may be open-ended (to: null)');
      } else if (next.from > band.to) {
        issue(ctx, ['bands', i + 1, 'from'], 'band_gap', `gap between ${band.to} and ${next.from}`);
      } else if (next.from < band.to) {
        issue(ctx, ['bands', i + 1, 'from'], 'band_overlap', `overlaps the band before, which ends at ${band.to}`);
      }
    });
  });

const ZYesNo = z.strictObject({
  kind: z.literal('yes_no'),
  id,
  label: ZText,
  points,
  auto: z.enum(YES_NO_AUTO).nullable(),
  source,
});

/** A group of statuses of which only one counts (S4-5: "only one status is considered"). */
const ZExclusive = z
  .strictObject({
    kind: z.literal('exclusive'),
    id,
    label: ZText,
    options: z
      .array(z.strictObject({ id, label: ZText, points, auto: z.enum(OPTION_AUTO).nullable() }))
      .min(1)
      .max(20),
    source,
  })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    const autos = new Set<string>();
    c.options.forEach((o, i) => {
      if (ids.has(o.id)) issue(ctx, ['options', i, 'id'], 'duplicate_id', `option id "${o.id}" is used twice`);
      ids.add(o.id);
      if (o.auto !== null && autos.has(o.auto)) {
        issue(ctx, ['options', i, 'auto'], 'duplicate_auto', `"${o.auto}" already fills another option`);
      }
      if (o.auto !== null) autos.add(o.auto);
    });
  });

export const ZCriterion = z.discriminatedUnion('kind', [ZBanded, ZYesNo, ZExclusive]);
export type TCriterion = z.infer<typeof ZCriterion>;
export type TBandedCriterion = Extract<TCriterion, { kind: 'banded' }>;
export type TExclusiveCriterion = Extract<TCriterion, { kind: 'exclusive' }>;

/** The most a criterion can give: the best band, the yes, or the best single option. */
export function bestPoints(c: TCriterion): number {
  switch (c.kind) {
    case 'banded':
      return Math.max(...c.bands.map((b) => b.points));
    case 'yes_no':
      return c.points;
    case 'exclusive':
      return Math.max(...c.options.map((o) => o.points));
  }
}

/** Floating sums of points such as 0.1 + 0.2 are compared to 2 decimals, as points are printed. */
export const round2 = (n: number): number => Math.round(n * 100) / 100;

export const ZRubric = z
  .strictObject({
    slug: z
      .string()
      .min(2)
      .max(120)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens'),
    title: ZText,
    maximum: z.number().positive().max(10_000),
    criteria: z.array(ZCriterion).min(1).max(50),
    source,
  })
  .superRefine((r, ctx) => {
    const ids = new Set<string>();
    r.criteria.forEach((c, i) => {
      if (ids.has(c.id)) issue(ctx, ['criteria', i, 'id'], 'duplicate_id', `criterion id "${c.id}" is used twice`);
      ids.add(c.id);
    });
    // The stated maximum must be exactly what a perfect portfolio earns: above it the cap would
    // silently cut points; below it the published maximum could never be reached.
    const best = round2(r.criteria.reduce((sum, c) => sum + bestPoints(c), 0));
    if (best > r.maximum) {
      issue(ctx, ['maximum'], 'over_maximum', `the criteria can give ${best} points, more than the maximum`);
    } else if (best < r.maximum) {
      issue(ctx, ['maximum'], 'unreachable_maximum', `the criteria give at most ${best} points: unreachable`);
    }
  });
export type TRubric = z.infer<typeof ZRubric>;
