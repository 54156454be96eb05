/** Country and language names in the interface language, from the browser's own data (Intl.DisplayNames). */
import type { Locale } from '../api';

/** ISO 3166-1 alpha-2 codes. */
export const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA ' +
  'CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA ' +
  'GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
  'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS ' +
  'MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS ' +
  'RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW ' +
  'TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** ISO 639-1 codes of languages education documents and certificates are commonly written in. */
export const LANGUAGE_CODES = (
  'af am ar az be bg bn bs ca cs da de el en es et fa fi fr ha he hi hr hu hy id ig it ja ka kk km ko ku ky lo lt lv ' +
  'mg mk mn ms my ne nl no pl ps pt ro ru rw si sk sl so sq sr sv sw ta tg th tk tl tr uk ur uz vi wo xh yo zh zu'
).split(' ');

const cache = new Map<string, Intl.DisplayNames | null>();

function displayNames(locale: Locale, type: 'region' | 'language'): Intl.DisplayNames | null {
  const key = `${locale}:${type}`;
  if (!cache.has(key)) {
    try {
      cache.set(key, new Intl.DisplayNames([locale], { type, fallback: 'code' }));
    } catch {
      cache.set(key, null); // A browser without DisplayNames shows the codes.
    }
  }
  return cache.get(key) ?? null;
}

export function countryName(code: string, locale: Locale): string {
  return displayNames(locale, 'region')?.of(code) ?? code;
}

/** The language's name: capitalized for a list ("Английский"), or as written inside a sentence ("английский"). */
export function languageName(code: string, locale: Locale, inSentence = false): string {
  const name = displayNames(locale, 'language')?.of(code) ?? code;
  return inSentence ? name : name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

/** Codes with their names, sorted by name in the interface language. */
export function sortedOptions(
  codes: readonly string[],
  nameOf: (code: string, locale: Locale) => string,
  locale: Locale,
): { code: string; name: string }[] {
  const collator = new Intl.Collator(locale);
  return codes.map((code) => ({ code, name: nameOf(code, locale) })).sort((a, b) => collator.compare(a.name, b.name));
}

/** "Russian, English" (in Russian "русский, английский") from "ru, en", the way the checks list languages. */
export function languageList(codes: string, locale: Locale): string {
  return codes
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean)
    .map((code) => languageName(code, locale, true))
    .join(', ');
}
