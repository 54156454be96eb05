import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { formatDateTime } from '../../ui/dates';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick, Source } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { applicationsApi, type Deadline } from './applications-api';

function scope(deadline: Deadline, t: (key: string) => string, locale: string): string | null {
  const parts = [
    ...deadline.studyForms.map((f) => t(`catalog.enums.studyForm.${f}`)),
    ...deadline.funding.map((f) => t(`catalog.enums.funding.${f}`)),
  ];
  return parts.length > 0 ? parts.join(', ').toLocaleLowerCase(locale) : null;
}

/** The deadlines of the campaigns the applicant applies to, extensions included, with calendar files. */
export function DeadlinesPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const deadlines = useResource('deadlines', (signal) => applicationsApi.deadlines(signal));
  const mine = useResource('mine', (signal) => applicationsApi.mine(signal));
  const error = deadlines.error ?? mine.error;
  usePageTitle(error ? failureTitle(error, t) : t('deadlines.title'));
  if (error) return <LoadFailure error={error} notFoundKey="notFound.text" />;
  const now = Date.now();

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('deadlines.title')}</h1>
        <p className="lead">{t('deadlines.lead')}</p>
        <p>
          <a href="/api/v1/me/calendar.ics" download className="button button-secondary" data-testid="my-calendar">
            {t('deadlines.myCalendar')}
          </a>
        </p>
      </header>

      <section className="panel" aria-labelledby="deadline-list">
        <h2 id="deadline-list">{t('deadlines.list')}</h2>
        {!deadlines.data ? (
          <p className="loading">{t('app.loading')}</p>
        ) : deadlines.data.items.length === 0 ? (
          <p className="empty">{t('deadlines.none')}</p>
        ) : (
          <ul className="deadline-list" data-testid="deadlines">
            {deadlines.data.items.map((d) => {
              const past = new Date(d.closes).getTime() < now;
              const forWhom = scope(d, t, locale);
              return (
                <li key={`${d.campaign}-${d.kind}-${d.closes}-${forWhom}`} className={past ? 'is-past' : ''}>
                  <p>
                    <strong>{t(`deadlines.kinds.${d.kind}`)}</strong>
                    {forWhom && ` (${forWhom})`}: {formatDateTime(d.closes, locale)}
                    {past && <span className="badge badge-muted"> {t('deadlines.past')}</span>}
                    {d.extended && <span className="badge badge-good"> {t('deadlines.extended')}</span>}
                  </p>
                  <p className="field-hint">
                    <Link href={`/applications/${encodeURIComponent(d.campaign)}`}>{pick(d.title, locale)}</Link> ·{' '}
                    {t('applications.serverTime')} <code>{d.closes}</code> <Source source={d.source} />
                  </p>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      {mine.data && mine.data.items.length > 0 && (
        <section className="panel" aria-labelledby="campaign-calendars">
          <h2 id="campaign-calendars">{t('deadlines.campaignCalendars')}</h2>
          <ul className="plainlist">
            {mine.data.items.map((a) => (
              <li key={a.campaign}>
                <a
                  href={`/api/v1/campaigns/${encodeURIComponent(a.campaign)}/calendar.ics?locale=${locale}`}
                  download
                  data-testid={`calendar-${a.campaign}`}
                >
                  {t('deadlines.campaignCalendar', { title: pick(a.title, locale) })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
