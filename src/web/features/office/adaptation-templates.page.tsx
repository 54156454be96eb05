/**
 * The adaptation checklists of a university (what arrived students must do, by when): officers edit
 * their own university's; administrators choose the university (`?university=slug`).
 */
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';
import { catalogApi } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { failureTitle, LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { adaptationApi } from './adaptation-api';
import { AdaptationTemplateEditor } from './adaptation-template-editor';

export function AdaptationTemplatesPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const [location, navigate] = useLocation();
  const admin = user?.role === 'administrator';
  const universities = useResource('universities', (signal) => catalogApi.universities(signal));
  const requested = new URLSearchParams(useSearch()).get('university') ?? '';
  const university = admin
    ? (universities.data?.items.find((u) => u.slug === requested) ?? null)
    : (universities.data?.items.find((u) => u.id === user?.universityId) ?? null);
  const templates = useResource(university ? `adaptation-templates:${university.slug}` : null, (signal) =>
    adaptationApi.templates(university?.slug ?? '', signal),
  );
  const error = universities.error ?? templates.error;
  usePageTitle(error ? failureTitle(error, t) : t('office.adaptation.title'));
  if (error) return <LoadFailure error={error} notFoundKey="notFound.text" />;

  return (
    <div className="page adaptation-templates-page">
      {!admin && (
        <p className="breadcrumbs">
          <Link href="/office/campaigns">{t('office.adaptation.backToCampaigns')}</Link>
        </p>
      )}
      <header className="page-header">
        <h1>{t('office.adaptation.title')}</h1>
        {university && (
          <p className="lead" data-testid="adaptation-university">
            {pick(university.name, locale)}
          </p>
        )}
        <p className="field-hint">{t('office.adaptation.lead')}</p>
      </header>
      {admin && universities.data && (
        <div className="field">
          <label htmlFor="adaptation-university">{t('office.adaptation.university')}</label>
          <select
            id="adaptation-university"
            value={university?.slug ?? ''}
            onChange={(e) =>
              navigate(e.target.value ? `${location}?university=${encodeURIComponent(e.target.value)}` : location)
            }
            data-testid="adaptation-university-select"
          >
            <option value="">{t('office.adaptation.chooseUniversity')}</option>
            {universities.data.items.map((u) => (
              <option key={u.slug} value={u.slug}>
                {pick(u.name, locale)}
              </option>
            ))}
          </select>
        </div>
      )}
      {!admin && !user?.universityId ? (
        <p className="notice notice-info">{t('office.noUniversity')}</p>
      ) : !universities.data || (university && (templates.loading || !templates.data)) ? (
        <p className="loading">{t('app.loading')}</p>
      ) : !university || !templates.data ? null : (
        <AdaptationTemplateEditor
          key={university.slug}
          initial={templates.data}
          save={(list) => adaptationApi.saveTemplates(university.slug, list)}
        />
      )}
    </div>
  );
}
