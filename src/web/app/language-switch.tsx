import { type ChangeEvent, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { api, LOCALES } from '../api';
import { chooseLocale, currentLocale, isLocale } from '../i18n/i18n';
import { useSession } from './session';

/** EN/RU switch: remembered on this device and, when signed in, saved to the account (e-mails follow it). */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { user, updateUser } = useSession();
  const id = useId();

  const onChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const locale = event.target.value;
    if (!isLocale(locale)) return;
    void chooseLocale(locale);
    if (user && user.locale !== locale) {
      api.saveLocale(locale).then(updateUser, (error: unknown) => console.warn('Could not save the language', error));
    }
  };

  return (
    <div className="language-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('language.label')}
      </label>
      <select id={id} data-testid="language-switch" value={currentLocale()} onChange={onChange}>
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {t(`language.${locale}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
