import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { api } from '../../api';
import { requireFilled } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { textOf, useForm } from '../../ui/use-form';

const FIELDS = ['email'] as const;

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('forgot.title'));
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = onSubmit(
    (data) => requireFilled({ email: textOf(data, 'email') }),
    async (data) => {
      const email = textOf(data, 'email').trim();
      await api.requestPasswordReset(email);
      setSentTo(email);
    },
  );

  return (
    <section className="page page-narrow">
      <h1 id="forgot-title">{t('forgot.title')}</h1>
      {sentTo ? (
        <Success>
          <p>{t('forgot.sent', { email: sentTo })}</p>
        </Success>
      ) : (
        <>
          <p className="lead">{t('forgot.intro')}</p>
          <form ref={formRef} className="form card" onSubmit={submit} noValidate aria-labelledby="forgot-title">
            <FormError error={errors.general} />
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
            <SubmitButton busy={busy}>{t('forgot.submit')}</SubmitButton>
          </form>
        </>
      )}
      <p className="aside">
        <Link href="/login">{t('forgot.toLogin')}</Link>
      </p>
    </section>
  );
}
