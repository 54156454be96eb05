import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { catalogApi } from './catalog-api';
import { formatPlace, Known, localeOf, pick } from './format';
import { LoadFailure } from './load-failure';
import { useResource } from './use-resource';

/** Every university of the catalog: name, where it is, how many programs it offers. */
export function UniversitiesPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  usePageTitle(t('catalog.universities.title'));
  const { data, error } = useResource('universities', (signal) => catalogApi.universities(signal));

  return (
    <div className="universities-page">
      <header className="page-header">
        <h1>{t('catalog.universities.title')}</h1>
        <p className="lead">{t('catalog.universities.lead')}</p>
      </header>
      {error ? (
        <LoadFailure error={error} notFoundKey="errors.not_found" />
      ) : !data ? (
        <p className="loading page-placeholder">{t('app.loading')}</p>
      ) : (
        <ul className="university-list" data-testid="university-list">
          {data.items.map((university) => (
            <li key={university.id} className="card university-card" data-testid="university-card">
              <h2 className="university-card-title">
                <Link href={`/universities/${encodeURIComponent(university.slug)}`}>
                  {pick(university.name, locale)}
                </Link>
              </h2>
              {university.shortName && <p className="university-card-short">{university.shortName}</p>}
              <p className="university-card-place">
                <Known value={formatPlace(university, t, locale)} />
              </p>
              <p>
                <Link href={`/catalog?university=${encodeURIComponent(university.slug)}`}>
                  {t('catalog.universities.programCount', { count: university.programCount })}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
