import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LOCALES, type Locale } from '../api';
import en from './en.json';
import ru from './ru.json';

const STORAGE_KEY = 'medadmit.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language the visitor chose with the switch on this device, if any. */
export function storedLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null; // Storage can be disabled; the choice then lasts for the page only.
  }
}

function browserLocale(): Locale {
  const language = navigator.languages?.[0] ?? navigator.language ?? '';
  return language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function currentLocale(): Locale {
  return isLocale(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
}

/** Applies a language the visitor picked: remembered on this device. */
export async function chooseLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Ignored: see storedLocale.
  }
  await i18n.changeLanguage(locale);
}

/** Follows the signed-in user's saved language unless the visitor chose one on this device. */
export function adoptAccountLocale(locale: Locale): void {
  if (storedLocale() === null && currentLocale() !== locale) void i18n.changeLanguage(locale);
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ru: { translation: ru } },
  lng: storedLocale() ?? browserLocale(),
  fallbackLng: 'en',
  supportedLngs: [...LOCALES],
  interpolation: { escapeValue: false }, // React escapes.
  returnEmptyString: false,
});
document.documentElement.lang = currentLocale();

export { i18n };
