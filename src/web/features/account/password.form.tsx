import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { requireFilled } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import type { AccountFormProps } from './account.page';

const FIELDS = ['currentPassword', 'newPassword'] as const;

export function PasswordForm({ active, onStart }: AccountFormProps) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [changed, setChanged] = useState(false);

  const submit = onSubmit(
    (data) => {
      setChanged(false);
      onStart();
      return requireFilled({
        currentPassword: textOf(data, 'currentPassword'),
        newPassword: textOf(data, 'newPassword'),
      });
    },
    async (data, form) => {
      await api.changePassword({
        currentPassword: textOf(data, 'currentPassword'),
        newPassword: textOf(data, 'newPassword'),
      });
      form.reset();
      setChanged(true);
    },
  );

  return (
    <section className="panel" aria-labelledby="password-title">
      <h2 id="password-title">{t('account.passwordTitle')}</h2>
      <form ref={formRef} className="form" onSubmit={submit} noValidate aria-labelledby="password-title">
        <FormError error={active ? errors.general : null} />
        {active && changed && (
          <Success>
            <p>{t('account.passwordChanged')}</p>
          </Success>
        )}
        <Field
          name="currentPassword"
          type="password"
          label={t('fields.currentPassword')}
          autoComplete="current-password"
          required
          error={errors.fields.currentPassword}
        />
        <Field
          name="newPassword"
          type="password"
          label={t('fields.newPassword')}
          hint={t('fields.newPasswordHint')}
          autoComplete="new-password"
          required
          error={errors.fields.newPassword}
        />
        <SubmitButton busy={busy}>{t('account.passwordSubmit')}</SubmitButton>
      </form>
    </section>
  );
}
