import { DOCUMENT_KIND_LABELS, REJECTION_LABELS } from '../../domain/dossier/document-labels.js';
import type { DocumentKind } from '../../domain/dossier/dossier.schema.js';
import type { MailMessage } from './mailer.js';

export type Locale = 'en' | 'ru';

interface Texts {
  subject: string;
  body: (name: string, link: string, hours: number) => string;
}

const TEMPLATES: Record<'verify_email' | 'reset_password', Record<Locale, Texts>> = {
  verify_email: {
    en: {
      subject: 'Confirm your e-mail for MedAdmit',
      body: (name, link, hours) =>
        `Hello ${name},\n\nplease confirm your e-mail address to finish creating your MedAdmit account:\n\n${link}\n\nThe link is valid for ${hours} hours. If you did not register, ignore this message.\n\nMedAdmit`,
    },
    ru: {
      subject: 'Подтвердите адрес электронной почты для MedAdmit',
      body: (name, link, hours) =>
        `Здравствуйте, ${name}!\n\nПодтвердите адрес электронной почты, чтобы завершить регистрацию в MedAdmit:\n\n${link}\n\nСсылка действительна ${hours} ч. Если вы не регистрировались, просто проигнорируйте это письмо.\n\nMedAdmit`,
    },
  },
  reset_password: {
    en: {
      subject: 'Reset your MedAdmit password',
      body: (name, link, hours) =>
        `Hello ${name},\n\nsomeone asked to reset the password of your MedAdmit account. To choose a new password, open:\n\n${link}\n\nThe link is valid for ${hours} hour(s) and works once. If it was not you, ignore this message: your password stays as it is.\n\nMedAdmit`,
    },
    ru: {
      subject: 'Сброс пароля MedAdmit',
      body: (name, link, hours) =>
        `Здравствуйте, ${name}!\n\nПоступил запрос на сброс пароля вашей учётной записи MedAdmit. Чтобы задать новый пароль, откройте ссылку:\n\n${link}\n\nСсылка действительна ${hours} ч. и работает один раз. Если это были не вы, проигнорируйте письмо: пароль останется прежним.\n\nMedAdmit`,
    },
  },
};

export function renderTokenMail(
  kind: keyof typeof TEMPLATES,
  locale: Locale,
  to: string,
  name: string,
  link: string,
  hours: number,
): MailMessage {
  const t = TEMPLATES[kind][locale];
  return { to, subject: t.subject, text: t.body(name, link, hours) };
}

export interface VerdictFacts {
  kind: string;
  status: 'accepted' | 'rejected';
  code: string | null;
  note: string | null;
  link: string;
}

/** The officer's verdict on a document, in the applicant's language. */
export function renderVerdictMail(locale: Locale, to: string, name: string, v: VerdictFacts): MailMessage {
  const kind = DOCUMENT_KIND_LABELS[v.kind as DocumentKind]?.[locale] ?? v.kind;
  const reason = v.code ? (REJECTION_LABELS[v.code]?.[locale] ?? v.code) : '';
  const note = v.note ? (locale === 'ru' ? `\nКомментарий: ${v.note}` : `\nNote: ${v.note}`) : '';
  if (locale === 'ru') {
    return v.status === 'accepted'
      ? {
          to,
          subject: `Документ принят: ${kind}`,
          text: `Здравствуйте, ${name}!\n\nПриёмная комиссия приняла документ «${kind}».\n\n${v.link}\n\nMedAdmit`,
        }
      : {
          to,
          subject: `Документ отклонён: ${kind}`,
          text: `Здравствуйте, ${name}!\n\nПриёмная комиссия отклонила документ «${kind}»: ${reason}.${note}\n\nЗагрузите исправленный документ:\n${v.link}\n\nMedAdmit`,
        };
  }
  return v.status === 'accepted'
    ? {
        to,
        subject: `Document accepted: ${kind}`,
        text: `Hello ${name},\n\nthe admissions office accepted your document "${kind}".\n\n${v.link}\n\nMedAdmit`,
      }
    : {
        to,
        subject: `Document rejected: ${kind}`,
        text: `Hello ${name},\n\nthe admissions office rejected your document "${kind}": ${reason}.${note}\n\nPlease upload a corrected document:\n${v.link}\n\nMedAdmit`,
      };
}
