/** How register values read: grades on their scale (pass/fail as words), averages, month names. */
import type { TFunction } from 'i18next';
import type { Locale } from '../../api';
import type { ScaleId } from './register-api';

export function formatGrade(value: number, scale: ScaleId, t: TFunction | ((key: string) => string)): string {
  if (scale === 'pass_fail') return t(value >= 1 ? 'register.grid.grade.pass' : 'register.grid.grade.fail');
  return String(value);
}

export function formatDecimal(value: number, locale: Locale, digits = 2): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
}

/** "Mar 2026" / «мар. 2026» from "2026-03". */
export function formatMonth(month: string, locale: Locale): string {
  const [year, m] = month.split('-').map(Number);
  if (!year || !m) return month;
  return new Intl.DateTimeFormat(locale === 'ru' ? 'ru' : 'en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, m - 1, 1)));
}

export function formatSessionTime(iso: string, locale: Locale): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'ru' ? 'ru' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(
    date,
  );
}
