import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { ApiError } from '../../api';

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** The page title for a failed load: the page calls usePageTitle with it (a child's title would be overwritten). */
export function failureTitle(error: unknown, t: TFunction): string {
  return isNotFound(error) ? t('notFound.title') : t('catalog.loadFailed');
}

/** What a catalog page shows when its data could not be loaded: "not found" (404) or the localized error. */
export function LoadFailure({ error, notFoundKey }: { error: unknown; notFoundKey: string }) {
  const { t, i18n } = useTranslation();
  const notFound = isNotFound(error);
  const code = error instanceof ApiError ? `errors.${error.code}` : '';
  const message = notFound ? t(notFoundKey) : t(code && i18n.exists(code) ? code : 'errors.generic');
  return (
    <section className="page page-narrow" data-testid={notFound ? 'not-found' : 'load-error'}>
      <h1>{failureTitle(error, t)}</h1>
      <p role="alert">{message}</p>
      <p>
        <Link href="/catalog">{t('catalog.backToCatalog')}</Link>
      </p>
    </section>
  );
}
