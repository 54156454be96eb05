import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';
import { AskConsultantForm } from '../agency/ask-form';
import { catalogApi, type UniversityDetail } from './catalog-api';
import { CompareTray } from './compare-tray';
import { Fact, formatList, localeOf, NotStated, pick, Source, yesNo } from './format';
import { failureTitle, LoadFailure } from './load-failure';
import { ProgramCard } from './program-card';
import { useResource } from './use-resource';

function UniversityFactList({ university }: { university: UniversityDetail }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const s = university.sources;
  const text = (value: UniversityDetail['partnerships']) => (value ? pick(value, locale) : null);
  return (
    <dl className="facts">
      <Fact label={t('catalog.fields.nameEn')} value={university.name.en} source={s.name} />
      <Fact label={t('catalog.fields.nameRu')} value={university.name.ru} source={s.name} />
      {university.nameKk && <Fact label={t('catalog.fields.nameKk')} value={university.nameKk} source={s.name} />}
      <Fact label={t('catalog.fields.shortName')} value={university.shortName} source={s.shortName} />
      <Fact
        label={t('catalog.fields.country')}
        value={university.country ? t(`catalog.enums.country.${university.country}`) : null}
        source={s.country}
      />
      <Fact
        label={t('catalog.fields.city')}
        value={university.city ? pick(university.city, locale) : null}
        source={s.city}
      />
      <Fact
        label={t('catalog.fields.website')}
        value={
          university.website ? (
            <a href={university.website} rel="noopener noreferrer" target="_blank">
              {university.website.replace(/^https?:\/\//, '')}
            </a>
          ) : null
        }
        source={s.website}
      />
      <Fact label={t('catalog.fields.wdomsListed')} value={yesNo(university.wdomsListed, t)} source={s.wdomsListed} />
      <Fact
        label={t('catalog.fields.universityLanguages')}
        value={formatList(university.languages, 'language', t, locale)}
        source={s.languages}
      />
      <Fact
        label={t('catalog.fields.multidisciplinaryClinicalBases')}
        value={yesNo(university.multidisciplinaryClinicalBases, t)}
        source={s.multidisciplinaryClinicalBases}
      />
      <Fact label={t('catalog.fields.clinicalBases')} value={text(university.clinicalBases)} source={s.clinicalBases} />
      <Fact label={t('catalog.fields.partnerships')} value={text(university.partnerships)} source={s.partnerships} />
      <Fact
        label={t('catalog.fields.universityExchange')}
        value={text(university.exchangePrograms)}
        source={s.exchangePrograms}
      />
      <Fact label={t('catalog.fields.description')} value={text(university.description)} source={s.description} />
    </dl>
  );
}

export function UniversityPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const { data, error } = useResource(slug, (signal) => catalogApi.university(slug, signal));
  const university = data?.slug === slug ? data : null;
  usePageTitle(
    error ? failureTitle(error, t) : university ? pick(university.name, locale) : t('catalog.universities.title'),
  );

  if (error) return <LoadFailure error={error} notFoundKey="catalog.universities.notFound" />;
  if (!university) return <p className="loading page-placeholder">{t('app.loading')}</p>;

  return (
    <article className="university-page">
      <p className="breadcrumbs">
        <Link href="/universities">{t('catalog.universities.back')}</Link>
      </p>
      <header className="page-header">
        <h1>{pick(university.name, locale)}</h1>
        <Source source={university.sources.name} />
      </header>

      <section className="panel" aria-labelledby="university-facts-title">
        <h2 id="university-facts-title">{t('catalog.universities.facts')}</h2>
        <UniversityFactList university={university} />
      </section>

      <section className="panel" aria-labelledby="agencies-title">
        <h2 id="agencies-title">{t('catalog.universities.agencies')}</h2>
        {university.agencies.length > 0 ? (
          <ul className="plainlist">
            {university.agencies.map((agency) => (
              <li key={agency.slug}>
                {pick(agency.name, locale)}
                {user?.role === 'applicant' && (
                  <>
                    {' '}
                    <Link
                      href={`/agency-invitation?agency=${encodeURIComponent(agency.slug)}&university=${encodeURIComponent(university.slug)}`}
                      className="button button-quiet"
                      data-testid={`grant-agency-${agency.slug}`}
                    >
                      {t('agency.grants.giveAccessTo', { agency: pick(agency.name, locale) })}
                    </Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        ) : (
          <p data-testid="no-agencies">
            <span className="not-stated">{t('catalog.universities.noAgencies')}</span>
          </p>
        )}
      </section>

      <section aria-labelledby="programs-title">
        <h2 id="programs-title">{t('catalog.universities.programs', { count: university.programs.length })}</h2>
        {university.programs.length > 0 ? (
          <ol className="program-list">
            {university.programs.map((program) => (
              <li key={program.id}>
                <ProgramCard program={program} />
              </li>
            ))}
          </ol>
        ) : (
          <p>
            <NotStated />
          </p>
        )}
      </section>
      <AskConsultantForm key={university.slug} university={university.slug} />
      <CompareTray />
    </article>
  );
}
