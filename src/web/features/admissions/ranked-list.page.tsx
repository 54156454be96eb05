/** One competition's published ranked list under anonymous codes, with "find my code". */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { formatCutoff, formatScore, ServerTime, StateBadge } from './admission-text';
import { admissionsApi } from './admissions-api';
import './admissions.css';

const normalize = (code: string) => code.trim().toUpperCase();

export function RankedListPage({ slug, competitionId }: { slug: string; competitionId: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const search = useSearch();
  const inputId = useId();
  const list = useResource(`${slug}/${competitionId}`, (signal) => admissionsApi.list(slug, competitionId, signal));
  const [query, setQuery] = useState(() => new URLSearchParams(search).get('code') ?? '');
  const [found, setFound] = useState<{ code: string; position: number | null } | null>(null);
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>());
  const data = list.data?.competition.id === competitionId ? list.data : null;
  const program = data ? pick(data.competition.program.title, locale) : null;
  usePageTitle(list.error ? failureTitle(list.error, t) : t('lists.listPageTitle', { program: program ?? '' }));

  const find = (code: string) => {
    const wanted = normalize(code);
    if (!data || wanted === '') {
      setFound(null);
      return;
    }
    const entry = data.entries.find((e) => normalize(e.code) === wanted);
    setFound({ code: wanted, position: entry?.position ?? null });
    const row = entry ? rowRefs.current.get(entry.code) : undefined;
    if (row) {
      row.scrollIntoView({ block: 'center' });
      row.focus({ preventScroll: true });
    }
  };

  // A link from the applicant's page carries their code: find it once the list is there.
  const initial = useRef(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, when the list first arrives.
  useEffect(() => {
    if (data && initial.current) {
      find(initial.current);
      initial.current = '';
    }
  }, [data]);

  if (list.error) return <LoadFailure error={list.error} notFoundKey="lists.listNotFound" />;
  if (!data) return <p className="loading page-placeholder">{t('app.loading')}</p>;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    find(query);
  };

  return (
    <div className="page ranked-list-page">
      <p className="breadcrumbs">
        <Link href={`/lists/${encodeURIComponent(slug)}`}>{pick(data.campaign.title, locale)}</Link>
      </p>
      <header className="page-header">
        <h1 id="list-title">{program}</h1>
        <p className="lead">
          {t(`catalog.enums.funding.${data.competition.funding}`)} ·{' '}
          {t(`catalog.enums.studyForm.${data.competition.studyForm}`)}
        </p>
        <p className="field-hint">
          {t('lists.runNumber', { seq: data.run.seq })} · {t('lists.publishedAt')}:{' '}
          <ServerTime iso={data.run.publishedAt} />
        </p>
      </header>
      <dl className="details panel run-facts">
        <div>
          <dt>{t('lists.columns.seats')}</dt>
          <dd data-testid="list-seats">{data.capacity}</dd>
        </div>
        <div>
          <dt>{t('lists.columns.admitted')}</dt>
          <dd data-testid="list-admitted">{data.admitted}</dd>
        </div>
        <div>
          <dt>{t('lists.columns.cutoff')}</dt>
          <dd data-testid="list-cutoff">{formatCutoff(data.cutoff, t, locale)}</dd>
        </div>
      </dl>

      <form className="find-code panel" onSubmit={submit} aria-label={t('lists.find.label')}>
        <div className="field">
          <label htmlFor={inputId}>{t('lists.find.input')}</label>
          <div className="search-row">
            <input
              id={inputId}
              name="code"
              value={query}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`${inputId}-hint`}
              data-testid="find-code"
              onChange={(event) => setQuery(event.target.value)}
            />
            <button type="submit" className="button button-secondary" data-testid="find-code-submit">
              {t('lists.find.button')}
            </button>
          </div>
          <p className="field-hint" id={`${inputId}-hint`}>
            {t('lists.find.hint')}
          </p>
        </div>
        <p className="find-result" role="status" aria-live="polite" data-testid="find-code-result">
          {found &&
            (found.position === null
              ? t('lists.find.missing', { code: found.code })
              : t('lists.find.found', { code: found.code, position: found.position }))}
        </p>
      </form>

      {data.entries.length === 0 ? (
        <p className="empty">{t('lists.noEntries')}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" aria-labelledby="list-title" tabIndex={0}>
          <table className="table ranked-table" data-testid="ranked-list">
            <caption className="visually-hidden">{t('lists.listCaption', { program })}</caption>
            <thead>
              <tr>
                <th scope="col" className="numeric">
                  {t('lists.columns.position')}
                </th>
                <th scope="col">{t('lists.columns.code')}</th>
                <th scope="col" className="numeric">
                  {t('lists.columns.priority')}
                </th>
                <th scope="col" className="numeric">
                  {t('lists.columns.score')}
                </th>
                <th scope="col" className="numeric">
                  {t('lists.columns.lottery')}
                </th>
                <th scope="col">{t('lists.columns.state')}</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((e) => {
                const mine = found?.position === e.position && normalize(e.code) === found.code;
                return (
                  <tr
                    key={e.code}
                    ref={(row) => {
                      if (row) rowRefs.current.set(e.code, row);
                      else rowRefs.current.delete(e.code);
                    }}
                    tabIndex={-1}
                    className={mine ? 'is-found' : undefined}
                    aria-current={mine ? 'true' : undefined}
                    data-testid="ranked-entry"
                    data-code={e.code}
                  >
                    <td className="numeric">{e.position}</td>
                    <td>
                      <code>{e.code}</code>
                    </td>
                    <td className="numeric">{e.priority}</td>
                    <td className="numeric">{formatScore(e.score, locale)}</td>
                    <td className="numeric">{e.lottery}</td>
                    <td>
                      <StateBadge state={e.state} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
