import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** Names the browser tab after the page, in the current language. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  const full = t('app.pageTitle', { page: title });
  useEffect(() => {
    document.title = full;
  }, [full]);
}
