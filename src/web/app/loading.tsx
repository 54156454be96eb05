import { useTranslation } from 'react-i18next';

/** Shown while a page's code or data loads; fades in late so quick loads do not flash. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}
