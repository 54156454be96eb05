/** What a register page shows when its data could not be loaded: "not found" (404) or the localized error. */
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';

export function LoadProblem({ error, notFoundKey }: { error: unknown; notFoundKey: string }) {
  const { t, i18n } = useTranslation();
  const notFound = error instanceof ApiError && (error.status === 404 || error.status === 403);
  const code = error instanceof ApiError ? `errors.${error.code}` : '';
  const message = notFound ? t(notFoundKey) : t(code && i18n.exists(code) ? code : 'errors.generic');
  return (
    <p className={notFound ? 'notice notice-info' : 'notice notice-error'} role="alert" data-testid="load-problem">
      {message}
    </p>
  );
}
