/** Seats of each competition and where its unfilled seats go (audited, with a reason). */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { admissionsApi } from '../admissions/admissions-api';
import type { Competition } from '../applications/applications-api';
import { localeOf, pick } from '../catalog/format';

const FIELDS = ['seats', 'revertsTo', 'reason'] as const;
const NONE = 'none';

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  const seats = textOf(data, 'seats').trim();
  if (seats === '' || !Number.isInteger(Number(seats)) || Number(seats) < 0 || Number(seats) > 100_000) {
    fields.seats = { key: 'allocation.seats.seatsRange' };
  }
  if (textOf(data, 'revertsTo') === '') fields.revertsTo = { key: 'allocation.seats.revertsToRequired' };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

function SeatsForm({
  slug,
  competition,
  others,
  published,
}: {
  slug: string;
  competition: Competition;
  others: { id: string; label: string }[];
  published: number | null;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [saved, setSaved] = useState<{ seats: number; revertsTo: string | null } | null>(null);
  const label = `${pick(competition.program.title, locale)} · ${t(`catalog.enums.funding.${competition.funding}`)}`;
  const submit = onSubmit(check, async (data) => {
    const revertsTo = textOf(data, 'revertsTo');
    const result = await admissionsApi.setSeats(slug, competition.id, {
      seats: Number(textOf(data, 'seats')),
      revertsTo: revertsTo === NONE ? null : revertsTo,
      reason: textOf(data, 'reason').trim(),
    });
    setSaved(result);
  });
  const error = errors.fields.revertsTo;
  const receiver = saved?.revertsTo ? others.find((o) => o.id === saved.revertsTo)?.label : null;
  return (
    <form
      ref={formRef}
      className="form seats-form panel"
      onSubmit={submit}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid={`seats-${competition.id}`}
    >
      <h4 id={`${id}-title`}>{label}</h4>
      {published !== null && <p className="field-hint">{t('allocation.seats.published', { count: published })}</p>}
      <div className="seats-grid">
        <Field
          name="seats"
          type="number"
          min={0}
          max={100000}
          step={1}
          inputMode="numeric"
          defaultValue={competition.seats}
          label={t('allocation.seats.seats')}
          error={errors.fields.seats}
          required
        />
        <div className="field">
          <label htmlFor={`${id}-reverts`}>{t('allocation.seats.revertsTo')}</label>
          <select
            id={`${id}-reverts`}
            name="revertsTo"
            defaultValue={competition.revertsTo ?? NONE}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-reverts-hint${error ? ` ${id}-reverts-error` : ''}`}
          >
            <option value="">{t('allocation.seats.choose')}</option>
            <option value={NONE}>{t('allocation.seats.nobody')}</option>
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
          <p className="field-hint" id={`${id}-reverts-hint`}>
            {t('allocation.seats.revertsToHint')}
          </p>
          {error && (
            <p className="field-error" id={`${id}-reverts-error`}>
              {t(error.key, error.values)}
            </p>
          )}
        </div>
        <Field
          name="reason"
          label={t('allocation.seats.reason')}
          hint={t('allocation.seats.reasonHint')}
          error={errors.fields.reason}
          maxLength={500}
        />
      </div>
      <FormError error={errors.general} />
      {saved && (
        <Success key={`${saved.seats}:${saved.revertsTo}`}>
          <p>
            {receiver
              ? t('allocation.seats.savedTo', { count: saved.seats, to: receiver })
              : t('allocation.seats.saved', { count: saved.seats })}
          </p>
        </Success>
      )}
      <SubmitButton busy={busy}>{t('allocation.seats.save')}</SubmitButton>
    </form>
  );
}

export function SeatsEditor({
  slug,
  competitions,
  published,
}: {
  slug: string;
  competitions: Competition[];
  /** Seats per competition id in the published lists, when there are any. */
  published: Map<string, number>;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  if (competitions.length === 0) return <p className="empty">{t('allocation.seats.none')}</p>;
  const labels = competitions.map((c) => ({
    id: c.id,
    label: `${pick(c.program.title, locale)} · ${t(`catalog.enums.funding.${c.funding}`)}`,
  }));
  return (
    <div className="seats-editor">
      <p className="field-hint">{t('allocation.seats.lead')}</p>
      {competitions.map((c) => (
        <SeatsForm
          key={c.id}
          slug={slug}
          competition={c}
          others={labels.filter((l) => l.id !== c.id)}
          published={published.get(c.id) ?? null}
        />
      ))}
    </div>
  );
}
