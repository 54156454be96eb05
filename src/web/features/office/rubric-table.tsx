/** A rubric, read-only: each criterion with how it is scored, its most points and its source. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { localeOf, pick, Source } from '../catalog/format';
import type { Criterion, Rubric } from '../reviews/reviews-api';
import { bestPoints, formatNumber } from '../reviews/score-model';

function scoringRules(c: Criterion, t: TFunction, locale: Locale): string[] {
  const num = (value: number, digits = 0) => formatNumber(value, locale, digits);
  if (c.kind === 'yes_no') return [t('office.scoring.yesNo', { points: num(c.points) })];
  if (c.kind === 'exclusive') {
    return [
      ...c.options.map((o) => t('office.scoring.option', { label: pick(o.label, locale), points: num(o.points) })),
      t('office.scoring.onlyOne'),
    ];
  }
  const first = c.bands[0];
  const rules = c.bands.map((b) =>
    b.to === null
      ? b.from === c.max
        ? t('office.scoring.bandExact', { value: num(b.from, 1), points: num(b.points) })
        : t('office.scoring.bandOpen', { from: num(b.from, 1), max: num(c.max, 1), points: num(b.points) })
      : t('office.scoring.band', { from: num(b.from, 1), to: num(b.to, 1), points: num(b.points) }),
  );
  if (first && first.from > c.min) rules.unshift(t('office.scoring.belowBands', { from: num(first.from, 1) }));
  return rules;
}

export function RubricTable({ rubric }: { rubric: Rubric }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" tabIndex={0} aria-label={pick(rubric.title, locale)}>
      <table className="table rubric-table" data-testid="rubric-table">
        <caption className="visually-hidden">{pick(rubric.title, locale)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('office.scoring.criterion')}</th>
            <th scope="col">{t('office.scoring.rules')}</th>
            <th scope="col" className="numeric">
              {t('office.scoring.maxPoints')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rubric.criteria.map((c) => (
            <tr key={c.id} data-testid={`rubric-${c.id}`}>
              <th scope="row">
                {pick(c.label, locale)}
                <div>
                  <Source source={c.source} />
                </div>
              </th>
              <td>
                <ul className="compact-list">
                  {scoringRules(c, t, locale).map((rule) => (
                    <li key={rule}>{rule}</li>
                  ))}
                </ul>
              </td>
              <td className="numeric">{formatNumber(bestPoints(c), locale)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t('office.scoring.maximum')}
            </th>
            <td className="numeric">
              <strong>{formatNumber(rubric.maximum, locale)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
