/** E-mails of the register's core, in the recipient's language (English or Russian). */
import type { MailMessage } from '../mail/mailer.js';

type Locale = 'en' | 'ru';

/** A new student's account: a link to choose a password (the reset-password page, valid `days`). */
export function renderStudentWelcomeMail(
  locale: Locale,
  to: string,
  name: string,
  university: { en: string; ru: string },
  link: string,
  days: number,
): MailMessage {
  if (locale === 'ru')
    return {
      to,
      subject: 'Задайте пароль для электронного журнала MedAdmit',
      text: `Здравствуйте, ${name}!\n\n${university.ru || university.en} открыл(а) вам доступ к электронному журналу успеваемости и посещаемости в MedAdmit. Чтобы войти, задайте пароль по ссылке:\n\n${link}\n\nСсылка действительна ${days} дн. и работает один раз. Если срок истёк, воспользуйтесь восстановлением пароля на странице входа.\n\nMedAdmit`,
    };
  return {
    to,
    subject: 'Choose a password for your MedAdmit register',
    text: `Hello ${name},\n\n${university.en || university.ru} has opened your electronic register of grades and attendance in MedAdmit. To sign in, choose a password here:\n\n${link}\n\nThe link is valid for ${days} days and works once. If it has expired, use "Forgot password" on the sign-in page.\n\nMedAdmit`,
  };
}
