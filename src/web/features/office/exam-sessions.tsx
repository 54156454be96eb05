/** The sittings of a campaign's exams: listed with seats booked, added inside the exam window, removed when empty. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localInputToIso } from '../../ui/dates';
import { describeError, type FormErrors, type Message } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { localeOf, pick } from '../catalog/format';
import { type ExamSession, type ExamSlot, examsApi } from '../exams/exams-api';
import { SessionTime } from '../exams/session-time';
import '../exams/exams.css';

const FIELDS = ['slotId', 'startsAt', 'endsAt', 'mode', 'location', 'capacity'] as const;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  const starts = localInputToIso(textOf(data, 'startsAt'));
  const ends = localInputToIso(textOf(data, 'endsAt'));
  if (!starts) fields.startsAt = { key: 'office.exams.sessions.whenRequired' };
  if (!ends) fields.endsAt = { key: 'office.exams.sessions.whenRequired' };
  else if (starts && ends <= starts) fields.endsAt = { key: 'office.exams.sessions.endAfterStart' };
  const capacity = Number(textOf(data, 'capacity'));
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000) {
    fields.capacity = { key: 'office.exams.sessions.capacityRange' };
  }
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

function SessionForm({ slug, slots, onCreated }: { slug: string; slots: ExamSlot[]; onCreated: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [created, setCreated] = useState(0);

  // A new attempt hides the last confirmation, so it never stands beside a new error.
  const checked = (data: FormData) => {
    setCreated(0);
    return check(data);
  };
  const submit = onSubmit(checked, async (data, form) => {
    const location = textOf(data, 'location').trim();
    await examsApi.createSession(slug, {
      slotId: textOf(data, 'slotId'),
      startsAt: localInputToIso(textOf(data, 'startsAt')) ?? '',
      endsAt: localInputToIso(textOf(data, 'endsAt')) ?? '',
      mode: textOf(data, 'mode'),
      ...(location ? { location } : {}),
      capacity: Number(textOf(data, 'capacity')),
    });
    setCreated((n) => n + 1);
    form.reset();
    onCreated();
  });
  const selectError = (name: 'slotId' | 'mode') => errors.fields[name];

  return (
    <form ref={formRef} className="form session-form" onSubmit={submit} noValidate data-testid="session-form">
      <div className="settings-grid">
        <div className="field">
          <label htmlFor={`${id}-slot`}>{t('office.exams.sessions.exam')}</label>
          <select id={`${id}-slot`} name="slotId" aria-invalid={selectError('slotId') ? true : undefined}>
            {slots.map((s) => (
              <option key={s.id} value={s.id}>
                {pick(s.title, locale)}
              </option>
            ))}
          </select>
          {selectError('slotId') && <p className="field-error">{t(selectError('slotId')?.key ?? '')}</p>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-mode`}>{t('office.exams.sessions.mode')}</label>
          <select id={`${id}-mode`} name="mode">
            <option value="on_site">{t('exams.mode.on_site')}</option>
            <option value="online">{t('exams.mode.online')}</option>
          </select>
        </div>
        <Field
          name="startsAt"
          type="datetime-local"
          label={t('office.exams.sessions.starts')}
          error={errors.fields.startsAt}
        />
        <Field
          name="endsAt"
          type="datetime-local"
          label={t('office.exams.sessions.ends')}
          error={errors.fields.endsAt}
        />
        <Field
          name="location"
          label={t('office.exams.sessions.location')}
          hint={t('office.exams.sessions.locationHint')}
          maxLength={300}
          error={errors.fields.location}
        />
        <Field
          name="capacity"
          type="number"
          min={1}
          max={10000}
          defaultValue={30}
          label={t('office.exams.sessions.capacity')}
          error={errors.fields.capacity}
        />
      </div>
      <p className="field-hint">{t('office.exams.sessions.timeHint')}</p>
      <FormError error={errors.general} />
      {created > 0 && (
        <Success key={created}>
          <p>{t('office.exams.sessions.created')}</p>
        </Success>
      )}
      <SubmitButton busy={busy}>{t('office.exams.sessions.add')}</SubmitButton>
    </form>
  );
}

export function ExamSessions({
  slug,
  slots,
  sessions,
  officer,
  onChanged,
}: {
  slug: string;
  slots: ExamSlot[];
  sessions: ExamSession[];
  officer: boolean;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [error, setError] = useState<Message | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const slotTitle = (slotId: string) => {
    const slot = slots.find((s) => s.id === slotId);
    return slot ? pick(slot.title, locale) : slotId;
  };
  const remove = async (session: ExamSession) => {
    setBusy(session.id);
    setError(null);
    try {
      await examsApi.deleteSession(session.id);
      onChanged();
    } catch (failure) {
      setError(describeError(failure, []).general ?? { key: 'errors.generic' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      {sessions.length === 0 ? (
        <p className="empty" data-testid="exam-sessions">
          {t('office.exams.sessions.none')}
        </p>
      ) : (
        <ul className="session-list" data-testid="exam-sessions">
          {sessions.map((s) => (
            <li key={s.id} className="session" data-testid={`exam-session-${s.id}`}>
              <div className="session-info">
                <strong>{slotTitle(s.slotId)}</strong>
                <SessionTime startsAt={s.startsAt} endsAt={s.endsAt} />
                <span>
                  {t(`exams.mode.${s.mode}`)}
                  {s.location ? `, ${s.location}` : ''}
                </span>
                <span className="field-hint">
                  {t('office.exams.sessions.booked', { booked: s.booked, capacity: s.capacity })}
                </span>
              </div>
              {officer && (
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={busy === s.id}
                  onClick={() => void remove(s)}
                  data-testid={`delete-session-${s.id}`}
                >
                  {t('office.exams.sessions.delete')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormError error={error} />
      {officer && (
        <>
          <h4>{t('office.exams.sessions.addTitle')}</h4>
          <SessionForm slug={slug} slots={slots} onCreated={onChanged} />
        </>
      )}
    </>
  );
}
