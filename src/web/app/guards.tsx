import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Redirect, useLocation } from 'wouter';
import type { Role } from '../api';
import { usePageTitle } from '../ui/page-title';
import { Loading } from './loading';
import { useSession } from './session';

/** Only a relative path on this site may be a place to return to after signing in. */
export function safeNext(next: string | null): string | null {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
}

/** Shows its children to a signed-in user; sends anyone else to sign in, and back here afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { status, user } = useSession();
  const [location] = useLocation();
  if (status === 'loading') return <Loading />;
  if (!user) return <Redirect to={`/login?next=${encodeURIComponent(location)}`} replace />;
  return children;
}

function ForbiddenPage({ textKey = 'forbidden.text' }: { textKey?: string }) {
  const { t } = useTranslation();
  usePageTitle(t('forbidden.title'));
  return (
    <section className="page page-narrow" data-testid="access-denied">
      <h1>{t('forbidden.title')}</h1>
      <p>{t(textKey)}</p>
      <p>
        <Link href="/">{t('forbidden.home')}</Link>
      </p>
    </section>
  );
}

export function RequireAdministrator({ children }: { children: ReactNode }) {
  const { user } = useSession();
  return <RequireSession>{user?.role === 'administrator' ? children : <ForbiddenPage />}</RequireSession>;
}

/** Shows its children to a signed-in user of one of the roles; tells others the page is not for them. */
export function RequireRole({
  roles,
  textKey,
  children,
}: {
  roles: readonly Role[];
  textKey: string;
  children: ReactNode;
}) {
  const { user } = useSession();
  return (
    <RequireSession>
      {user && roles.includes(user.role) ? children : <ForbiddenPage textKey={textKey} />}
    </RequireSession>
  );
}
