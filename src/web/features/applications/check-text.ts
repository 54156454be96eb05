/** Words for a check of the checklist: what it is about (its title) and its result with the params localized. */
import type { TFunction } from 'i18next';
import type { Locale } from '../../api';
import { formatDate } from '../../ui/dates';
import { languageList, languageName } from '../../ui/regions';
import type { Check, Requirement } from './applications-api';

const DATE_PARAMS = ['expiresOn', 'requiredUntil', 'issuedOn'];

/** Params as the reader reads them: dates, document kinds, languages, levels and categories in words. */
function localizedParams(params: Check['params'], t: TFunction, locale: Locale): Record<string, string | number> {
  const out: Record<string, string | number> = { ...params };
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') continue;
    if (DATE_PARAMS.includes(name) && /^\d{4}-\d{2}-\d{2}$/.test(value)) out[name] = formatDate(value, locale);
    if (name === 'kind') out.kind = t(`documents.kinds.${value}`, { defaultValue: value });
    if (name === 'languages') out.languages = languageList(value, locale);
    if (name === 'language') out.language = languageName(value, locale, true);
    if (name === 'programLevel') out.programLevel = t(`catalog.enums.level.${value}`, { defaultValue: value });
    if (name === 'category') out.category = t(`dossier.categories.${value}`, { defaultValue: value });
  }
  return out;
}

/** The requirement type of a check, from the campaign's requirements ('eligibility.x' for eligibility rules). */
export function checkKind(check: Check, requirements: readonly Requirement[]): string {
  if (check.id === 'dossier' || check.id.startsWith('eligibility.')) return check.id;
  return requirements.find((r) => r.id === check.id)?.type ?? check.id;
}

export function checkTitle(check: Check, requirements: readonly Requirement[], t: TFunction): string {
  const kind = checkKind(check, requirements);
  return t(`checks.titles.${kind}`, { defaultValue: check.id });
}

export function checkMessage(check: Check, requirements: readonly Requirement[], t: TFunction, locale: Locale): string {
  const params = localizedParams(check.params, t, locale);
  const { code } = check;
  if (code === 'ok') {
    const kind = checkKind(check, requirements);
    // Each specific wording uses the params the server sends with that requirement's success.
    if (kind === 'language_certificate' && !check.params.name) return t('checks.codes.ok');
    return t(`checks.ok.${kind}`, { ...params, defaultValue: t('checks.codes.ok') });
  }
  if (code === 'document_missing' || code === 'document_rejected') {
    const entry = check.params.institution ?? check.params.name;
    return entry === undefined
      ? t(`checks.codes.${code}`, params)
      : t(`checks.codes.${code}_for`, { ...params, entry });
  }
  if (code === 'passport_expires_too_soon') {
    const base = t('checks.codes.passport_expires_too_soon', params);
    const months = Number(check.params.months ?? 0);
    return months > 0 ? `${base} ${t('checks.codes.passport_validity', { count: months })}` : base;
  }
  if (code === 'translation_missing')
    return t('checks.codes.translation_missing', { ...params, count: Number(check.params.count ?? 1) });
  if (code === 'language_certificate_missing' && !check.params.languages)
    return t('checks.codes.language_certificate_missing_any');
  return t(`checks.codes.${code}`, { ...params, defaultValue: t('checks.codes.unknown', { code }) });
}

/** Where the applicant fixes what a check found: the dossier or the documents. */
export function fixLink(check: Check): '/dossier' | '/documents' | null {
  if (check.status === 'pass') return null;
  const dossierCodes = [
    'dossier_missing',
    'passport_data_missing',
    'passport_expires_too_soon',
    'education_missing',
    'education_level_unsuitable',
    'no_higher_medical_education',
    'internship_required',
    'cyrillic_name_missing',
    'name_review',
    'name_mismatch',
    'language_certificate_missing',
    'language_preparation_suggested',
  ];
  return dossierCodes.includes(check.code) ? '/dossier' : '/documents';
}
