/** Parts of the application page: the documents window of a choice, and the application's history. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/dates';
import { localeOf } from '../catalog/format';
import type { ApplicationView, Choice } from './applications-api';

const WINDOW_TONE: Record<Choice['window']['state'], string> = {
  open: 'badge-good',
  not_open: 'badge-muted',
  closed: 'badge-bad',
  not_stated: 'badge-muted',
};

/** The window's state and its cutoff, in the reader's time and as the server's instant. */
export function WindowInfo({ window, extensionUntil }: { window: Choice['window']; extensionUntil: string | null }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    <div className="window-info" data-testid="window-info" data-state={window.state}>
      <span className={`badge ${WINDOW_TONE[window.state]}`}>{t(`applications.window.${window.state}`)}</span>{' '}
      {window.cutoff ? (
        <>
          {t('applications.window.until', { date: formatDateTime(window.cutoff, locale) })}{' '}
          <span className="field-hint">
            ({t('applications.serverTime')} <code>{window.cutoff}</code>)
          </span>
        </>
      ) : (
        window.state === 'open' && t('applications.window.noEnd')
      )}
      {extensionUntil && (
        <p className="field-hint window-extension" data-testid="extension">
          {t('applications.window.extended', { date: formatDateTime(extensionUntil, locale) })}
        </p>
      )}
    </div>
  );
}

function eventText(event: ApplicationView['timeline'][number], t: TFunction): string {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
  switch (event.type) {
    case 'submitted':
      return t('applications.timeline.submitted', { number: String(data.number ?? '') });
    case 'priorities_changed':
      return t('applications.timeline.priorities_changed', {
        count: Array.isArray(data.competitions) ? data.competitions.length : 0,
      });
    case 'withdrawn':
      return data.reason
        ? t('applications.timeline.withdrawnBecause', { reason: String(data.reason) })
        : t('applications.timeline.withdrawn');
    default:
      return t('applications.timeline.other', { type: event.type });
  }
}

export function Timeline({ events }: { events: ApplicationView['timeline'] }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  if (events.length === 0) return <p className="empty">{t('applications.timeline.empty')}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {events.map((event) => (
        <li key={`${event.at}:${event.type}`} data-type={event.type}>
          <time dateTime={event.at}>{formatDateTime(event.at, locale)}</time>
          <span>{eventText(event, t)}</span>
        </li>
      ))}
    </ol>
  );
}
