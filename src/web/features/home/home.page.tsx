import { type FormEvent, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'wouter';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';

const AUDIENCES = ['applicants', 'universities', 'agencies', 'families'] as const;
const AVAILABLE = ['catalog', 'account', 'profile', 'admin', 'api'] as const;
const COMING = ['applications', 'admissions', 'records'] as const;

/** The home page's main action: a search of the program catalog. */
function CatalogSearch() {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const id = useId();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = new FormData(event.currentTarget).get('q');
    const text = typeof q === 'string' ? q.trim() : '';
    navigate(text ? `/catalog?${new URLSearchParams({ q: text }).toString()}` : '/catalog');
  };
  return (
    <search aria-label={t('home.searchLabel')}>
      <form className="search-form home-search" onSubmit={submit}>
        <label htmlFor={id}>{t('home.searchLabel')}</label>
        <div className="search-row">
          <input
            id={id}
            name="q"
            type="search"
            data-testid="home-search"
            placeholder={t('catalog.search.placeholder')}
            autoComplete="off"
            enterKeyHint="search"
            maxLength={200}
          />
          <button type="submit" className="button button-primary">
            {t('home.searchSubmit')}
          </button>
        </div>
      </form>
    </search>
  );
}

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  usePageTitle(t('home.pageTitle'));

  return (
    <div className="home">
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p className="lead">{t('home.lead')}</p>
        <CatalogSearch />
        <div className="actions">
          <Link href="/catalog" className="button button-secondary">
            {t('home.browseCatalog')}
          </Link>
          <Link href="/universities" className="button button-secondary">
            {t('home.browseUniversities')}
          </Link>
          {user ? (
            <Link href="/account" className="button button-quiet">
              {t('home.toAccount')}
            </Link>
          ) : (
            <>
              <Link href="/register" className="button button-quiet">
                {t('home.register')}
              </Link>
              <Link href="/login" className="button button-quiet">
                {t('home.login')}
              </Link>
            </>
          )}
        </div>
      </section>

      <section aria-labelledby="home-audiences">
        <h2 id="home-audiences">{t('home.audiencesTitle')}</h2>
        <ul className="cards">
          {AUDIENCES.map((audience) => (
            <li key={audience} className="card">
              <h3>{t(`home.audiences.${audience}.title`)}</h3>
              <p>{t(`home.audiences.${audience}.text`)}</p>
            </li>
          ))}
        </ul>
      </section>

      <div className="columns">
        <section aria-labelledby="home-available" className="panel">
          <h2 id="home-available">{t('home.availableTitle')}</h2>
          <ul className="checklist">
            {AVAILABLE.map((item) => (
              <li key={item}>
                {item === 'api' ? (
                  <>
                    {t('home.available.api')} <a href="/api/docs">{t('home.apiDocsLink')}</a>
                  </>
                ) : item === 'catalog' ? (
                  <>
                    {t('home.available.catalog')} <Link href="/catalog">{t('home.catalogLink')}</Link>
                  </>
                ) : (
                  t(`home.available.${item}`)
                )}
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="home-coming" className="panel">
          <h2 id="home-coming">{t('home.comingTitle')}</h2>
          <p>{t('home.comingIntro')}</p>
          <ul className="plainlist">
            {COMING.map((item) => (
              <li key={item}>{t(`home.coming.${item}`)}</li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
