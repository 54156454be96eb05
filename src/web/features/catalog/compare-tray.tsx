import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { Text } from './catalog-api';
import { COMPARE_MAX, compareHref, compareStore, useCompare } from './compare-store';
import { localeOf, pick } from './format';

/** "Compare" checkbox of a program; refuses a fifth program (the tray says why). */
export function CompareToggle({
  slug,
  title,
  label,
  className,
}: {
  slug: string;
  title: Text;
  /** Defaults to "Compare". */
  label?: string;
  className?: string;
}) {
  const { t } = useTranslation();
  const { items } = useCompare();
  const id = useId();
  const checked = items.some((item) => item.slug === slug);
  return (
    <div className={`compare-toggle ${className ?? ''}`}>
      <input
        id={id}
        type="checkbox"
        data-testid="compare-toggle"
        checked={checked}
        onChange={(event) => {
          if (event.target.checked) compareStore.add({ slug, title });
          else compareStore.remove(slug);
        }}
      />
      <label htmlFor={id}>{label ?? t('catalog.compare.toggle')}</label>
    </div>
  );
}

/** The picked programs, with the link to compare them; shown once one is picked. */
export function CompareTray() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { items, refused } = useCompare();
  const headingId = useId();
  if (items.length === 0) return null;
  const slugs = items.map((item) => item.slug);
  return (
    <section className="compare-tray" aria-labelledby={headingId} data-testid="compare-tray">
      <div className="compare-tray-inner">
        <h2 id={headingId} className="compare-tray-title">
          {t('catalog.compare.trayTitle', { count: items.length, max: COMPARE_MAX })}
        </h2>
        <ul className="compare-tray-list">
          {items.map((item) => (
            <li key={item.slug}>
              <Link href={`/programs/${encodeURIComponent(item.slug)}`}>{pick(item.title, locale)}</Link>
              <button
                type="button"
                className="icon-button"
                aria-label={t('catalog.compare.removeOne', { title: pick(item.title, locale) })}
                onClick={() => compareStore.remove(item.slug)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <div className="compare-tray-actions">
          <Link href={compareHref(slugs)} className="button button-primary" data-testid="compare-link">
            {t('catalog.compare.open', { count: items.length })}
          </Link>
          <button type="button" className="button button-quiet" onClick={() => compareStore.clear()}>
            {t('catalog.compare.clear')}
          </button>
        </div>
        <p className="compare-tray-message" role="status">
          {refused ? t('catalog.compare.refused', { max: COMPARE_MAX }) : ''}
        </p>
      </div>
    </section>
  );
}
