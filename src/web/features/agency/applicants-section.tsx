/**
 * Applicants who granted the agency access: the pipeline as a list (with filters) or a board grouped by
 * stage. On a server without the pipeline endpoint, the list is what the leads tell: people who
 * registered through an invitation and granted access.
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { formatDate, formatDateTime } from '../../ui/dates';
import { countryName } from '../../ui/regions';
import { localeOf, pick } from '../catalog/format';
import { LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { agencyApi } from './agency-api';
import { leadSource } from './leads-section';
import { isMissingRoute, type PipelineItem, STAGES, workApi } from './work-api';

const FILTERS = ['stage', 'consultant', 'q', 'view'] as const;

function applicantHref(id: string) {
  return `/agency/applicants/${encodeURIComponent(id)}`;
}

function FromLeads() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const leads = useResource('leads:converted', (signal) => agencyApi.leads('converted', signal));
  if (leads.error) return <LoadFailure error={leads.error} notFoundKey="notFound.text" />;
  const items = leads.data?.items.filter((l) => l.applicantId) ?? null;
  return (
    <>
      <p className="field-hint">{t('agency.applicants.fromLeads')}</p>
      <p className="results-count" role="status" aria-live="polite">
        {items && t('agency.applicants.count', { count: items.length })}
      </p>
      {!items ? (
        <p className="loading">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p className="empty">{t('agency.applicants.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="applicants-table">
            <caption className="visually-hidden">{t('agency.applicants.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agency.leads.person')}</th>
                <th scope="col">{t('agency.leads.citizenship')}</th>
                <th scope="col">{t('agency.leads.source')}</th>
                <th scope="col">{t('agency.leads.received')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((lead) => (
                <tr key={lead.id} data-testid="applicant-row">
                  <th scope="row">
                    <Link href={applicantHref(lead.applicantId ?? '')} data-testid="applicant-link">
                      {lead.name}
                    </Link>
                    <span className="cell-email">{lead.email}</span>
                  </th>
                  <td>{lead.citizenship ? countryName(lead.citizenship, locale) : '—'}</td>
                  <td>{leadSource(lead, locale, t)}</td>
                  <td>{formatDateTime(lead.createdAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function PipelineList({ items }: { items: PipelineItem[] }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    <div className="table-wrap">
      <table className="table" data-testid="applicants-table">
        <caption className="visually-hidden">{t('agency.applicants.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('agency.leads.person')}</th>
            <th scope="col">{t('agency.pipeline.stage')}</th>
            <th scope="col">{t('agency.pipeline.universities')}</th>
            <th scope="col">{t('agency.lead.consultant')}</th>
            <th scope="col">{t('agency.pipeline.nextTask')}</th>
            <th scope="col">{t('agency.grants.scope')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} data-testid="applicant-row" data-stage={item.stage?.stage ?? ''}>
              <th scope="row">
                <Link href={applicantHref(item.id)} data-testid="applicant-link">
                  {item.fullName}
                </Link>
                <span className="cell-email">{item.email}</span>
              </th>
              <td>
                {item.stage ? (
                  <>
                    {t(`agency.stages.${item.stage.stage}`)}
                    <span className="cell-email">{formatDateTime(item.stage.reachedAt, locale)}</span>
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>{item.universities.map((u) => pick(u.name, locale)).join(', ') || '—'}</td>
              <td>{item.consultant?.fullName ?? t('agency.lead.nobody')}</td>
              <td>
                {item.nextTask
                  ? `${item.nextTask.title} (${formatDate(item.nextTask.dueAt.slice(0, 10), locale)})`
                  : '—'}
              </td>
              <td>{t(`agency.scope.${item.scope}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One column per stage; a heading with the count, then a link per applicant. */
function PipelineBoard({ items }: { items: PipelineItem[] }) {
  const { t } = useTranslation();
  const none = items.filter((i) => !i.stage);
  const columns = [
    ...(none.length > 0 ? [{ id: 'none', title: t('agency.pipeline.noStage'), people: none }] : []),
    ...STAGES.map((stage) => ({
      id: stage,
      title: t(`agency.stages.${stage}`),
      people: items.filter((i) => i.stage?.stage === stage),
    })),
  ];
  return (
    <div className="pipeline-board" data-testid="pipeline-board">
      {columns.map((column) => (
        <section key={column.id} className="pipeline-column" aria-labelledby={`stage-${column.id}`}>
          <h3 id={`stage-${column.id}`}>
            {column.title} <span className="badge badge-muted">{column.people.length}</span>
          </h3>
          {column.people.length > 0 && (
            <ul>
              {column.people.map((p) => (
                <li key={p.id}>
                  <Link href={applicantHref(p.id)} className="pipeline-card">
                    {p.fullName}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

export function ApplicantsSection() {
  const { t } = useTranslation();
  const id = useId();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(useSearch());
  const filter = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const [q, setQ] = useState(filter.q);
  const key = `pipeline:${filter.stage}:${filter.consultant}:${filter.q}`;
  const pipeline = useResource(key, (signal) =>
    workApi.pipeline({ stage: filter.stage, consultant: filter.consultant, q: filter.q }, signal),
  );
  const consultants = useResource('consultants', (signal) => agencyApi.consultants(signal));

  const set = (name: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    const text = next.toString();
    navigate(text ? `${location}?${text}` : location, { replace: true });
  };

  const missing = isMissingRoute(pipeline.error);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('agency.applicants.title')}</h2>
      {missing ? (
        <FromLeads />
      ) : pipeline.error ? (
        <LoadFailure error={pipeline.error} notFoundKey="notFound.text" />
      ) : (
        <>
          <div className="toolbar office-filters">
            <div className="field">
              <label htmlFor={`${id}-stage`}>{t('agency.pipeline.stage')}</label>
              <select id={`${id}-stage`} value={filter.stage} onChange={(e) => set('stage', e.target.value)}>
                <option value="">{t('agency.pipeline.allStages')}</option>
                {STAGES.map((s) => (
                  <option key={s} value={s}>
                    {t(`agency.stages.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-consultant`}>{t('agency.lead.consultant')}</label>
              <select
                id={`${id}-consultant`}
                value={filter.consultant}
                onChange={(e) => set('consultant', e.target.value)}
              >
                <option value="">{t('agency.pipeline.anyConsultant')}</option>
                <option value="none">{t('agency.lead.nobody')}</option>
                {(consultants.data?.items ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.fullName}
                  </option>
                ))}
              </select>
            </div>
            <form
              className="field"
              onSubmit={(event: FormEvent) => {
                event.preventDefault();
                set('q', q.trim());
              }}
            >
              <label htmlFor={`${id}-q`}>{t('agency.pipeline.search')}</label>
              <span className="form-inline">
                <input id={`${id}-q`} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
                <button type="submit" className="button button-secondary">
                  {t('agency.pipeline.find')}
                </button>
              </span>
            </form>
            <fieldset className="view-switch">
              <legend>{t('agency.pipeline.view')}</legend>
              {(['list', 'board'] as const).map((view) => (
                <label key={view} className="check">
                  <input
                    type="radio"
                    name={`${id}-view`}
                    checked={(filter.view || 'list') === view}
                    onChange={() => set('view', view === 'list' ? '' : view)}
                  />
                  <span>{t(`agency.pipeline.${view}`)}</span>
                </label>
              ))}
            </fieldset>
          </div>
          <p className="results-count" role="status" aria-live="polite">
            {pipeline.data && t('agency.applicants.count', { count: pipeline.data.items.length })}
          </p>
          {!pipeline.data ? (
            <p className="loading">{t('app.loading')}</p>
          ) : pipeline.data.items.length === 0 ? (
            <p className="empty">{t('agency.applicants.none')}</p>
          ) : filter.view === 'board' ? (
            <PipelineBoard items={pipeline.data.items} />
          ) : (
            <PipelineList items={pipeline.data.items} />
          )}
        </>
      )}
    </section>
  );
}
