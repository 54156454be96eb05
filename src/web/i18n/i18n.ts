import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LOCALES, type Locale } from '../api';

type Resources = Record<string, unknown>;

/**
 * Each language is its own chunk, loaded when first needed: the first load carries one language only.
 * No fallback language is needed: both files have the same keys (test/unit/i18n.test.ts).
 */
const LOADERS: Record<Locale, () => Promise<{ default: Resources }>> = {
  en: () => import('./en.json'),
  ru: () => import('./ru.json'),
};

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

async function loadLocale(locale: Locale): Promise<void> {
  if (i18n.hasResourceBundle(locale, 'translation')) return;
  const { default: resources } = await LOADERS[locale]();
  i18n.addResourceBundle(locale, 'translation', resources, true, true);
}

async function switchTo(locale: Locale): Promise<void> {
  await loadLocale(locale);
  await i18n.changeLanguage(locale);
}

/** Applies a language the visitor picked: remembered on this device. */
export async function chooseLocale(locale: Locale): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Ignored: see storedLocale.
  }
  await switchTo(locale);
}

/** Follows the signed-in user's saved language unless the visitor chose one on this device. */
export function adoptAccountLocale(locale: Locale): void {
  if (storedLocale() === null && currentLocale() !== locale) {
    switchTo(locale).catch((error: unknown) => console.warn('Could not load the language', error));
  }
}

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

async function start(): Promise<void> {
  const initial = storedLocale() ?? browserLocale();
  const { default: resources } = await LOADERS[initial]();
  await i18n.use(initReactI18next).init({
    resources: { [initial]: { translation: resources } },
    partialBundledLanguages: true,
    lng: initial,
    fallbackLng: false,
    supportedLngs: [...LOCALES],
    interpolation: { escapeValue: false }, // React escapes.
    returnEmptyString: false,
  });
  document.documentElement.lang = currentLocale();
}

/** Settles once the first language is loaded: the app renders after it (see main.tsx). */
export const i18nReady: Promise<void> = start();

export { i18n };
