/** Dates and times as the applicant and the officer read them: calendar dates as written, instants in local time. */
import type { Locale } from '../api';

/** Dates are written day first in both languages ("20 June 2026", «20 июня 2026 г.»). */
function intlLocale(locale: Locale): string {
  return locale === 'en' ? 'en-GB' : locale;
}

/** "20 June 2026" from "2026-06-20": a calendar date, the same wherever the reader is. */
export function formatDate(isoDate: string, locale: Locale): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (!year || !month || !day) return isoDate;
  return new Intl.DateTimeFormat(intlLocale(locale), {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, month - 1, day)));
}

/** "20 July 2026, 21:59 GMT+3": an instant in the reader's own time zone, which it names. */
export function formatDateTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeStyle: 'short' }).format(date);
  return `${text} ${timeZoneName(date, locale)}`;
}

function timeZoneName(date: Date, locale: Locale): string {
  const part = new Intl.DateTimeFormat(intlLocale(locale), { timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

/** "1.2 MB", "340 KB" in the reader's number format. */
export function formatBytes(bytes: number, locale: Locale): string {
  const units = locale === 'ru' ? ['Б', 'КБ', 'МБ', 'ГБ'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** The value of a datetime-local input, as a UTC instant ("2026-07-20T18:59:00.000Z"); null when empty or invalid. */
export function localInputToIso(value: string): string | null {
  if (value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
