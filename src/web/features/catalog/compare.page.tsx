import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../../api';
import { usePageTitle } from '../../ui/page-title';
import { catalogApi, type ProgramDetail } from './catalog-api';
import { listOf } from './catalog-query';
import { compareRows } from './compare-rows';
import { compareHref } from './compare-store';
import { localeOf, pick } from './format';
import { useResource } from './use-resource';

function compareError(error: unknown): string {
  if (!(error instanceof ApiError)) return 'errors.generic';
  if (error.fieldErrors.some((item) => item.code === 'unknown_value')) return 'catalog.comparePage.unknown';
  if (error.fieldErrors.some((item) => item.code === 'too_big')) return 'catalog.comparePage.tooMany';
  return error.code === 'network_error' ? 'errors.network_error' : 'errors.generic';
}

/** Copies the page's address: the address alone reproduces the comparison. */
function CopyLink() {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setState('copied');
    } catch {
      setState('manual'); // No clipboard (insecure context, denied): show the address to copy by hand.
    }
  };
  return (
    <div className="copy-link">
      <button type="button" className="button button-secondary" data-testid="copy-link" onClick={copy}>
        {t('catalog.comparePage.copy')}
      </button>
      <p role="status" className="copy-link-status">
        {state === 'copied' ? t('catalog.comparePage.copied') : ''}
      </p>
      {state === 'manual' && (
        <div className="field">
          <label htmlFor="compare-address">{t('catalog.comparePage.copyManually')}</label>
          <input
            id="compare-address"
            readOnly
            value={window.location.href}
            onFocus={(event) => event.target.select()}
          />
        </div>
      )}
    </div>
  );
}

/** Programs side by side on the criteria applicants are told to weigh; reads only its address. */
export function ComparePage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  usePageTitle(t('catalog.comparePage.title'));
  const search = useSearch();
  const [, navigate] = useLocation();
  const slugs = [...new Set(listOf(new URLSearchParams(search), 'programs'))];
  const key = slugs.length > 0 ? slugs.join(',') : null;
  const { data, error } = useResource(key, (signal) => catalogApi.compare(slugs, signal));
  const items: ProgramDetail[] = key && data ? data.items : [];

  let body: ReactNode;
  if (slugs.length === 0) {
    body = (
      <div className="notice notice-info" data-testid="compare-empty">
        <p>{t('catalog.comparePage.empty')}</p>
      </div>
    );
  } else if (error) {
    body = (
      <div className="notice notice-error" role="alert" data-testid="compare-error">
        <p>{t(compareError(error))}</p>
      </div>
    );
  } else if (!data) {
    body = <p className="loading page-placeholder">{t('app.loading')}</p>;
  } else {
    const rows = compareRows(t, locale);
    body = (
      <>
        <CopyLink />
        <section className="table-wrap compare-wrap" aria-labelledby="compare-caption">
          <table className="table compare-table" data-testid="compare-table">
            <caption id="compare-caption" className="visually-hidden">
              {t('catalog.comparePage.caption', { count: items.length })}
            </caption>
            <thead>
              <tr>
                <td className="compare-corner" />
                {items.map((program) => (
                  <th key={program.id} scope="col" data-testid="compare-column">
                    <Link href={`/programs/${encodeURIComponent(program.slug)}`}>{pick(program.title, locale)}</Link>
                    <span className="compare-university">
                      {program.university.shortName ?? pick(program.university.name, locale)}
                    </span>
                    <button
                      type="button"
                      className="button button-quiet compare-remove"
                      data-testid="compare-remove"
                      aria-label={t('catalog.comparePage.removeOne', { title: pick(program.title, locale) })}
                      onClick={() => {
                        const rest = items.map((item) => item.slug).filter((slug) => slug !== program.slug);
                        navigate(rest.length > 0 ? compareHref(rest) : '/compare');
                      }}
                    >
                      {t('catalog.comparePage.remove')}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.key} className={row.key === 'sources' ? 'compare-sources' : undefined}>
                  <th scope="row">{row.label}</th>
                  {items.map((program) => (
                    <td key={program.id}>{row.cell(program)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </>
    );
  }

  return (
    <div className="compare-page">
      <p className="breadcrumbs">
        <Link href="/catalog">{t('catalog.backToCatalog')}</Link>
      </p>
      <header className="page-header">
        <h1>{t('catalog.comparePage.title')}</h1>
        <p className="lead">{t('catalog.comparePage.lead')}</p>
      </header>
      {body}
    </div>
  );
}
