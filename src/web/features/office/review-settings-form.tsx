/** How a campaign's files are read: readers per file, the reconciliation threshold and the senior reviewer. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { type ReviewerProgress, type ReviewSettings, reviewsApi } from '../reviews/reviews-api';

const FIELDS = ['readersRequired', 'reconciliationThreshold', 'seniorReviewerId'] as const;
const OTHER = 'other';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  const readers = Number(textOf(data, 'readersRequired'));
  if (!Number.isInteger(readers) || readers < 1 || readers > 5) {
    fields.readersRequired = { key: 'office.scoring.settings.readersRange' };
  }
  const threshold = textOf(data, 'reconciliationThreshold').trim();
  if (threshold === '' || !(Number(threshold) >= 0 && Number(threshold) <= 1000)) {
    fields.reconciliationThreshold = { key: 'office.scoring.settings.thresholdRange' };
  }
  const choice = textOf(data, 'senior');
  if (choice === OTHER && !UUID.test(textOf(data, 'seniorReviewerId').trim())) {
    fields.seniorReviewerId = { key: 'office.scoring.settings.seniorFormat' };
  }
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

export function ReviewSettingsForm({
  slug,
  settings,
  people,
}: {
  slug: string;
  settings: ReviewSettings;
  /** Reviewers and officers seen in the campaign's progress: the people the senior can be chosen from. */
  people: ReviewerProgress[];
}) {
  const { t } = useTranslation();
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [saved, setSaved] = useState(0);
  const known = [...new Map(people.map((p) => [p.reviewerId, p.name])).entries()];
  const current = settings.seniorReviewerId;
  const [choice, setChoice] = useState(current === null ? '' : known.some(([k]) => k === current) ? current : OTHER);

  const checked = (data: FormData) => {
    setSaved(0);
    return check(data);
  };
  const submit = onSubmit(checked, async (data) => {
    const senior = choice === OTHER ? textOf(data, 'seniorReviewerId').trim() : choice;
    await reviewsApi.saveSettings(slug, {
      readersRequired: Number(textOf(data, 'readersRequired')),
      reconciliationThreshold: Number(textOf(data, 'reconciliationThreshold').replace(',', '.')),
      seniorReviewerId: senior === '' ? null : senior,
    });
    setSaved((n) => n + 1);
  });

  return (
    <form ref={formRef} className="form settings-form" onSubmit={submit} noValidate data-testid="review-settings">
      <div className="settings-grid">
        <Field
          name="readersRequired"
          type="number"
          min={1}
          max={5}
          step={1}
          label={t('office.scoring.settings.readers')}
          hint={t('office.scoring.settings.readersHint')}
          defaultValue={settings.readersRequired}
          error={errors.fields.readersRequired}
        />
        <Field
          name="reconciliationThreshold"
          type="number"
          min={0}
          max={1000}
          step="any"
          label={t('office.scoring.settings.threshold')}
          hint={t('office.scoring.settings.thresholdHint')}
          defaultValue={settings.reconciliationThreshold}
          error={errors.fields.reconciliationThreshold}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-senior`}>{t('office.scoring.settings.senior')}</label>
        <select
          id={`${id}-senior`}
          name="senior"
          value={choice}
          onChange={(event) => setChoice(event.target.value)}
          aria-describedby={`${id}-senior-hint`}
        >
          <option value="">{t('office.scoring.settings.seniorOfficer')}</option>
          {known.map(([reviewerId, name]) => (
            <option key={reviewerId} value={reviewerId}>
              {name}
            </option>
          ))}
          <option value={OTHER}>{t('office.scoring.settings.seniorOther')}</option>
        </select>
        <p className="field-hint" id={`${id}-senior-hint`}>
          {t('office.scoring.settings.seniorHint')}
        </p>
      </div>
      {choice === OTHER && (
        <Field
          name="seniorReviewerId"
          label={t('office.scoring.settings.seniorId')}
          hint={t('office.scoring.settings.seniorIdHint')}
          defaultValue={current ?? ''}
          error={errors.fields.seniorReviewerId}
          autoComplete="off"
          spellCheck={false}
        />
      )}
      <FormError error={errors.general} />
      {saved > 0 && (
        <Success key={saved}>
          <p>{t('office.scoring.settings.saved')}</p>
        </Success>
      )}
      <SubmitButton busy={busy}>{t('office.scoring.settings.save')}</SubmitButton>
    </form>
  );
}
