import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../../api';
import { usePageTitle } from '../../ui/page-title';
import { catalogApi, SORTS } from './catalog-api';
import { apiQuery, hasCriteria, LIST_FACETS, PAGE_SIZE, withChanges } from './catalog-query';
import { CompareTray } from './compare-tray';
import { Filters } from './filters';
import { localeOf } from './format';
import { Pager } from './pager';
import { ProgramCard } from './program-card';
import { SearchBox } from './search-box';
import { useResource } from './use-resource';

/** Names the filters an address got wrong, from the API's field errors ("querystring.country.0"). */
function badFilters(error: ApiError, t: (key: string) => string): string {
  const names = new Set(
    error.fieldErrors.map((item) => item.field.replace(/^querystring\./, '').split('.')[0] ?? item.field),
  );
  return [...names]
    .map((name) => (LIST_FACETS.includes(name as never) ? t(`catalog.filters.${name}`) : name))
    .join(', ');
}

function QueryError({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const invalid = error instanceof ApiError && error.code === 'validation_failed';
  const key =
    error instanceof ApiError && i18n.exists(`errors.${error.code}`) ? `errors.${error.code}` : 'errors.generic';
  return (
    <div className="notice notice-error" role="alert" data-testid="catalog-error">
      <p>{invalid ? t('catalog.badQuery', { filters: badFilters(error, t) }) : t(key)}</p>
      <p>
        <Link href="/catalog" data-testid="reset-filters">
          {t('catalog.reset')}
        </Link>
      </p>
    </div>
  );
}

/** The program finder: search, filters with counts, sorting and pages, all kept in the address. */
export function CatalogPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('catalog.title'));
  const locale = localeOf(i18n.resolvedLanguage);
  const search = useSearch();
  const [, navigate] = useLocation();
  const query = apiQuery(search, locale).toString();
  const { data, error, loading } = useResource(query, (signal) =>
    catalogApi.search(new URLSearchParams(query), signal),
  );
  const [filtersOpen, setFiltersOpen] = useState(false);
  const filtersId = useId();
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const searchRef = useRef(search);
  searchRef.current = search;

  const go = useCallback((next: string, replace = false) => navigate(`/catalog${next}`, { replace }), [navigate]);
  const params = new URLSearchParams(search);
  const active = [...params.keys()].filter((name) => !['q', 'sort', 'page', 'pageSize'].includes(name)).length;
  const failed = error !== null;

  // A new page of results: start reading at the results, as after a page load.
  const page = params.get('page') ?? '1';
  const shownPage = useRef(page);
  useEffect(() => {
    if (shownPage.current === page) return;
    shownPage.current = page;
    resultsRef.current?.focus();
    resultsRef.current?.scrollIntoView({ block: 'start' });
  }, [page]);

  return (
    <div className="catalog">
      <header className="page-header catalog-header">
        <h1>{t('catalog.title')}</h1>
        <p className="lead">{t('catalog.lead')}</p>
        <SearchBox search={search} searchRef={searchRef} go={go} />
      </header>

      <div className="catalog-layout">
        <div className="catalog-filters">
          <button
            type="button"
            className="button button-secondary filters-button"
            aria-expanded={filtersOpen}
            aria-controls={filtersId}
            onClick={() => setFiltersOpen((open) => !open)}
          >
            {active > 0 ? t('catalog.filters.buttonActive', { count: active }) : t('catalog.filters.button')}
          </button>
          <section
            id={filtersId}
            className={`filters-panel${filtersOpen ? ' is-open' : ''}`}
            aria-label={t('catalog.filters.title')}
          >
            <h2 className="visually-hidden">{t('catalog.filters.title')}</h2>
            <Filters search={search} facets={data?.facets ?? null} go={(next) => go(next)} />
            {hasCriteria(search) && (
              <p>
                <Link href="/catalog">{t('catalog.reset')}</Link>
              </p>
            )}
          </section>
        </div>

        <section className="catalog-results" aria-labelledby="results-title" aria-busy={loading}>
          <div className="results-bar">
            <h2 id="results-title" className="results-count" tabIndex={-1}>
              <span aria-live="polite" data-testid="result-count">
                {data && !failed ? t('catalog.count', { count: data.total }) : t('app.loading')}
              </span>
            </h2>
            <div className="field-inline">
              <label htmlFor={`${filtersId}-sort`}>{t('catalog.sort.label')}</label>
              <select
                id={`${filtersId}-sort`}
                name="sort"
                data-testid="catalog-sort"
                value={params.get('sort') ?? 'relevance'}
                onChange={(event) =>
                  go(withChanges(search, { sort: event.target.value === 'relevance' ? null : event.target.value }))
                }
              >
                {SORTS.map((sort) => (
                  <option key={sort} value={sort}>
                    {t(`catalog.sort.${sort}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>

          {failed ? (
            <QueryError error={error} />
          ) : data === null ? (
            <div className="results-placeholder" />
          ) : data.items.length === 0 ? (
            <div className="notice notice-info" data-testid="no-results">
              <p>{t('catalog.empty')}</p>
              <p>
                <Link href="/catalog" data-testid="reset-filters">
                  {t('catalog.reset')}
                </Link>
              </p>
            </div>
          ) : (
            <>
              <p className="results-note">{t('catalog.intakeNote', { year: data.intakeYear })}</p>
              <ol className="program-list">
                {data.items.map((program) => (
                  <li key={program.id}>
                    <ProgramCard program={program} />
                  </li>
                ))}
              </ol>
              <Pager search={search} page={data.page} pageSize={data.pageSize || PAGE_SIZE} total={data.total} />
            </>
          )}
        </section>
      </div>
      <CompareTray />
    </div>
  );
}
