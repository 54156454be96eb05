import type { TText } from './catalog.schema.js';

/** Names of enumerated catalog values in English and Russian, shared by the API (facets) and exports. */
export const CATALOG_LABELS: Record<
  'country' | 'level' | 'language' | 'studyForm' | 'funding',
  Record<string, TText>
> = {
  country: {
    RU: { en: 'Russia', ru: 'Россия' },
    BY: { en: 'Belarus', ru: 'Беларусь' },
    KZ: { en: 'Kazakhstan', ru: 'Казахстан' },
  },
  level: {
    preparatory: { en: 'Preparatory faculty', ru: 'Подготовительный факультет' },
    bachelor: { en: "Bachelor's", ru: 'Бакалавриат' },
    specialist: { en: "Specialist's degree", ru: 'Специалитет' },
    master: { en: "Master's", ru: 'Магистратура' },
    residency: { en: 'Clinical residency', ru: 'Ординатура / резидентура' },
    phd: { en: 'PhD / postgraduate', ru: 'Аспирантура / PhD' },
  },
  language: {
    ru: { en: 'Russian', ru: 'Русский' },
    en: { en: 'English', ru: 'Английский' },
    kk: { en: 'Kazakh', ru: 'Казахский' },
    be: { en: 'Belarusian', ru: 'Белорусский' },
    fr: { en: 'French', ru: 'Французский' },
    de: { en: 'German', ru: 'Немецкий' },
  },
  studyForm: {
    full_time: { en: 'Full-time', ru: 'Очная' },
    part_time: { en: 'Part-time', ru: 'Очно-заочная' },
    correspondence: { en: 'Correspondence', ru: 'Заочная' },
    distance: { en: 'Distance', ru: 'Дистанционная' },
  },
  funding: {
    quota: { en: 'Government quota', ru: 'Квота Правительства' },
    contract: { en: 'Paid contract', ru: 'Платный договор' },
    treaty: { en: 'International treaty', ru: 'Международный договор' },
  },
};
