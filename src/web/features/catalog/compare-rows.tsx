import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { Locale } from '../../api';
import type { ProgramDetail, Text } from './catalog-api';
import {
  formatDuration,
  formatList,
  formatPlace,
  formatTuition,
  formatWindow,
  NotStated,
  pick,
  Source,
  yesNo,
} from './format';

export interface CompareRow {
  key: string;
  label: string;
  cell: (program: ProgramDetail) => ReactNode;
}

/** A value with its source, or "not stated". */
function valued(value: ReactNode, source: string | null | undefined): ReactNode {
  if (value === null || value === undefined || value === '') return <NotStated />;
  return (
    <>
      {value} <Source source={source} />
    </>
  );
}

/** Long texts (exam rules run to a page) stay folded until asked for. */
function LongText({ text, locale }: { text: Text; locale: Locale }) {
  const value = pick(text, locale);
  if (value.length <= 220) return <>{value}</>;
  return (
    <details className="compare-more">
      <summary>{`${value.slice(0, 180).trimEnd()}…`}</summary>
      <p>{value}</p>
    </details>
  );
}

/**
 * The rows of the comparison: first the criteria applicants are told to weigh (RULES S3-1: clinical
 * practice, language of instruction, language preparation, partnerships and exchange), then the rest.
 */
export function compareRows(t: TFunction, locale: Locale): CompareRow[] {
  const text = (value: Text | null, source: string | undefined) =>
    value ? valued(<LongText text={value} locale={locale} />, source) : <NotStated />;
  return [
    {
      key: 'university',
      label: t('catalog.comparePage.rows.university'),
      cell: (p) => (
        <>
          {pick(p.university.name, locale)}
          <span className="compare-sub">{formatPlace(p.university, t, locale) ?? <NotStated />}</span>
        </>
      ),
    },
    {
      key: 'clinicalPractice',
      label: t('catalog.fields.clinicalPractice'),
      cell: (p) => (
        <>
          {valued(yesNo(p.clinicalPractice, t), p.sources.clinicalPractice)}
          <span className="compare-sub">
            {t('catalog.fields.multidisciplinaryClinicalBases')}:{' '}
            {valued(
              yesNo(p.universityFacts.multidisciplinaryClinicalBases, t),
              p.universityFacts.sources.multidisciplinaryClinicalBases,
            )}
          </span>
        </>
      ),
    },
    {
      key: 'languages',
      label: t('catalog.fields.languages'),
      cell: (p) => valued(formatList(p.languages, 'language', t, locale), p.sources.languages),
    },
    {
      key: 'languagePreparation',
      label: t('catalog.fields.languagePreparation'),
      cell: (p) => valued(yesNo(p.languagePreparation, t), p.sources.languagePreparation),
    },
    {
      key: 'exchange',
      label: t('catalog.comparePage.rows.exchange'),
      cell: (p) => (
        <>
          {valued(yesNo(p.exchangePrograms, t), p.sources.exchangePrograms)}
          <span className="compare-sub">
            {t('catalog.fields.partnerships')}:{' '}
            {text(p.universityFacts.partnerships, p.universityFacts.sources.partnerships)}
          </span>
          <span className="compare-sub">
            {t('catalog.fields.universityExchange')}:{' '}
            {text(p.universityFacts.exchangePrograms, p.universityFacts.sources.exchangePrograms)}
          </span>
        </>
      ),
    },
    {
      key: 'level',
      label: t('catalog.fields.level'),
      cell: (p) => valued(t(`catalog.enums.level.${p.level}`), p.sources.level),
    },
    {
      key: 'duration',
      label: t('catalog.comparePage.rows.duration'),
      cell: (p) =>
        valued(
          p.duration
            ? t('catalog.comparePage.durationFor', {
                duration: formatDuration(p.duration, t, locale),
                year: p.intakeYear,
              })
            : null,
          p.duration?.source,
        ),
    },
    {
      key: 'studyForms',
      label: t('catalog.fields.studyForms'),
      cell: (p) => valued(formatList(p.studyForms, 'studyForm', t, locale), p.sources.studyForms),
    },
    {
      key: 'funding',
      label: t('catalog.fields.funding'),
      cell: (p) => valued(formatList(p.fundingKinds, 'funding', t, locale), p.sources.fundingKinds),
    },
    {
      key: 'tuition',
      label: t('catalog.comparePage.rows.tuition'),
      cell: (p) => valued(p.tuition ? formatTuition(p.tuition, t, locale) : null, p.sources.tuition),
    },
    {
      key: 'entranceExams',
      label: t('catalog.fields.entranceExams'),
      cell: (p) => text(p.entranceExams, p.sources.entranceExams),
    },
    {
      key: 'intakeWindows',
      label: t('catalog.comparePage.rows.windows'),
      cell: (p) =>
        p.intakeWindows.length > 0 ? (
          <ul className="compare-windows">
            {p.intakeWindows.map((intake) => (
              <li key={JSON.stringify(intake)}>{valued(formatWindow(intake, t, locale), intake.source)}</li>
            ))}
          </ul>
        ) : (
          <NotStated />
        ),
    },
    {
      key: 'sources',
      label: t('catalog.comparePage.rows.sources'),
      cell: (p) => {
        const entries = Object.entries(p.sources);
        if (entries.length === 0) return <NotStated />;
        return (
          <ul className="compare-source-list">
            {entries.map(([field, source]) => (
              <li key={field}>
                {t(`catalog.sourceFields.${field}`, { defaultValue: field })}: {source}
              </li>
            ))}
          </ul>
        );
      },
    },
  ];
}
