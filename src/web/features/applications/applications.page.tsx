import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { formatDateTime } from '../../ui/dates';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { applicationsApi, type MyApplication } from './applications-api';

export function ApplicationStatusBadge({ status }: { status: MyApplication['status'] }) {
  const { t } = useTranslation();
  const tone = status === 'submitted' ? 'badge-good' : status === 'withdrawn' ? 'badge-bad' : 'badge-muted';
  return (
    <span className={`badge ${tone}`} data-testid="application-status" data-status={status}>
      {t(`applications.status.${status}`)}
    </span>
  );
}

/** Open campaigns to apply to, and the applicant's own applications. */
export function ApplicationsPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const campaigns = useResource('campaigns', (signal) => applicationsApi.campaigns({}, signal));
  const mine = useResource('mine', (signal) => applicationsApi.mine(signal));
  const error = campaigns.error ?? mine.error;
  usePageTitle(error ? failureTitle(error, t) : t('applications.title'));
  if (error) return <LoadFailure error={error} notFoundKey="notFound.text" />;

  const open = campaigns.data?.items.filter((c) => c.openNow) ?? [];
  const applied = new Set(mine.data?.items.map((a) => a.campaign));
  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('applications.title')}</h1>
        <p className="lead">{t('applications.lead')}</p>
      </header>

      <section className="panel" aria-labelledby="my-applications">
        <h2 id="my-applications">{t('applications.mine')}</h2>
        {!mine.data ? (
          <p className="loading">{t('app.loading')}</p>
        ) : mine.data.items.length === 0 ? (
          <p className="empty">{t('applications.noneYet')}</p>
        ) : (
          <ul className="application-list" data-testid="my-applications">
            {mine.data.items.map((a) => (
              <li key={a.campaign}>
                <Link href={`/applications/${encodeURIComponent(a.campaign)}`}>{pick(a.title, locale)}</Link>{' '}
                <ApplicationStatusBadge status={a.status} />
                {a.number && <span className="application-number"> {a.number}</span>}
                {a.submittedAt && (
                  <span className="field-hint">
                    {' '}
                    {t('applications.submittedOn', { date: formatDateTime(a.submittedAt, locale) })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="open-campaigns" className="campaign-section">
        <h2 id="open-campaigns">{t('applications.open')}</h2>
        {!campaigns.data ? (
          <p className="loading">{t('app.loading')}</p>
        ) : open.length === 0 ? (
          <p className="empty">{t('applications.noneOpen')}</p>
        ) : (
          <ul className="campaign-cards" data-testid="open-campaigns">
            {open.map((c) => (
              <li key={c.slug} className="card panel" data-testid={`campaign-${c.slug}`}>
                <h3 className="card-title">{pick(c.title, locale)}</h3>
                <p className="field-hint">{pick(c.university.name, locale)}</p>
                <p>
                  {t(`catalog.enums.level.${c.level}`, { defaultValue: c.level })} · {c.academicYear} ·{' '}
                  {t('applications.competitions', { count: c.competitions })}
                </p>
                <Link
                  href={`/applications/${encodeURIComponent(c.slug)}`}
                  className="button button-primary"
                  data-testid={`apply-${c.slug}`}
                >
                  {applied.has(c.slug) ? t('applications.continue') : t('applications.apply')}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
