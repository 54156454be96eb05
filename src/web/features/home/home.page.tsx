import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';

const AUDIENCES = ['applicants', 'universities', 'agencies', 'families'] as const;
const AVAILABLE = ['account', 'profile', 'admin', 'api'] as const;
const COMING = ['catalog', 'applications', 'admissions', 'records'] as const;

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  usePageTitle(t('home.pageTitle'));

  return (
    <div className="home">
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t('home.title')}</h1>
        <p className="lead">{t('home.lead')}</p>
        <div className="actions">
          {user ? (
            <Link href="/account" className="button button-primary">
              {t('home.toAccount')}
            </Link>
          ) : (
            <>
              <Link href="/register" className="button button-primary">
                {t('home.register')}
              </Link>
              <Link href="/login" className="button button-secondary">
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
