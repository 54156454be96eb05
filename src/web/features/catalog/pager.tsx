import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { withChanges } from './catalog-query';

/** Pages of results as links (each page has its own address); a window of numbers around the current one. */
export function Pager({
  search,
  page,
  pageSize,
  total,
}: {
  search: string;
  page: number;
  pageSize: number;
  total: number;
}) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (n: number) => `/catalog${withChanges(search, { page: n === 1 ? null : String(n) }, true)}`;
  const numbers = [...new Set([1, page - 1, page, page + 1, pages])].filter((n) => n >= 1 && n <= pages);
  return (
    <nav className="pager" aria-label={t('catalog.pages.label')} data-testid="pager">
      {page > 1 ? (
        <Link href={href(page - 1)} className="button button-quiet" rel="prev">
          {t('catalog.pages.previous')}
        </Link>
      ) : null}
      <ul className="pager-list">
        {numbers.map((n, index) => (
          <li key={n}>
            {index > 0 && n - (numbers[index - 1] ?? n) > 1 && <span aria-hidden="true">… </span>}
            {n === page ? (
              <span className="pager-current" aria-current="page">
                <span className="visually-hidden">{t('catalog.pages.page', { page: n })}</span>
                <span aria-hidden="true">{n}</span>
              </span>
            ) : (
              <Link href={href(n)} aria-label={t('catalog.pages.page', { page: n })}>
                {n}
              </Link>
            )}
          </li>
        ))}
      </ul>
      {page < pages ? (
        <Link href={href(page + 1)} className="button button-quiet" rel="next">
          {t('catalog.pages.next')}
        </Link>
      ) : null}
      <p className="pager-summary">{t('catalog.pages.summary', { page, pages })}</p>
    </nav>
  );
}
