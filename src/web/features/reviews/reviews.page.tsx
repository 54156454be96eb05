/** The reviewer's queue: files to score and files scored, by campaign and status, with counts. */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { formatDateTime } from '../../ui/dates';
import { usePageTitle } from '../../ui/page-title';
import { applicationsApi } from '../applications/applications-api';
import type { Text } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { type QueueItem, reviewsApi } from './reviews-api';
import { formatNumber } from './score-model';
import './reviews.css';

const STATUSES = ['assigned', 'submitted'] as const;

/** Campaign titles by slug (the queue names campaigns by slug only); a title that fails to load stays the slug. */
function useCampaignTitles(slugs: string[]) {
  const key = slugs.length > 0 ? [...slugs].sort().join(',') : null;
  const titles = useResource(key, async (signal) => {
    const entries = await Promise.all(
      slugs.map((slug) =>
        applicationsApi.campaign(slug, signal).then(
          (c) => [slug, c.title] as const,
          () => [slug, null] as const,
        ),
      ),
    );
    return new Map<string, Text | null>(entries);
  });
  return titles.data ?? new Map<string, Text | null>();
}

function byQueueOrder(a: QueueItem, b: QueueItem): number {
  if (a.status !== b.status) return a.status === 'assigned' ? -1 : 1;
  return a.assignedAt.localeCompare(b.assignedAt);
}

export function ReviewsPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const search = new URLSearchParams(useSearch());
  const [location, navigate] = useLocation();
  const campaignId = useId();
  const statusId = useId();
  const campaign = search.get('campaign') ?? '';
  const status = STATUSES.find((s) => s === search.get('status')) ?? '';
  const all = useResource('all', (signal) => reviewsApi.queue({}, signal));
  const filtered = useResource(campaign || status ? `${campaign}|${status}` : null, (signal) =>
    reviewsApi.queue({ campaign, status }, signal),
  );
  const slugs = [...new Set((all.data?.items ?? []).map((i) => i.campaign))];
  const titles = useCampaignTitles(slugs);
  const error = all.error ?? filtered.error;
  usePageTitle(error ? failureTitle(error, t) : t('reviews.title'));
  if (error) return <LoadFailure error={error} notFoundKey="notFound.text" />;

  const setFilter = (name: 'campaign' | 'status', value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    const text = next.toString();
    navigate(text ? `${location}?${text}` : location, { replace: true });
  };
  const titleOf = (slug: string) => {
    const title = titles.get(slug);
    return title ? pick(title, locale) : slug;
  };
  const inCampaign = (all.data?.items ?? []).filter((i) => !campaign || i.campaign === campaign);
  const count = (s: (typeof STATUSES)[number]) => inCampaign.filter((i) => i.status === s).length;
  const items = (campaign || status ? filtered.data : all.data)?.items ?? null;

  return (
    <div className="page">
      <header className="page-header">
        <h1 id="reviews-title">{t('reviews.title')}</h1>
        <p className="lead">{t('reviews.lead')}</p>
      </header>

      <form
        className="office-filters panel"
        aria-label={t('reviews.filters.label')}
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor={campaignId}>{t('reviews.filters.campaign')}</label>
          <select
            id={campaignId}
            name="campaign"
            value={campaign}
            data-testid="filter-campaign"
            onChange={(event) => setFilter('campaign', event.target.value)}
          >
            <option value="">{t('office.filters.all')}</option>
            {slugs.map((slug) => (
              <option key={slug} value={slug}>
                {titleOf(slug)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={statusId}>{t('reviews.filters.status')}</label>
          <select
            id={statusId}
            name="status"
            value={status}
            data-testid="filter-status"
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">{t('reviews.filters.allCount', { count: inCampaign.length })}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`reviews.filters.${s}Count`, { count: count(s) })}
              </option>
            ))}
          </select>
        </div>
      </form>

      <p className="results-count" role="status" aria-live="polite" data-testid="reviews-count">
        {all.data
          ? t('reviews.counts', {
              assigned: count('assigned'),
              submitted: count('submitted'),
              count: inCampaign.length,
            })
          : t('app.loading')}
      </p>

      {items && items.length === 0 && (
        <p className="empty">{t(all.data?.items.length ? 'reviews.noMatch' : 'reviews.empty')}</p>
      )}
      {items && items.length > 0 && (
        <ul className="review-queue" aria-labelledby="reviews-title">
          {[...items].sort(byQueueOrder).map((item) => (
            <li key={item.id} className="panel review-item" data-testid={`review-${item.id}`} data-status={item.status}>
              <h2 className="card-title">
                <Link href={`/reviews/${item.id}`}>
                  {t('reviews.file.title', { number: item.applicationNumber ?? t('office.noNumber') })}
                </Link>
              </h2>
              <p>
                {titleOf(item.campaign)} · {t(`reviews.roles.${item.role}`)}
              </p>
              <p>
                <span className={`badge ${item.status === 'submitted' ? 'badge-good' : 'badge-muted'}`}>
                  {t(`reviews.status.${item.status}`)}
                </span>{' '}
                {item.total !== null && t('reviews.yourTotal', { total: formatNumber(item.total, locale) })}
              </p>
              <p className="field-hint">{t('reviews.assignedOn', { date: formatDateTime(item.assignedAt, locale) })}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
