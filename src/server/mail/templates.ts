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
