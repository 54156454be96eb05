/** For the senior reviewer: the readers' totals and points per criterion side by side, and their comments. */
import { useTranslation } from 'react-i18next';
import { localeOf, pick } from '../catalog/format';
import type { ReviewFile } from './reviews-api';
import { bestPoints, formatNumber } from './score-model';

export function ReadersPanel({
  file,
  names,
  onStartFrom,
}: {
  file: ReviewFile;
  /** Reader names by user id, when the campaign's progress could be read. */
  names: Map<string, string>;
  onStartFrom: (readerIndex: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const readers = file.readers.map((r, index) => ({
    ...r,
    name: names.get(r.reviewerId) ?? t('reviews.readers.reader', { n: index + 1 }),
  }));
  const num = (value: number | null | undefined) =>
    value === null || value === undefined ? '—' : formatNumber(value, locale);
  const totals = readers.map((r) => r.total).filter((v): v is number => v !== null);
  const spread = totals.length > 1 ? Math.max(...totals) - Math.min(...totals) : null;

  return (
    <section className="panel readers-panel" aria-labelledby="readers-title" data-testid="readers">
      <h2 id="readers-title">{t('reviews.readers.title')}</h2>
      <p className="field-hint">{t('reviews.readers.lead')}</p>
      {readers.length === 0 ? (
        <p className="empty">{t('reviews.readers.none')}</p>
      ) : (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-wrap" tabIndex={0} aria-labelledby="readers-title">
            <table className="table readers-table">
              <caption className="visually-hidden">{t('reviews.readers.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reviews.readers.criterion')}</th>
                  {readers.map((r) => (
                    <th scope="col" key={r.reviewerId}>
                      {r.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {file.rubric.criteria.map((c) => {
                  const points = readers.map((r) => r.items?.find((i) => i.criterionId === c.id)?.points ?? null);
                  const differs = new Set(points).size > 1;
                  return (
                    <tr key={c.id} data-testid={`readers-${c.id}`} className={differs ? 'differs' : undefined}>
                      <th scope="row">
                        {differs && <span className="badge badge-bad">{t('reviews.readers.differs')}</span>}{' '}
                        {pick(c.label, locale)}{' '}
                        <span className="field-hint">
                          {t('reviews.form.ofMax', { max: formatNumber(bestPoints(c), locale) })}
                        </span>
                      </th>
                      {readers.map((r) => (
                        <td key={r.reviewerId} className="numeric">
                          {num(r.items?.find((i) => i.criterionId === c.id)?.points)}
                        </td>
                      ))}
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('reviews.readers.total')}</th>
                  {readers.map((r) => (
                    <td key={r.reviewerId} className="numeric" data-testid="reader-total">
                      <strong>{num(r.total)}</strong>
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </section>
          {spread !== null && (
            <p data-testid="readers-spread">{t('reviews.readers.spread', { spread: formatNumber(spread, locale) })}</p>
          )}
          <ul className="plainlist reader-comments">
            {readers.map((r, index) => (
              <li key={r.reviewerId}>
                <strong>{r.name}:</strong>{' '}
                {r.comment ? <q>{r.comment}</q> : <span className="not-stated">{t('reviews.readers.noComment')}</span>}{' '}
                {r.items && r.items.length > 0 && (
                  <button type="button" className="button button-quiet" onClick={() => onStartFrom(index)}>
                    {t('reviews.readers.startFrom', { name: r.name })}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
