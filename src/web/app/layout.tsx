import { type ReactNode, Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useRoute } from 'wouter';
import { LanguageSwitch } from './language-switch';
import { Loading } from './loading';
import { useSession } from './session';

function NavLink({ href, children, nested = false }: { href: string; children: ReactNode; nested?: boolean }) {
  // A section's link stays current on its inner pages (/applications/<campaign>).
  const [exact] = useRoute(href);
  const [inner] = useRoute(`${href}/*`);
  const active = exact || (nested && inner);
  return (
    <Link href={href} className="nav-link" aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function Navigation() {
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const { status, user, logout } = useSession();

  const signOut = async () => {
    await logout();
    navigate('/');
  };

  // The catalog is for everyone: its links stand while the session is still being checked.
  const catalog = (
    <>
      <li>
        <NavLink href="/catalog">{t('nav.programs')}</NavLink>
      </li>
      <li>
        <NavLink href="/universities">{t('nav.universities')}</NavLink>
      </li>
    </>
  );
  if (status === 'loading') return <ul className="nav-list">{catalog}</ul>;

  return (
    <ul className="nav-list">
      {catalog}
      {user ? (
        <>
          {user.role === 'applicant' && (
            <>
              <li>
                <NavLink href="/dossier">{t('nav.dossier')}</NavLink>
              </li>
              <li>
                <NavLink href="/documents">{t('nav.documents')}</NavLink>
              </li>
              <li>
                <NavLink href="/applications" nested>
                  {t('nav.applications')}
                </NavLink>
              </li>
              <li>
                <NavLink href="/deadlines">{t('nav.deadlines')}</NavLink>
              </li>
              <li>
                <NavLink href="/admissions">{t('nav.admission')}</NavLink>
              </li>
            </>
          )}
          {(user.role === 'officer' || user.role === 'reviewer') && (
            <>
              <li>
                <NavLink href="/office/campaigns" nested>
                  {t('nav.campaigns')}
                </NavLink>
              </li>
              <li>
                <NavLink href="/reviews" nested>
                  {t('nav.reviews')}
                </NavLink>
              </li>
              {user.role === 'officer' && (
                <li>
                  <NavLink href="/office/adaptation">{t('nav.adaptation')}</NavLink>
                </li>
              )}
            </>
          )}
          {(user.role === 'officer' || user.role === 'administrator') && (
            <>
              <li>
                <NavLink href="/register/admin">{t('register.admin.nav')}</NavLink>
              </li>
              <li>
                <NavLink href="/register/dashboard">{t('register.dashboard.nav')}</NavLink>
              </li>
            </>
          )}
          {user.role === 'teacher' && (
            <li>
              <NavLink href="/register/teaching">{t('register.teacher.nav')}</NavLink>
            </li>
          )}
          {user.role === 'student' && (
            <li>
              <NavLink href="/register/me">{t('register.student.nav')}</NavLink>
            </li>
          )}
          {user.role === 'parent' && (
            <li>
              <NavLink href="/register/children">{t('register.parent.nav')}</NavLink>
            </li>
          )}
          {user.role === 'consultant' && (
            <li>
              <NavLink href="/agency" nested>
                {t('nav.agency')}
              </NavLink>
            </li>
          )}
          <li>
            <NavLink href="/account">{t('nav.account')}</NavLink>
          </li>
          {user.role === 'administrator' && (
            <>
              <li>
                <NavLink href="/admin/users">{t('nav.users')}</NavLink>
              </li>
              <li>
                <NavLink href="/office/adaptation">{t('nav.adaptation')}</NavLink>
              </li>
            </>
          )}
          <li>
            <button type="button" className="button button-quiet" data-testid="logout" onClick={signOut}>
              {t('nav.logout')}
            </button>
          </li>
        </>
      ) : (
        <>
          <li>
            <NavLink href="/login">{t('nav.login')}</NavLink>
          </li>
          <li>
            <NavLink href="/register">{t('nav.register')}</NavLink>
          </li>
        </>
      )}
    </ul>
  );
}

/** Page chrome: skip link, header with navigation and language, main region, footer. */
export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [location] = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const shownLocation = useRef(location);

  // After client-side navigation, start reading (and tabbing) at the new page, as a page load would.
  useEffect(() => {
    if (shownLocation.current === location) return;
    shownLocation.current = location;
    mainRef.current?.focus();
  }, [location]);

  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <div className="container header-inner">
          <Link href="/" className="brand">
            <span className="brand-mark" aria-hidden="true" />
            {t('app.name')}
          </Link>
          <nav aria-label={t('nav.label')} className="site-nav">
            <Navigation />
          </nav>
          <LanguageSwitch />
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="container site-main">
        {/* The fallback fills the screen so the footer does not show, then jump, while a page's code loads. */}
        <Suspense
          fallback={
            <div className="page-placeholder">
              <Loading />
            </div>
          }
        >
          {children}
        </Suspense>
      </main>
      <footer className="site-footer">
        <div className="container footer-inner">
          <p>{t('footer.about')}</p>
          <Link href="/ask">{t('footer.ask')}</Link>
          <a href="/api/docs">{t('footer.apiDocs')}</a>
        </div>
      </footer>
    </>
  );
}
