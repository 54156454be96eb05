import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type User } from '../../api';
import { useSession } from '../../app/session';
import { requireFilled } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import type { AccountFormProps } from './account.page';

const FIELDS = ['fullName'] as const;

export function ProfileForm({ user, active, onStart }: { user: User } & AccountFormProps) {
  const { t } = useTranslation();
  const { updateUser } = useSession();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [saved, setSaved] = useState(false);

  const submit = onSubmit(
    (data) => {
      setSaved(false);
      onStart();
      return requireFilled({ fullName: textOf(data, 'fullName') });
    },
    async (data) => {
      updateUser(await api.updateMe({ fullName: textOf(data, 'fullName').trim() }));
      setSaved(true);
    },
  );

  return (
    <section className="panel" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('account.profileTitle')}</h2>
      <form ref={formRef} className="form" onSubmit={submit} noValidate aria-labelledby="profile-title">
        <FormError error={active ? errors.general : null} />
        {active && saved && (
          <Success>
            <p>{t('account.profileSaved')}</p>
          </Success>
        )}
        <Field
          name="fullName"
          label={t('fields.fullName')}
          defaultValue={user.fullName}
          autoComplete="name"
          required
          maxLength={200}
          error={errors.fields.fullName}
          onChange={() => setSaved(false)}
        />
        <SubmitButton busy={busy}>{t('account.profileSubmit')}</SubmitButton>
      </form>
    </section>
  );
}
