import { type FormEvent, lazy, Suspense, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { formatDateTime } from '../../ui/dates';
import { usePageTitle } from '../../ui/page-title';
import { countryName } from '../../ui/regions';
import { ApplicationStatusBadge } from '../applications/applications.page';
import { applicationsApi } from '../applications/applications-api';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { DOCUMENT_FILTERS, type Filter, filterQuery, officeApi, STATUS_FILTERS } from './office-api';

// Scoring and exams are their own chunks: the applications list loads without them.
const ScoringSection = lazy(() => import('./scoring-section').then((m) => ({ default: m.ScoringSection })));
const ExamsSection = lazy(() => import('./exams-section').then((m) => ({ default: m.ExamsSection })));
const AllocationSection = lazy(() => import('./allocation-section').then((m) => ({ default: m.AllocationSection })));

function FilterSelect({
  name,
  label,
  value,
  onChange,
  options,
}: {
  name: Filter;
  label: string;
  value: string;
  onChange: (name: Filter, value: string) => void;
  options: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        data-testid={`filter-${name}`}
        onChange={(event) => onChange(name, event.target.value)}
      >
        <option value="">{t('office.filters.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A campaign's submitted and withdrawn applications, filtered and exported. */
export function CampaignApplicationsPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const search = useSearch();
  const [location, navigate] = useLocation();
  const searchId = useId();
  const query = filterQuery(new URLSearchParams(search));
  const [q, setQ] = useState(query.get('q') ?? '');
  const campaign = useResource(slug, (signal) => applicationsApi.campaign(slug, signal));
  const list = useResource(`${slug}?${query.toString()}`, (signal) => officeApi.applications(slug, query, signal));
  const error = campaign.error ?? list.error;
  const title = campaign.data?.slug === slug ? pick(campaign.data.title, locale) : null;
  usePageTitle(error ? failureTitle(error, t) : (title ?? t('office.title')));
  if (error) return <LoadFailure error={error} notFoundKey="applications.notFound" />;

  const setFilter = (name: Filter, value: string) => {
    const next = new URLSearchParams(query);
    if (value.trim()) next.set(name, value.trim());
    else next.delete(name);
    const text = next.toString();
    navigate(text ? `${location}?${text}` : location, { replace: true });
  };
  const submitSearch = (event: FormEvent) => {
    event.preventDefault();
    setFilter('q', q);
  };

  const programs = [
    ...new Map((campaign.data?.competitions ?? []).map((c) => [c.program.slug, pick(c.program.title, locale)])),
  ].map(([value, label]) => ({ value, label }));
  const items = list.data?.items ?? null;

  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link href="/office/campaigns">{t('office.title')}</Link>
      </p>
      <header className="page-header">
        <h1 id="applications-title">{title ?? t('app.loading')}</h1>
        <p className="lead">{t('office.applicationsLead')}</p>
        <nav aria-label={t('office.sections.label')}>
          <ul className="section-links">
            <li>
              <a href="#applications-title">{t('office.sections.applications')}</a>
            </li>
            <li>
              <a href="#scoring">{t('office.scoring.title')}</a>
            </li>
            <li>
              <a href="#exams">{t('office.exams.title')}</a>
            </li>
            <li>
              <a href="#allocation">{t('allocation.title')}</a>
            </li>
          </ul>
        </nav>
      </header>

      <form className="office-filters panel" onSubmit={submitSearch} aria-label={t('office.filters.label')}>
        <FilterSelect
          name="status"
          label={t('office.filters.status')}
          value={query.get('status') ?? ''}
          onChange={setFilter}
          options={STATUS_FILTERS.map((s) => ({ value: s, label: t(`applications.status.${s}`) }))}
        />
        <FilterSelect
          name="program"
          label={t('office.filters.program')}
          value={query.get('program') ?? ''}
          onChange={setFilter}
          options={programs}
        />
        <FilterSelect
          name="documents"
          label={t('office.filters.documents')}
          value={query.get('documents') ?? ''}
          onChange={setFilter}
          options={DOCUMENT_FILTERS.map((d) => ({ value: d, label: t(`office.filters.documentStates.${d}`) }))}
        />
        <div className="field office-search">
          <label htmlFor={searchId}>{t('office.filters.search')}</label>
          <div className="search-row">
            <input
              id={searchId}
              type="search"
              name="q"
              value={q}
              data-testid="filter-q"
              onChange={(event) => setQ(event.target.value)}
            />
            <button type="submit" className="button button-secondary">
              {t('office.filters.apply')}
            </button>
          </div>
        </div>
      </form>

      <div className="results-bar">
        <p className="results-count" role="status" aria-live="polite" data-testid="applications-count">
          {items ? t('office.count', { count: items.length }) : t('app.loading')}
        </p>
        <p className="export-links">
          <a href={officeApi.exportUrl(slug, query, 'xlsx')} download data-testid="export-xlsx">
            {t('office.exportXlsx')}
          </a>{' '}
          ·{' '}
          <a href={officeApi.exportUrl(slug, query, 'csv')} download data-testid="export-csv">
            {t('office.exportCsv')}
          </a>
        </p>
      </div>

      {items && items.length === 0 && <p className="empty">{t('office.noApplications')}</p>}
      {items && items.length > 0 && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" aria-labelledby="applications-title" tabIndex={0}>
          <table className="table office-table" data-testid="applications-table">
            <caption className="visually-hidden">{t('office.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('office.columns.number')}</th>
                <th scope="col">{t('office.columns.applicant')}</th>
                <th scope="col">{t('office.columns.citizenship')}</th>
                <th scope="col">{t('office.columns.choices')}</th>
                <th scope="col">{t('office.columns.documents')}</th>
                <th scope="col">{t('office.columns.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-testid="application-row" data-applicant={a.applicant.id}>
                  <td>
                    <Link
                      href={`/office/campaigns/${encodeURIComponent(slug)}/applicants/${a.applicant.id}`}
                      data-testid={`open-applicant-${a.applicant.id}`}
                    >
                      {a.number ?? t('office.noNumber')}
                    </Link>
                    {a.submittedAt && <div className="field-hint">{formatDateTime(a.submittedAt, locale)}</div>}
                  </td>
                  <td className="cell-email">
                    <strong>{a.applicant.latinName ?? a.applicant.fullName}</strong>
                    <div className="field-hint">{a.applicant.email}</div>
                  </td>
                  <td>
                    {a.applicant.citizenship ? countryName(a.applicant.citizenship, locale) : '—'}
                    {a.applicant.category && (
                      <div className="field-hint">{t(`dossier.categories.${a.applicant.category}`)}</div>
                    )}
                  </td>
                  <td>
                    <ol className="compact-list">
                      {a.choices.map((c) => (
                        <li key={c.priority}>
                          {pick(c.title, locale)} ({t(`catalog.enums.funding.${c.funding}`).toLocaleLowerCase(locale)})
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td>
                    {t('office.documentCounts', {
                      accepted: a.documents.accepted,
                      pending: a.documents.pending,
                      rejected: a.documents.rejected,
                    })}
                  </td>
                  <td>
                    <ApplicationStatusBadge status={a.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <Suspense fallback={<p className="loading">{t('app.loading')}</p>}>
        <ScoringSection slug={slug} />
        {campaign.data && <ExamsSection slug={slug} windows={campaign.data.windows} />}
        {campaign.data && <AllocationSection slug={slug} competitions={campaign.data.competitions} />}
      </Suspense>
    </div>
  );
}
