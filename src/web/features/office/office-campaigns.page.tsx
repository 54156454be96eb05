import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';
import { applicationsApi } from '../applications/applications-api';
import { catalogApi } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';

/** The campaigns of the officer's (or reviewer's) university. */
export function OfficeCampaignsPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const universityId = user?.universityId ?? null;
  const universities = useResource(universityId ? 'universities' : null, (signal) => catalogApi.universities(signal));
  const university = universities.data?.items.find((u) => u.id === universityId) ?? null;
  const campaigns = useResource(university ? university.slug : null, (signal) =>
    applicationsApi.campaigns({ university: university?.slug ?? '' }, signal),
  );
  const error = universities.error ?? campaigns.error;
  usePageTitle(error ? failureTitle(error, t) : t('office.title'));
  if (error) return <LoadFailure error={error} notFoundKey="notFound.text" />;

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('office.title')}</h1>
        {university && <p className="lead">{pick(university.name, locale)}</p>}
      </header>
      {!universityId ? (
        <p className="notice notice-info">{t('office.noUniversity')}</p>
      ) : !campaigns.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : campaigns.data.items.length === 0 ? (
        <p className="empty">{t('office.noCampaigns')}</p>
      ) : (
        <ul className="campaign-cards" data-testid="office-campaigns">
          {campaigns.data.items.map((c) => (
            <li key={c.slug} className="card panel" data-testid={`office-campaign-${c.slug}`}>
              <h2 className="card-title">
                <Link href={`/office/campaigns/${encodeURIComponent(c.slug)}`}>{pick(c.title, locale)}</Link>
              </h2>
              <p>
                {t(`catalog.enums.level.${c.level}`, { defaultValue: c.level })} · {c.academicYear}
              </p>
              <p>
                <span className={`badge ${c.openNow ? 'badge-good' : 'badge-muted'}`}>
                  {c.openNow ? t('office.openNow') : t('office.notOpen')}
                </span>{' '}
                {t('applications.competitions', { count: c.competitions })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
