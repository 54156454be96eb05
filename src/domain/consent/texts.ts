/**
 * Consent texts, as data: every version a person may have agreed to, in English and Russian. A
 * consent record stores the version and the SHA-256 of the exact text shown, so a text is never
 * edited in place: a change is a new version, and the newest one is what people are asked now.
 */
export const CONSENT_PURPOSES = ['health_data'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export type ConsentLocale = 'en' | 'ru';

export interface ConsentText {
  version: string;
  /** The day this version was first shown. */
  effectiveFrom: string;
  title: Record<ConsentLocale, string>;
  body: Record<ConsentLocale, string>;
}

const HEALTH_DATA_V1: ConsentText = {
  version: '2026-06-v1',
  effectiveFrom: '2026-06-01',
  title: {
    en: 'Consent to the processing of health data',
    ru: 'Согласие на обработку сведений о состоянии здоровья',
  },
  body: {
    en: [
      'I agree that MedAdmit stores the medical reports I upload and shows them to the admissions',
      'staff of the universities I apply to, so that they can check the medical requirements of the',
      'admission rules. The files are encrypted at rest, every reading of one is recorded, and they',
      'are not used for any other purpose.',
      'I may withdraw this consent at any time on my account page. After that I can upload no further',
      'medical reports; a report already uploaded stays part of an application I have submitted.',
      'My data is erased after the retention period once I have no active admission.',
    ].join(' '),
    ru: [
      'Я согласен(на) с тем, что MedAdmit хранит загружаемые мной медицинские заключения и показывает',
      'их сотрудникам приёмных комиссий университетов, в которые я подаю заявление, для проверки',
      'медицинских требований правил приёма. Файлы хранятся в зашифрованном виде, каждое их чтение',
      'записывается, для других целей они не используются.',
      'Я могу отозвать это согласие в любой момент на странице учётной записи. После этого загрузить',
      'новые медицинские заключения будет нельзя; уже загруженное заключение остаётся частью поданного',
      'заявления. Мои данные удаляются по истечении срока хранения, если у меня нет действующего зачисления.',
    ].join(' '),
  },
};

/** Every version per purpose, oldest first; the last one is current. */
export const CONSENT_TEXTS: Record<ConsentPurpose, readonly ConsentText[]> = {
  health_data: [HEALTH_DATA_V1],
};

export function currentConsentText(purpose: ConsentPurpose): ConsentText {
  const versions = CONSENT_TEXTS[purpose];
  const last = versions[versions.length - 1];
  if (!last) throw new Error(`no consent text for ${purpose}`);
  return last;
}

export function consentTextVersion(purpose: ConsentPurpose, version: string): ConsentText | undefined {
  return CONSENT_TEXTS[purpose].find((t) => t.version === version);
}

/** Exactly the words shown for one version and language; its SHA-256 goes into the consent record. */
export function consentTextShown(text: ConsentText, locale: ConsentLocale): string {
  return `${text.title[locale]}\n\n${text.body[locale]}`;
}
