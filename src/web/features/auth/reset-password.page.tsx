import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { api } from '../../api';
import { useSession } from '../../app/session';
import { type FormErrors, requireFilled } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { textOf, useForm } from '../../ui/use-form';

const FIELDS = ['password', 'confirmPassword'] as const;

function checkPasswords(data: FormData): FormErrors {
  const password = textOf(data, 'password');
  const confirmPassword = textOf(data, 'confirmPassword');
  const missing = requireFilled({ password, confirmPassword });
  if (missing.general) return missing;
  if (password !== confirmPassword) {
    return {
      general: { key: 'errors.validation_failed' },
      fields: { confirmPassword: { key: 'fieldErrors.passwords_mismatch' } },
    };
  }
  return missing;
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  usePageTitle(t('reset.title'));
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const { refresh } = useSession();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [done, setDone] = useState(false);
  const linkProblem = errors.general?.key.startsWith('errors.token_') ?? false;

  const submit = onSubmit(checkPasswords, async (data) => {
    await api.confirmPasswordReset(token, textOf(data, 'password'));
    setDone(true);
    // Resetting ends every session of the account, possibly this browser's.
    void refresh();
  });

  if (done) {
    return (
      <section className="page page-narrow">
        <h1>{t('reset.title')}</h1>
        <Success>
          <p>{t('reset.done')}</p>
          <p>
            <Link href="/login">{t('reset.toLogin')}</Link>
          </p>
        </Success>
      </section>
    );
  }

  return (
    <section className="page page-narrow">
      <h1 id="reset-title">{t('reset.title')}</h1>
      {token ? (
        <>
          <p className="lead">{t('reset.intro')}</p>
          <form ref={formRef} className="form card" onSubmit={submit} noValidate aria-labelledby="reset-title">
            <FormError error={errors.general}>
              {linkProblem && (
                <p>
                  <Link href="/forgot-password">{t('reset.requestNew')}</Link>
                </p>
              )}
            </FormError>
            <Field
              name="password"
              type="password"
              label={t('fields.newPassword')}
              hint={t('fields.newPasswordHint')}
              autoComplete="new-password"
              required
              error={errors.fields.password}
            />
            <Field
              name="confirmPassword"
              type="password"
              label={t('fields.confirmPassword')}
              autoComplete="new-password"
              required
              error={errors.fields.confirmPassword}
            />
            <SubmitButton busy={busy}>{t('reset.submit')}</SubmitButton>
          </form>
        </>
      ) : (
        <FormError error={{ key: 'reset.missingToken' }}>
          <p>
            <Link href="/forgot-password">{t('reset.requestNew')}</Link>
          </p>
        </FormError>
      )}
    </section>
  );
}
