/** The agency's leads: questions from the public form, filtered by status, newest first. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import type { Locale } from '../../api';
import { formatDateTime } from '../../ui/dates';
import { countryName } from '../../ui/regions';
import { localeOf, pick } from '../catalog/format';
import { LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { agencyApi, LEAD_STATUSES, type Lead, type LeadStatus } from './agency-api';

export function LeadStatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useTranslation();
  const tone =
    status === 'converted' ? 'badge-good' : status === 'closed' ? 'badge-muted' : status === 'new' ? 'badge-bad' : '';
  return (
    <span className={`badge ${tone}`} data-status={status}>
      {t(`agency.leads.status.${status}`)}
    </span>
  );
}

/** Where the question was asked: a program's or a university's page (by name), or the general form. */
export function leadSource(
  lead: Pick<Lead, 'source' | 'origin'>,
  locale: Locale,
  t: (key: string, values?: Record<string, unknown>) => string,
) {
  const [kind, slug] = (lead.source ?? 'site').split(':');
  const university = lead.origin?.university ? pick(lead.origin.university.name, locale) : null;
  if (kind === 'program' && slug) {
    const program = lead.origin?.program ? pick(lead.origin.program.name, locale) : slug;
    return university
      ? t('agency.leads.fromProgramAt', { program, university })
      : t('agency.leads.fromProgram', { program });
  }
  if (kind === 'university' && slug) return t('agency.leads.fromUniversity', { university: university ?? slug });
  return t('agency.leads.fromSite');
}

export function LeadsSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const [location, navigate] = useLocation();
  const requested = new URLSearchParams(useSearch()).get('status') ?? '';
  const status = (LEAD_STATUSES as readonly string[]).includes(requested) ? (requested as LeadStatus) : '';
  const leads = useResource(`leads:${status}`, (signal) => agencyApi.leads(status, signal));

  if (leads.error) return <LoadFailure error={leads.error} notFoundKey="notFound.text" />;
  const items = leads.data?.items ?? null;

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('agency.leads.title')}</h2>
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor={`${id}-status`}>{t('agency.leads.filter')}</label>
          <select
            id={`${id}-status`}
            value={status}
            data-testid="lead-status-filter"
            onChange={(event) => {
              const value = event.target.value;
              navigate(value ? `${location}?status=${value}` : location, { replace: true });
            }}
          >
            <option value="">{t('agency.leads.allStatuses')}</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`agency.leads.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="results-count" role="status" aria-live="polite">
        {items && t('agency.leads.count', { count: items.length })}
      </p>
      {!items ? (
        <p className="loading">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p className="empty">{t('agency.leads.none')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="leads-table">
            <caption className="visually-hidden">{t('agency.leads.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('agency.leads.person')}</th>
                <th scope="col">{t('agency.leads.source')}</th>
                <th scope="col">{t('agency.leads.citizenship')}</th>
                <th scope="col">{t('agency.leads.statusColumn')}</th>
                <th scope="col">{t('agency.leads.received')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((lead) => (
                <tr key={lead.id} data-testid="lead-row" data-email={lead.email}>
                  <th scope="row">
                    <Link href={`/agency/leads/${encodeURIComponent(lead.id)}`} data-testid="lead-link">
                      {lead.name}
                    </Link>
                    <span className="cell-email">{lead.email}</span>
                  </th>
                  <td>{leadSource(lead, locale, t)}</td>
                  <td>{lead.citizenship ? countryName(lead.citizenship, locale) : '—'}</td>
                  <td>
                    <LeadStatusBadge status={lead.status} />
                  </td>
                  <td>{formatDateTime(lead.createdAt, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
