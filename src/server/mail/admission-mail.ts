/** E-mails at every step from an offer to migration registration, in the applicant's language. */
import { eq } from 'drizzle-orm';
import { type admissions, campaigns, competitions, programs, type users } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import type { MailMessage } from './mailer.js';
import type { Locale } from './templates.js';

export type AdmissionMailKind =
  | 'offered'
  | 'withdrawn'
  | 'confirmed'
  | 'declined'
  | 'expired'
  | 'prepayment_confirmed'
  | 'enrolled'
  | 'invitation_requested'
  | 'invitation_issued'
  | 'visa_issued'
  | 'arrived'
  | 'registered';

interface Facts {
  name: string;
  program: string;
  campaign: string;
  deadline: string;
  link: string;
  detail: string;
}

const TEXTS: Record<
  AdmissionMailKind,
  Record<Locale, { subject: (f: Facts) => string; body: (f: Facts) => string }>
> = {
  offered: {
    en: {
      subject: (f) => `You are admitted: ${f.program}`,
      body: (f) =>
        `The allocation of ${f.campaign} admitted you to ${f.program}.\n\nConfirm your place by ${f.deadline} (server time, UTC): give your consent and, for a paid place, accept the contract and pay the prepayment. An unconfirmed place is released after the deadline.`,
    },
    ru: {
      subject: (f) => `Вы рекомендованы к зачислению: ${f.program}`,
      body: (f) =>
        `По итогам распределения (${f.campaign}) вы рекомендованы к зачислению на программу «${f.program}».\n\nПодтвердите место до ${f.deadline} (время сервера, UTC): дайте согласие на зачисление, а на платном месте примите договор и внесите предоплату. Неподтверждённое место после срока освобождается.`,
    },
  },
  withdrawn: {
    en: {
      subject: (f) => `Your offer changed: ${f.program}`,
      body: (f) =>
        `A new allocation of ${f.campaign} no longer admits you to ${f.program}. Your application stays in the competition; see your ranked lists for the current state.`,
    },
    ru: {
      subject: (f) => `Изменение по вашему месту: ${f.program}`,
      body: (f) =>
        `По новому распределению (${f.campaign}) вы больше не рекомендованы на программу «${f.program}». Заявление остаётся в конкурсе; текущее положение — в конкурсных списках.`,
    },
  },
  confirmed: {
    en: {
      subject: (f) => `Place confirmed: ${f.program}`,
      body: (f) => `Your place in ${f.program} is confirmed. You will be enrolled by an order of the university.`,
    },
    ru: {
      subject: (f) => `Место подтверждено: ${f.program}`,
      body: (f) => `Ваше место на программе «${f.program}» подтверждено. Зачисление оформляется приказом университета.`,
    },
  },
  declined: {
    en: {
      subject: (f) => `You declined your place: ${f.program}`,
      body: (f) => `You declined your place in ${f.program}; your application to ${f.campaign} is withdrawn.`,
    },
    ru: {
      subject: (f) => `Вы отказались от места: ${f.program}`,
      body: (f) => `Вы отказались от места на программе «${f.program}»; заявление (${f.campaign}) отозвано.`,
    },
  },
  expired: {
    en: {
      subject: (f) => `Place released: ${f.program}`,
      body: (f) =>
        `Your place in ${f.program} was not confirmed by ${f.deadline} and has been released; your application to ${f.campaign} is withdrawn.`,
    },
    ru: {
      subject: (f) => `Место освобождено: ${f.program}`,
      body: (f) =>
        `Место на программе «${f.program}» не было подтверждено до ${f.deadline} и освобождено; заявление (${f.campaign}) отозвано.`,
    },
  },
  prepayment_confirmed: {
    en: {
      subject: (f) => `Prepayment received: ${f.program}`,
      body: (f) =>
        `The university confirmed your prepayment for ${f.program}.${f.detail ? ` ${f.detail}` : ''} If you need a visa, you can now request the invitation (S4-14).`,
    },
    ru: {
      subject: (f) => `Предоплата получена: ${f.program}`,
      body: (f) =>
        `Университет подтвердил предоплату по программе «${f.program}».${f.detail ? ` ${f.detail}` : ''} Если вам нужна виза, теперь можно запросить приглашение (S4-14).`,
    },
  },
  enrolled: {
    en: {
      subject: (f) => `Enrolled: ${f.program}`,
      body: (f) => `You are enrolled in ${f.program} by order ${f.detail}.`,
    },
    ru: {
      subject: (f) => `Вы зачислены: ${f.program}`,
      body: (f) => `Вы зачислены на программу «${f.program}» приказом ${f.detail}.`,
    },
  },
  invitation_requested: {
    en: {
      subject: () => 'Visa invitation requested',
      body: (f) =>
        `Your request for a visa invitation (${f.program}) was received. The electronic invitation usually takes about ${f.detail} working days.`,
    },
    ru: {
      subject: () => 'Запрос визового приглашения принят',
      body: (f) =>
        `Запрос визового приглашения (${f.program}) принят. Электронное приглашение обычно оформляется около ${f.detail} рабочих дней.`,
    },
  },
  invitation_issued: {
    en: {
      subject: () => 'Your visa invitation is issued',
      body: (f) => `Your visa invitation ${f.detail} is issued. Apply for the study visa at the consulate.`,
    },
    ru: {
      subject: () => 'Визовое приглашение оформлено',
      body: (f) => `Визовое приглашение ${f.detail} оформлено. Подайте документы на учебную визу в консульство.`,
    },
  },
  visa_issued: {
    en: {
      subject: () => 'Visa recorded',
      body: () => 'The university recorded your study visa. Tell us your arrival date when you travel.',
    },
    ru: {
      subject: () => 'Виза зарегистрирована',
      body: () => 'Университет отметил получение учебной визы. Сообщите дату прибытия, когда поедете.',
    },
  },
  arrived: {
    en: {
      subject: () => 'Welcome! Migration registration',
      body: (f) =>
        `Your arrival is recorded. The university must register you with the migration authorities by ${f.deadline}: bring your passport and migration card to the international office.`,
    },
    ru: {
      subject: () => 'Добро пожаловать! Миграционный учёт',
      body: (f) =>
        `Ваше прибытие отмечено. Университет должен поставить вас на миграционный учёт до ${f.deadline}: принесите паспорт и миграционную карту в международный отдел.`,
    },
  },
  registered: {
    en: {
      subject: () => 'Migration registration done',
      body: () => 'You are registered with the migration authorities.',
    },
    ru: {
      subject: () => 'Миграционный учёт оформлен',
      body: () => 'Вы поставлены на миграционный учёт.',
    },
  },
};

const fmt = (d: Date | null | undefined) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '');

/** Program and campaign titles of each competition of a campaign (one query for a whole batch of e-mails). */
export async function competitionTitles(ctx: AppContext, where: { competitionId?: string; campaignId?: string }) {
  const rows = await ctx.db
    .select({
      id: competitions.id,
      programEn: programs.titleEn,
      programRu: programs.titleRu,
      campaignEn: campaigns.titleEn,
      campaignRu: campaigns.titleRu,
    })
    .from(competitions)
    .innerJoin(programs, eq(programs.id, competitions.programId))
    .innerJoin(campaigns, eq(campaigns.id, competitions.campaignId))
    .where(
      where.competitionId
        ? eq(competitions.id, where.competitionId)
        : eq(competitions.campaignId, where.campaignId ?? ''),
    );
  return new Map(rows.map((r) => [r.id, r]));
}
export type Titles = Awaited<ReturnType<typeof competitionTitles>>;

export async function renderAdmissionMail(
  ctx: AppContext,
  user: Pick<typeof users.$inferSelect, 'email' | 'fullName' | 'locale'>,
  admission: typeof admissions.$inferSelect,
  kind: AdmissionMailKind,
  extra: { deadline?: Date | null; detail?: string } = {},
  titles?: Titles,
): Promise<MailMessage> {
  const all = titles ?? (await competitionTitles(ctx, { competitionId: admission.competitionId }));
  const t0 = all.get(admission.competitionId);
  const row = t0
    ? {
        program: { titleEn: t0.programEn, titleRu: t0.programRu },
        campaign: { titleEn: t0.campaignEn, titleRu: t0.campaignRu },
      }
    : undefined;
  const locale = user.locale;
  const facts: Facts = {
    name: user.fullName,
    program: (locale === 'ru' ? row?.program.titleRu : row?.program.titleEn) ?? '',
    campaign: (locale === 'ru' ? row?.campaign.titleRu : row?.campaign.titleEn) ?? '',
    deadline: fmt(extra.deadline === undefined ? admission.confirmBy : extra.deadline),
    link: `${ctx.config.publicUrl}/admissions`,
    detail: extra.detail ?? '',
  };
  const t = TEXTS[kind][locale];
  const hello = locale === 'ru' ? `Здравствуйте, ${facts.name}!` : `Hello ${facts.name},`;
  return {
    to: user.email,
    subject: t.subject(facts),
    text: `${hello}\n\n${t.body(facts)}\n\n${facts.link}\n\nMedAdmit`,
  };
}
