/** The office's exam results: the fast grid, import from a spreadsheet, and the competitive scores. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';
import { applicationsApi } from '../applications/applications-api';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { CompetitiveScores } from './competitive-scores';
import { ExamGrid } from './exam-grid';
import { examsApi } from './exams-api';
import { GridImport } from './grid-import';
import './exams.css';

export function ExamResultsPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const officer = user?.role === 'officer';
  const [version, setVersion] = useState(0);
  const [saves, setSaves] = useState(0);
  const saved = useCallback(() => setSaves((n) => n + 1), []);
  const campaign = useResource(slug, (signal) => applicationsApi.campaign(slug, signal));
  const grid = useResource(`${slug}:${version}`, (signal) => examsApi.grid(slug, signal));
  const error = campaign.error ?? grid.error;
  const title = campaign.data ? pick(campaign.data.title, locale) : null;
  usePageTitle(error ? failureTitle(error, t) : t('exams.grid.pageTitle', { campaign: title ?? '' }));
  if (error) return <LoadFailure error={error} notFoundKey="applications.notFound" />;
  const data = grid.data;

  return (
    <div className="page exam-results-page">
      <p className="breadcrumbs">
        <Link href={`/office/campaigns/${encodeURIComponent(slug)}`}>{title ?? t('office.title')}</Link>
      </p>
      <header className="page-header">
        <h1 id="exam-results-title">{t('exams.grid.title')}</h1>
        {title && <p className="lead">{title}</p>}
      </header>

      {!data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : data.slots.length === 0 ? (
        <p className="notice notice-info">{t('exams.grid.noPlan')}</p>
      ) : (
        <>
          {officer && (
            <section className="panel" aria-labelledby="import-title">
              <h2 id="import-title">{t('exams.import.title')}</h2>
              <GridImport slug={slug} onImported={() => setVersion((n) => n + 1)} />
            </section>
          )}
          <section className="panel" aria-labelledby="grid-title">
            <h2 id="grid-title">{t('exams.grid.results')}</h2>
            {grid.loading ? (
              <p className="loading">{t('app.loading')}</p>
            ) : data.rows.length === 0 ? (
              <p className="empty">{t('exams.grid.noApplicants')}</p>
            ) : (
              // A fresh grid after an import: the cells start from what the server now holds.
              <ExamGrid
                key={version}
                slug={slug}
                slots={data.slots}
                rows={data.rows}
                readOnly={!officer}
                onSaved={saved}
              />
            )}
          </section>
          <CompetitiveScores slug={slug} slots={data.slots} refresh={saves + version} />
        </>
      )}
    </div>
  );
}
