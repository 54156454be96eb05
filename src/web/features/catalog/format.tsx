/** Formatting of catalog facts: texts in the current language, durations, windows, tuition, "not stated". */
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import type { Duration, IntakeWindow, Text, Tuition, UniversityRef } from './catalog-api';

export function localeOf(language: string | undefined): Locale {
  return language === 'ru' ? 'ru' : 'en';
}

/** The text in the current language (the catalog keeps both). */
export function pick(text: Text, locale: Locale): string {
  return text[locale] || text.en;
}

function number(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
}

/**
 * "3 years", "2–5 years", "8–9 months", "up to 3 years" (no lower bound), with Russian plural forms.
 * Years when every bound is a whole or half year of at least one year; months otherwise.
 */
export function formatDuration(duration: Pick<Duration, 'minMonths' | 'maxMonths'>, t: TFunction, locale: Locale) {
  const { minMonths, maxMonths } = duration;
  const bounds = minMonths === null ? [maxMonths] : [minMonths, maxMonths];
  const inYears = bounds.every((m) => m >= 12 && m % 6 === 0);
  const unit = inYears ? 'years' : 'months';
  const scale = (months: number) => (inYears ? months / 12 : months);
  const max = scale(maxMonths);
  const values = { count: max, n: number(max, locale) };
  if (minMonths === null) return t(`catalog.duration.${unit}UpTo`, values);
  if (minMonths === maxMonths) return t(`catalog.duration.${unit}`, values);
  return t(`catalog.duration.${unit}Range`, { ...values, min: number(scale(minMonths), locale) });
}

/** Dates are written day first in both languages ("20 June", «20 июня»). */
export function dateLocale(locale: Locale): string {
  return locale === 'en' ? 'en-GB' : locale;
}

/** "20 June" from "06-20", in the current language. */
export function formatMonthDay(monthDay: string, locale: Locale): string {
  const [month, day] = monthDay.split('-').map(Number);
  if (!month || !day) return monthDay;
  return new Intl.DateTimeFormat(dateLocale(locale), { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2000, month - 1, day)),
  );
}

export function formatWindow(window: IntakeWindow, t: TFunction, locale: Locale): string {
  if (window.yearRound) return t('catalog.window.yearRound');
  const range = `${formatMonthDay(window.opens, locale)} – ${formatMonthDay(window.closes, locale)}`;
  if (window.studyForms.length === 0) return range;
  const forms = window.studyForms
    .map((form) => t(`catalog.enums.studyForm.${form}`).toLocaleLowerCase(locale))
    .join(', ');
  return t('catalog.window.forForms', { range, forms });
}

export function formatTuition(tuition: Tuition, t: TFunction, locale: Locale): string {
  const amount = new Intl.NumberFormat(locale, { style: 'currency', currency: tuition.currency }).format(
    tuition.amount,
  );
  return t(`catalog.tuition.${tuition.period}`, { amount });
}

/** "Almaty, Kazakhstan" (either may be unknown). */
export function formatPlace(university: UniversityRef, t: TFunction, locale: Locale): string | null {
  const parts = [
    university.city ? pick(university.city, locale) : null,
    university.country ? t(`catalog.enums.country.${university.country}`) : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}

export function universityLabel(university: UniversityRef, locale: Locale): string {
  return pick(university.name, locale);
}

/**
 * Names of enumerated values joined in the current language ("Kazakh, Russian", «Казахский, русский»);
 * null when the list is empty. After the first, names start lower-case except English language names.
 */
export function formatList(
  values: readonly string[],
  kind: 'language' | 'studyForm' | 'funding',
  t: TFunction,
  locale: Locale,
): string | null {
  if (values.length === 0) return null;
  const keepCase = locale === 'en' && kind === 'language';
  return values
    .map((value, index) => {
      const name = t(`catalog.enums.${kind}.${value}`);
      return index === 0 || keepCase ? name : name.charAt(0).toLocaleLowerCase(locale) + name.slice(1);
    })
    .join(', ');
}

export function NotStated() {
  const { t } = useTranslation();
  return <span className="not-stated">{t('catalog.notStated')}</span>;
}

/** Where a fact comes from, as the catalog names it (a RULES id such as S2-2, or a document). */
export function Source({ source }: { source: string | null | undefined }) {
  const { t } = useTranslation();
  if (!source) return null;
  return <span className="source">{t('catalog.source', { source })}</span>;
}

/** A value, or "not stated" when it is unknown (null, empty). */
export function Known({ value }: { value: ReactNode }) {
  return value === null || value === undefined || value === '' ? <NotStated /> : value;
}

export function yesNo(value: boolean | null, t: TFunction): string | null {
  return value === null ? null : t(value ? 'common.yes' : 'common.no');
}

/** One fact of a list of facts (<dl>): its name, its value or "not stated", and its source when known. */
export function Fact({
  label,
  value,
  source,
  testId,
}: {
  label: string;
  value: ReactNode;
  source?: string | null | undefined;
  testId?: string;
}) {
  const known = !(value === null || value === undefined || value === '');
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>
        <Known value={value} />
        {known && source ? ' ' : null}
        {known && <Source source={source} />}
      </dd>
    </div>
  );
}
