import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { requireFilled } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';

const FIELDS = ['email'] as const;

interface ResendVerificationProps {
  /** The address to send to; when absent the visitor types it. */
  email?: string;
  /** Confirm without the page's success marker (the page already shows one). */
  quiet?: boolean;
}

/** "Send the confirmation link again": the server answers the same whether or not the account exists. */
export function ResendVerification({ email, quiet = false }: ResendVerificationProps) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [sentTo, setSentTo] = useState<string | null>(null);

  if (sentTo) {
    const text = <p>{t('resend.sent', { email: sentTo })}</p>;
    return quiet ? (
      <div className="notice notice-info" role="status">
        {text}
      </div>
    ) : (
      <Success>{text}</Success>
    );
  }

  const submit = onSubmit(
    (data) => (email ? requireFilled({}) : requireFilled({ email: textOf(data, 'email') })),
    async (data) => {
      const address = email ?? textOf(data, 'email').trim();
      await api.resendVerification(address);
      setSentTo(address);
    },
  );

  return (
    <form ref={formRef} className="form form-inline" onSubmit={submit} noValidate aria-label={t('resend.title')}>
      <FormError error={errors.general} />
      {email ? (
        <p className="field-hint">{t('resend.question')}</p>
      ) : (
        <Field
          name="email"
          type="email"
          label={t('fields.email')}
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          required
          error={errors.fields.email}
        />
      )}
      <SubmitButton busy={busy}>{t('resend.submit')}</SubmitButton>
    </form>
  );
}
