/** The applicant's portfolio score: per criterion once final, otherwise where the scoring stands. */
import { useTranslation } from 'react-i18next';
import { localeOf, pick, Source } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { reviewsApi } from './reviews-api';
import { formatNumber } from './score-model';
import './reviews.css';

export function ScoreBreakdownPanel({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const score = useResource(slug, (signal) => reviewsApi.myScore(slug, signal));
  const num = (value: number) => formatNumber(value, locale);

  return (
    <section
      className="panel"
      aria-labelledby="portfolio-score"
      data-testid="score-breakdown"
      data-status={score.data?.status}
    >
      <h2 id="portfolio-score">{t('reviews.breakdown.title')}</h2>
      {score.error ? (
        <p role="alert">{t('reviews.breakdown.failed')}</p>
      ) : !score.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : score.data.status !== 'final' ? (
        <p>{t(`reviews.breakdown.${score.data.status}`)}</p>
      ) : (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-wrap" tabIndex={0} aria-labelledby="portfolio-score">
            <table className="table score-table">
              <caption className="visually-hidden">{t('reviews.breakdown.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reviews.breakdown.criterion')}</th>
                  <th scope="col" className="numeric">
                    {t('reviews.breakdown.points')}
                  </th>
                  <th scope="col">{t('reviews.breakdown.source')}</th>
                </tr>
              </thead>
              <tbody>
                {score.data.items.map((item) => (
                  <tr key={item.criterionId} data-testid={`score-${item.criterionId}`}>
                    <th scope="row">{pick(item.label, locale)}</th>
                    <td className="numeric">
                      {t('reviews.breakdown.ofMaximum', { points: num(item.points), maximum: num(item.maximum) })}
                    </td>
                    <td>
                      <Source source={item.source} />
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('reviews.breakdown.total')}</th>
                  <td className="numeric" data-testid="score-total">
                    <strong>
                      {t('reviews.breakdown.ofMaximum', {
                        points: num(score.data.total ?? 0),
                        maximum: num(score.data.maximum ?? 0),
                      })}
                    </strong>
                  </td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </section>
          <p className="field-hint">{t('reviews.breakdown.final')}</p>
        </>
      )}
    </section>
  );
}
