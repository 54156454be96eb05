/** A campaign's published ranked lists, for anyone: run, hashes, and one line per competition. */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { formatCutoff, ServerTime, ShortHash } from './admission-text';
import { admissionsApi } from './admissions-api';
import './admissions.css';

export function RankedListsPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const lists = useResource(slug, (signal) => admissionsApi.lists(slug, signal));
  const data = lists.data?.campaign.slug === slug ? lists.data : null;
  const title = data ? pick(data.campaign.title, locale) : null;
  usePageTitle(lists.error ? failureTitle(lists.error, t) : t('lists.pageTitle', { campaign: title ?? '' }));
  if (lists.error) return <LoadFailure error={lists.error} notFoundKey="lists.notFound" />;
  if (!data) return <p className="loading page-placeholder">{t('app.loading')}</p>;

  return (
    <div className="page ranked-lists-page">
      <header className="page-header">
        <h1 id="lists-title">{t('lists.title')}</h1>
        <p className="lead">
          {title} · {data.campaign.academicYear}
        </p>
        <p className="field-hint">{t('lists.lead')}</p>
      </header>
      {!data.run ? (
        <p className="notice notice-info" data-testid="lists-unpublished">
          {t('lists.notPublished')}
        </p>
      ) : (
        <>
          <dl className="details panel run-facts" data-testid="lists-run">
            <div>
              <dt>{t('lists.run')}</dt>
              <dd data-testid="lists-run-seq">{t('lists.runNumber', { seq: data.run.seq })}</dd>
            </div>
            <div>
              <dt>{t('lists.publishedAt')}</dt>
              <dd>
                <ServerTime iso={data.run.publishedAt} />
              </dd>
            </div>
            {data.run.confirmBy && (
              <div>
                <dt>{t('lists.confirmBy')}</dt>
                <dd>
                  <ServerTime iso={data.run.confirmBy} />
                </dd>
              </div>
            )}
            <div>
              <dt>{t('lists.inputHash')}</dt>
              <dd>
                <ShortHash value={data.run.inputSha256} testId="lists-input-hash" />
              </dd>
            </div>
            <div>
              <dt>{t('lists.outputHash')}</dt>
              <dd>
                <ShortHash value={data.run.outputSha256} testId="lists-output-hash" />
              </dd>
            </div>
          </dl>
          <p className="field-hint">{t('lists.hashHint')}</p>
          {data.competitions.length === 0 ? (
            <p className="empty">{t('lists.noCompetitions')}</p>
          ) : (
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
            <section className="table-wrap" aria-labelledby="lists-title" tabIndex={0}>
              <table className="table" data-testid="lists-table">
                <caption className="visually-hidden">{t('lists.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('lists.columns.program')}</th>
                    <th scope="col">{t('lists.columns.funding')}</th>
                    <th scope="col" className="numeric">
                      {t('lists.columns.seats')}
                    </th>
                    <th scope="col" className="numeric">
                      {t('lists.columns.admitted')}
                    </th>
                    <th scope="col" className="numeric">
                      {t('lists.columns.applications')}
                    </th>
                    <th scope="col">{t('lists.columns.cutoff')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.competitions.map((c) => (
                    <tr key={c.id} data-testid={`lists-row-${c.id}`}>
                      <th scope="row" className="row-head">
                        <Link href={`/lists/${encodeURIComponent(slug)}/${c.id}`} data-testid={`open-list-${c.id}`}>
                          {pick(c.program.title, locale)}
                        </Link>
                        <div className="field-hint">{t(`catalog.enums.studyForm.${c.studyForm}`)}</div>
                      </th>
                      <td>{t(`catalog.enums.funding.${c.funding}`)}</td>
                      <td className="numeric">{c.capacity}</td>
                      <td className="numeric">{c.admitted}</td>
                      <td className="numeric">{c.applications}</td>
                      <td className="numeric">{formatCutoff(c.cutoff, t, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
    </div>
  );
}
