/** When a sitting is: in the reader's own time zone (named), and in UTC, as the calendar file has it. */
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { dateLocale, localeOf } from '../catalog/format';

function parts(iso: string, locale: Locale, timeZone: string | undefined) {
  const date = new Date(iso);
  const zone = timeZone ? { timeZone } : {};
  const day = new Intl.DateTimeFormat(dateLocale(locale), {
    weekday: 'short',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    ...zone,
  }).format(date);
  const time = new Intl.DateTimeFormat(dateLocale(locale), { hour: '2-digit', minute: '2-digit', ...zone }).format(
    date,
  );
  const zoneName =
    new Intl.DateTimeFormat(dateLocale(locale), { timeZoneName: 'short', ...zone })
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return { day, time, zoneName };
}

/** "Thu, 20 August 2026, 09:00–12:00 GMT+5" (both ends on one day) or with both dates. */
export function formatSpan(startsAt: string, endsAt: string, locale: Locale, timeZone?: string): string {
  const start = parts(startsAt, locale, timeZone);
  const end = parts(endsAt, locale, timeZone);
  const zone = timeZone === 'UTC' ? 'UTC' : start.zoneName;
  if (start.day === end.day) return `${start.day}, ${start.time}–${end.time} ${zone}`;
  return `${start.day}, ${start.time} – ${end.day}, ${end.time} ${zone}`;
}

export function SessionTime({ startsAt, endsAt }: { startsAt: string; endsAt: string }) {
  const { i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  // A reader whose time zone is UTC needs the time once.
  const inUtc = new Date(startsAt).getTimezoneOffset() === 0 && new Date(endsAt).getTimezoneOffset() === 0;
  return (
    <span className="session-time">
      <time dateTime={startsAt}>{formatSpan(startsAt, endsAt, locale, inUtc ? 'UTC' : undefined)}</time>
      {!inUtc && <span className="field-hint session-utc"> ({formatSpan(startsAt, endsAt, locale, 'UTC')})</span>}
    </span>
  );
}
