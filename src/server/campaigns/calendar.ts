import { createEvents, type EventAttributes } from 'ics';
import type { TWindow } from '../../domain/campaign/campaign.schema.js';

export interface Deadline {
  campaign: { slug: string; title: { en: string; ru: string } };
  kind: TWindow['kind'];
  closes: Date;
  studyForms: string[];
  funding: string[];
  source: string;
  extended: boolean;
}

const KIND: Record<TWindow['kind'], { en: string; ru: string }> = {
  documents: { en: 'Last day to apply', ru: 'Последний день подачи документов' },
  exams: { en: 'Entrance exams end', ru: 'Окончание вступительных испытаний' },
  enrollment: { en: 'Enrollment deadline', ru: 'Срок зачисления' },
};

/** Deadlines of dated windows (year-round and open-ended windows have none). */
export function deadlinesOf(
  campaign: Deadline['campaign'],
  windows: TWindow[],
  extensionUntil: Date | null = null,
): Deadline[] {
  return windows.flatMap((w) => {
    if (w.yearRound || !w.closes) return [];
    const closes = new Date(w.closes);
    const extended = w.kind === 'documents' && !!extensionUntil && extensionUntil > closes;
    return [
      {
        campaign,
        kind: w.kind,
        closes: extended ? (extensionUntil as Date) : closes,
        studyForms: w.studyForms,
        funding: w.funding,
        source: w.source,
        extended,
      },
    ];
  });
}

/** An iCalendar file with one event ending at each deadline, in the reader's language. */
export function deadlinesCalendar(deadlines: Deadline[], locale: 'en' | 'ru', baseUrl: string): string {
  if (deadlines.length === 0) {
    return 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//MedAdmit//Deadlines//EN\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n';
  }
  const events: EventAttributes[] = deadlines.map((d) => {
    const scope = [...d.studyForms, ...d.funding].join(', ');
    return {
      uid: `${d.campaign.slug}-${d.kind}-${d.studyForms.join('_') || 'all'}-${d.funding.join('_') || 'all'}@medadmit`,
      title: `${KIND[d.kind][locale]}: ${d.campaign.title[locale]}${scope ? ` (${scope})` : ''}`,
      description: `${locale === 'ru' ? 'Источник' : 'Source'}: ${d.source}${d.extended ? (locale === 'ru' ? '. Продлено для вас.' : '. Extended for you.') : ''}`,
      start: d.closes.getTime() - 60 * 60_000,
      startInputType: 'utc',
      startOutputType: 'utc',
      end: d.closes.getTime(),
      endInputType: 'utc',
      endOutputType: 'utc',
      url: `${baseUrl}/campaigns/${d.campaign.slug}`,
      alarms: [{ action: 'display', description: KIND[d.kind][locale], trigger: { days: 3, before: true } }],
    };
  });
  const { error, value } = createEvents(events, { productId: '-//MedAdmit//Deadlines//EN', calName: 'MedAdmit' });
  if (error || !value) throw error ?? new Error('calendar could not be written');
  return value;
}
