import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError, api } from '../../api';
import { safeNext } from '../../app/guards';
import { useSession } from '../../app/session';
import { requireFilled } from '../../ui/errors';
import { Field, FormError, SubmitButton } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { textOf, useForm } from '../../ui/use-form';
import { forgetNext, withNext } from './pending-next';
import { ResendVerification } from './resend-verification';

const FIELDS = ['email', 'password'] as const;

export function LoginPage() {
  const { t } = useTranslation();
  usePageTitle(t('login.title'));
  const [, navigate] = useLocation();
  const search = useSearch();
  const { signIn } = useSession();
  const next = new URLSearchParams(search).get('next');
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  // Set when the account exists but its e-mail address is not confirmed yet: offer a new link.
  const [unverifiedEmail, setUnverifiedEmail] = useState<string | null>(null);

  const submit = onSubmit(
    (data) => requireFilled({ email: textOf(data, 'email'), password: textOf(data, 'password') }),
    async (data) => {
      const email = textOf(data, 'email').trim();
      setUnverifiedEmail(null);
      try {
        signIn(await api.login({ email, password: textOf(data, 'password') }));
      } catch (error) {
        if (error instanceof ApiError && error.code === 'email_not_verified') setUnverifiedEmail(email);
        throw error;
      }
      forgetNext();
      navigate(safeNext(next) ?? '/account', { replace: true });
    },
  );

  return (
    <section className="page page-narrow">
      <h1 id="login-title">{t('login.title')}</h1>
      <FormError error={errors.general} />
      {unverifiedEmail && (
        <div className="panel">
          <ResendVerification key={unverifiedEmail} email={unverifiedEmail} />
        </div>
      )}
      <form ref={formRef} className="form card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <Field
          name="email"
          type="email"
          label={t('fields.email')}
          autoComplete="username"
          inputMode="email"
          spellCheck={false}
          required
          error={errors.fields.email}
        />
        <Field
          name="password"
          type="password"
          label={t('fields.password')}
          autoComplete="current-password"
          required
          error={errors.fields.password}
        />
        <SubmitButton busy={busy}>{t('login.submit')}</SubmitButton>
        <p className="form-links">
          <Link href="/forgot-password">{t('login.forgot')}</Link>
        </p>
      </form>
      <p className="aside">
        {t('login.noAccount')} <Link href={withNext('/register', next)}>{t('login.toRegister')}</Link>
      </p>
    </section>
  );
}
