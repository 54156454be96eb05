import type { DocumentKind } from './dossier.schema.js';

type Text = { en: string; ru: string };

/** Names of document kinds and rejection reasons in English and Russian, for e-mails and exports. */
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, Text> = {
  passport: { en: 'Passport', ru: 'Паспорт' },
  education_document: { en: 'Education document (diploma)', ru: 'Документ об образовании (диплом)' },
  transcript: { en: 'Transcript of grades', ru: 'Приложение с оценками' },
  education_translation: { en: 'Certified Russian translation', ru: 'Заверенный перевод на русский язык' },
  recognition: { en: 'Recognition of foreign education', ru: 'Признание иностранного образования' },
  medical_report: { en: 'Medical report', ru: 'Медицинское заключение' },
  photo: { en: 'Photo 3×4', ru: 'Фотография 3×4' },
  visa: { en: 'Visa copy', ru: 'Копия визы' },
  ministry_referral: { en: 'Ministry referral', ru: 'Направление Министерства' },
  treaty_proof: { en: 'International treaty documents', ru: 'Документы по международному договору' },
  compatriot_proof: { en: 'Compatriot documents (99-FZ)', ru: 'Документы соотечественника (99-ФЗ)' },
  internship_certificate: { en: 'Internship certificate', ru: 'Документ об интернатуре' },
  language_certificate: { en: 'Language certificate', ru: 'Языковой сертификат' },
  achievement: { en: 'Achievement', ru: 'Достижение' },
  motivation_letter: { en: 'Motivation letter', ru: 'Мотивационное письмо' },
  recommendation: { en: 'Recommendation', ru: 'Рекомендация' },
};

export const REJECTION_LABELS: Record<string, Text> = {
  illegible: { en: 'the file cannot be read', ru: 'файл нечитаем' },
  wrong_document: { en: 'this is not the requested document', ru: 'это не тот документ' },
  expired: { en: 'the document has expired', ru: 'срок действия документа истёк' },
  incomplete: { en: 'pages or parts are missing', ru: 'не хватает страниц или частей' },
  not_certified: { en: 'the translation or copy is not certified', ru: 'перевод или копия не заверены' },
  name_mismatch: { en: 'the name differs from the passport or visa', ru: 'имя не совпадает с паспортом или визой' },
  other: { en: 'see the officer’s note', ru: 'см. комментарий сотрудника' },
};
