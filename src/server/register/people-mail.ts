/**
 * E-mails of the register in English and Russian: the daily digest of alerts, guardian invitations
 * and requests, and the answers to them. Each goes out in the recipient's language.
 */
import type { MailMessage } from '../mail/mailer.js';
import type { AlertKind, AlertPayload } from './alerts.service.js';

type Locale = 'en' | 'ru';

const greet = (locale: Locale, name: string) => (locale === 'ru' ? `Здравствуйте, ${name}!` : `Hello ${name},`);

function day(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

const percent = (rate: number | undefined) => `${Math.round((rate ?? 0) * 100)} %`;

/** One line per alert, in the recipient's language. */
export function alertLine(kind: AlertKind, p: AlertPayload, locale: Locale): string {
  const course = p.course ? `${p.course.code} ${p.course.name[locale] || p.course.name.en}`.trim() : '';
  const courses = (p.courses ?? []).map((c) => `${c.code} ${c.name[locale] || c.name.en}`.trim()).join(', ');
  if (locale === 'ru') {
    switch (kind) {
      case 'absence_streak':
        return `Пропуски подряд без уважительной причины: ${p.length ?? 0}, начиная с ${day(p.since, locale)}${courses ? ` (${courses})` : ''}`;
      case 'failing_grade':
        return `Неудовлетворительная оценка ${p.value ?? ''} (проходной балл ${p.passMark ?? ''}): ${course}${p.assessment?.title ? `, «${p.assessment.title}»` : ''}`;
      case 'low_attendance':
        return `Посещаемость ${percent(p.rate)} — ниже порога ${percent(p.threshold)}: ${course}`;
    }
  }
  switch (kind) {
    case 'absence_streak':
      return `Unexcused absences in a row: ${p.length ?? 0}, since ${day(p.since, locale)}${courses ? ` (${courses})` : ''}`;
    case 'failing_grade':
      return `Failing grade ${p.value ?? ''} (pass mark ${p.passMark ?? ''}): ${course}${p.assessment?.title ? `, "${p.assessment.title}"` : ''}`;
    case 'low_attendance':
      return `Attendance ${percent(p.rate)}, below the threshold of ${percent(p.threshold)}: ${course}`;
  }
}

export interface DigestEntry {
  id: string;
  number: string;
  nameLatin: string;
  nameCyrillic: string | null;
  as: 'self' | 'guardian';
  alerts: { kind: AlertKind; payload: AlertPayload }[];
}

export const studentName = (s: { nameLatin: string; nameCyrillic: string | null }, locale: Locale) =>
  locale === 'ru' && s.nameCyrillic ? s.nameCyrillic : s.nameLatin;

export function renderDigestMail(
  locale: Locale,
  to: string,
  name: string,
  entries: DigestEntry[],
  publicUrl: string,
): MailMessage {
  const total = entries.reduce((n, e) => n + e.alerts.length, 0);
  const blocks = entries.map((e) => {
    const link = e.as === 'self' ? `${publicUrl}/register/me` : `${publicUrl}/register/students/${e.id}`;
    const heading =
      e.as === 'self'
        ? locale === 'ru'
          ? 'Ваш электронный журнал'
          : 'Your register'
        : `${studentName(e, locale)} (${e.number})`;
    return [heading, ...e.alerts.map((a) => `  • ${alertLine(a.kind, a.payload, locale)}`), `  ${link}`].join('\n');
  });
  const account = `${publicUrl}/account`;
  if (locale === 'ru') {
    return {
      to,
      subject: `Электронный журнал: новые уведомления (${total})`,
      text: `${greet(locale, name)}\n\nСводка электронного журнала за день.\n\n${blocks.join('\n\n')}\n\nОтключить необязательные уведомления можно на странице учётной записи: ${account}\n\nMedAdmit`,
    };
  }
  return {
    to,
    subject: `Register digest: ${total} new alert${total === 1 ? '' : 's'}`,
    text: `${greet(locale, name)}\n\nhere is today's summary of the electronic register.\n\n${blocks.join('\n\n')}\n\nYou can turn off the alerts you do not need on your account page: ${account}\n\nMedAdmit`,
  };
}

const RELATION: Record<string, Record<Locale, string>> = {
  parent: { en: 'parent', ru: 'родитель' },
  sponsor: { en: 'sponsor', ru: 'спонсор' },
};

/** The student invites a parent or sponsor: a link to register (or sign in) and accept. */
export function renderGuardianInvitation(
  locale: Locale,
  to: string,
  student: { nameLatin: string; nameCyrillic: string | null },
  relation: string,
  university: { en: string; ru: string },
  link: string,
  days: number,
): MailMessage {
  const who = studentName(student, locale);
  const as = RELATION[relation]?.[locale] ?? relation;
  if (locale === 'ru') {
    return {
      to,
      subject: `${who} приглашает вас следить за успеваемостью`,
      text: `Здравствуйте!\n\n${who} (${university.ru}) приглашает вас (${as}) видеть оценки и посещаемость в электронном журнале MedAdmit — только для чтения.\n\nЧтобы принять приглашение, откройте ссылку, зарегистрируйтесь или войдите:\n${link}\n\nСсылка действительна ${days} дней. Если вы не знаете этого студента, просто проигнорируйте письмо.\n\nMedAdmit`,
    };
  }
  return {
    to,
    subject: `${who} invites you to follow their studies`,
    text: `Hello,\n\n${who} (${university.en}) invites you, as ${as}, to see their grades and attendance in the MedAdmit electronic register (read only).\n\nTo accept, open this link and register or sign in:\n${link}\n\nThe link is valid for ${days} days. If you do not know this student, ignore this message.\n\nMedAdmit`,
  };
}

/** A parent or sponsor asks to follow a student: the student accepts on the register page. */
export function renderGuardianRequest(
  locale: Locale,
  to: string,
  name: string,
  guardian: { fullName: string; email: string },
  relation: string,
  link: string,
): MailMessage {
  const as = RELATION[relation]?.[locale] ?? relation;
  if (locale === 'ru') {
    return {
      to,
      subject: 'Запрос на доступ к вашему электронному журналу',
      text: `${greet(locale, name)}\n\n${guardian.fullName} (${guardian.email}) просит доступ к вашим оценкам и посещаемости как ${as}. Принять или отклонить запрос можно здесь:\n${link}\n\nЕсли вы не знаете этого человека, не принимайте запрос.\n\nMedAdmit`,
    };
  }
  return {
    to,
    subject: 'A request to follow your register',
    text: `${greet(locale, name)}\n\n${guardian.fullName} (${guardian.email}) asks to see your grades and attendance as your ${as}. Accept or decline the request here:\n${link}\n\nIf you do not know this person, do not accept.\n\nMedAdmit`,
  };
}

/** The guardian's link is active (accepted by the student or confirmed by an officer). */
export function renderGuardianActive(
  locale: Locale,
  to: string,
  name: string,
  student: { nameLatin: string; nameCyrillic: string | null },
  link: string,
): MailMessage {
  const who = studentName(student, locale);
  if (locale === 'ru') {
    return {
      to,
      subject: `Доступ к журналу: ${who}`,
      text: `${greet(locale, name)}\n\nТеперь вы видите оценки и посещаемость: ${who}.\n${link}\n\nMedAdmit`,
    };
  }
  return {
    to,
    subject: `Register access: ${who}`,
    text: `${greet(locale, name)}\n\nyou can now see the grades and attendance of ${who}.\n${link}\n\nMedAdmit`,
  };
}
