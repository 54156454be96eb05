/** An officer lets one applicant file documents until a later time; the reason is audited. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, localInputToIso } from '../../ui/dates';
import type { FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { localeOf } from '../catalog/format';
import { officeApi } from './office-api';

const FIELDS = ['until', 'reason'] as const;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  if (localInputToIso(textOf(data, 'until')) === null) fields.until = { key: 'office.extension.untilRequired' };
  if (textOf(data, 'reason').trim().length < 3) fields.reason = { key: 'office.extension.reasonRequired' };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

export function ExtensionForm({
  slug,
  applicantId,
  current,
  onGranted,
}: {
  slug: string;
  applicantId: string;
  /** The extension in force, if any. */
  current: string | null;
  onGranted: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [granted, setGranted] = useState<string | null>(null);

  const submit = onSubmit(check, async (data, form) => {
    const until = localInputToIso(textOf(data, 'until')) ?? '';
    await officeApi.grantExtension(slug, { applicantId, until, reason: textOf(data, 'reason').trim() });
    setGranted(until);
    form.reset();
    onGranted();
  });

  return (
    <form ref={formRef} className="form extension-form" onSubmit={submit} noValidate data-testid="extension-form">
      {current && <p>{t('office.extension.current', { date: formatDateTime(current, locale) })}</p>}
      <Field
        name="until"
        type="datetime-local"
        label={t('office.extension.until')}
        hint={t('office.extension.untilHint')}
        error={errors.fields.until}
        data-testid="extension-until"
        required
      />
      <Field
        name="reason"
        label={t('office.extension.reason')}
        hint={t('office.extension.reasonHint')}
        error={errors.fields.reason}
        maxLength={1000}
        data-testid="extension-reason"
        required
      />
      <FormError error={errors.general} />
      {granted && (
        <Success key={granted}>
          <p>{t('office.extension.granted', { date: formatDateTime(granted, locale) })}</p>
        </Success>
      )}
      <SubmitButton busy={busy}>{t('office.extension.submit')}</SubmitButton>
    </form>
  );
}
