/** One exam of the applicant: the subject chosen, the sittings to book, the booking, and the results. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localeOf, pick } from '../catalog/format';
import { formatNumber } from '../reviews/score-model';
import { type ApplicantGroup, type ExamSession, type MySlot, passMark } from './exams-api';
import { SessionTime } from './session-time';

/** Bookings close this long before a sitting (the server decides; the page only says so). */
const CHANGE_UNTIL_MS = 24 * 3_600_000;

export interface SlotActions {
  book: (slot: MySlot, session: ExamSession, optionId: string) => void;
  cancel: (slot: MySlot) => void;
}

function Place({ mode, location }: { mode: ExamSession['mode']; location: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      {t(`exams.mode.${mode}`)}
      {location ? `, ${location}` : ''}
    </>
  );
}

export function ExamSlotCard({
  slot,
  sessions,
  group,
  busy,
  actions,
}: {
  slot: MySlot;
  sessions: ExamSession[];
  group: ApplicantGroup;
  busy: boolean;
  actions: SlotActions;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const booking = slot.booking;
  const [option, setOption] = useState(booking?.optionId ?? slot.options[0]?.id ?? '');
  const num = (value: number) => formatNumber(value, locale);
  const now = Date.now();
  const closed = (startsAt: string) => new Date(startsAt).getTime() - now < CHANGE_UNTIL_MS;
  const shown = sessions
    .filter((s) => s.slotId === slot.slotId && (new Date(s.startsAt).getTime() > now || s.id === booking?.sessionId))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const optionTitle = (optionId: string) => {
    const o = slot.options.find((x) => x.id === optionId);
    return o ? pick(o.title, locale) : optionId;
  };

  return (
    <section className="panel exam-slot" aria-labelledby={`${id}-title`} data-testid={`exam-slot-${slot.slotId}`}>
      <h2 id={`${id}-title`}>{pick(slot.title, locale)}</h2>
      <p>
        {t(`exams.kind.${slot.kind}`) !== pick(slot.title, locale) && (
          <span className="badge badge-muted">{t(`exams.kind.${slot.kind}`)}</span>
        )}{' '}
        {t('exams.mine.passMark', {
          mark: num(passMark(slot)),
          max: num(slot.maxScore),
          percent: num(slot.passPercent),
        })}
      </p>
      {slot.kind === 'language' && group === 'foreign' && (
        <p className="notice notice-info" data-testid={`foreign-note-${slot.slotId}`}>
          {t('exams.mine.foreignLanguage')}
        </p>
      )}

      <div className="field exam-option">
        <label htmlFor={`${id}-option`}>
          {t(slot.kind === 'language' ? 'exams.mine.language' : 'exams.mine.subject')}
        </label>
        <select
          id={`${id}-option`}
          name={`option-${slot.slotId}`}
          value={option}
          onChange={(event) => setOption(event.target.value)}
          aria-describedby={`${id}-option-hint`}
        >
          {slot.options.map((o) => (
            <option key={o.id} value={o.id}>
              {pick(o.title, locale)}
            </option>
          ))}
        </select>
        <p className="field-hint" id={`${id}-option-hint`}>
          {t('exams.mine.optionHint')}
        </p>
      </div>

      {booking ? (
        <div
          className="notice notice-success booking"
          data-testid={`booking-${slot.slotId}`}
          data-session={booking.sessionId}
        >
          <p>
            <strong>{t('exams.mine.booked')}</strong>{' '}
            <SessionTime startsAt={booking.startsAt} endsAt={booking.endsAt} />
          </p>
          <p>
            <Place mode={booking.mode} location={booking.location} /> · {optionTitle(booking.optionId)}
          </p>
          <button
            type="button"
            className="button button-quiet"
            disabled={busy}
            onClick={() => actions.cancel(slot)}
            data-testid={`cancel-${slot.slotId}`}
          >
            {t('exams.mine.cancel')}
          </button>
        </div>
      ) : (
        <p className="empty">{t('exams.mine.notBooked')}</p>
      )}

      <h3>{t('exams.mine.sessions')}</h3>
      {shown.length === 0 ? (
        <p className="empty">{t('exams.mine.noSessions')}</p>
      ) : (
        <ul className="session-list">
          {shown.map((s) => {
            const mine = s.id === booking?.sessionId;
            const left = Math.max(0, s.capacity - s.booked);
            const late = closed(s.startsAt);
            const label = mine
              ? option !== booking?.optionId
                ? t('exams.mine.changeSubject')
                : t('exams.mine.yourSitting')
              : booking
                ? t('exams.mine.move')
                : t('exams.mine.book');
            const disabled = busy || late || (mine && option === booking?.optionId) || (!mine && left === 0);
            return (
              <li key={s.id} className={mine ? 'session is-mine' : 'session'} data-testid={`session-${s.id}`}>
                <div className="session-info">
                  <SessionTime startsAt={s.startsAt} endsAt={s.endsAt} />
                  <span>
                    <Place mode={s.mode} location={s.location} />
                  </span>
                  <span className={left === 0 ? 'badge badge-bad' : 'field-hint'}>
                    {left === 0
                      ? t('exams.mine.full')
                      : t('exams.mine.seatsLeft', { count: left, capacity: s.capacity })}
                  </span>
                  {late && <span className="field-hint">{t('exams.mine.closed')}</span>}
                </div>
                <button
                  type="button"
                  className={mine ? 'button button-quiet' : 'button button-secondary'}
                  disabled={disabled}
                  onClick={() => actions.book(slot, s, option)}
                  data-testid={`book-${s.id}`}
                >
                  {label}
                </button>
              </li>
            );
          })}
        </ul>
      )}

      <h3>{t('exams.mine.results')}</h3>
      {slot.results.length === 0 ? (
        <p className="empty">{t('exams.mine.noResults')}</p>
      ) : (
        <ul className="plainlist exam-results" data-testid={`results-${slot.slotId}`}>
          {slot.results.map((r) => (
            <li key={r.attempt} data-outcome={r.outcome}>
              {t('exams.mine.attempt', { n: r.attempt })}:{' '}
              {r.status === 'absent'
                ? t('exams.outcome.absent')
                : t('exams.mine.score', { score: num(r.score ?? 0), max: num(slot.maxScore) })}{' '}
              <span className={`badge ${r.outcome === 'passed' ? 'badge-good' : 'badge-bad'}`}>
                {t(`exams.outcome.${r.outcome}`)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
