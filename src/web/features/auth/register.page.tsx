import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { api } from '../../api';
import { currentLocale } from '../../i18n/i18n';
import { requireFilled } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { textOf, useForm } from '../../ui/use-form';
import { rememberNext, withNext } from './pending-next';
import { ResendVerification } from './resend-verification';

const FIELDS = ['fullName', 'email', 'password'] as const;

export function RegisterPage() {
  const { t } = useTranslation();
  usePageTitle(t('register.title'));
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [registeredEmail, setRegisteredEmail] = useState<string | null>(null);
  // Kept for after the e-mail is confirmed (an agency invitation, say): see pending-next.
  const next = new URLSearchParams(useSearch()).get('next');
  const loginHref = withNext('/login', next);

  if (registeredEmail) {
    return (
      <section className="page page-narrow">
        <h1>{t('register.doneTitle')}</h1>
        <Success>
          <p>{t('register.done', { email: registeredEmail })}</p>
        </Success>
        <ResendVerification email={registeredEmail} quiet />
        <p>
          <Link href={loginHref}>{t('register.toLogin')}</Link>
        </p>
      </section>
    );
  }

  const submit = onSubmit(
    (data) => requireFilled(Object.fromEntries(FIELDS.map((name) => [name, textOf(data, name)]))),
    async (data) => {
      const user = await api.register({
        fullName: textOf(data, 'fullName').trim(),
        email: textOf(data, 'email').trim(),
        password: textOf(data, 'password'),
        locale: currentLocale(),
      });
      rememberNext(next);
      setRegisteredEmail(user.email);
    },
  );

  return (
    <section className="page page-narrow">
      <h1 id="register-title">{t('register.title')}</h1>
      <p className="lead">{t('register.intro')}</p>
      <form ref={formRef} className="form card" onSubmit={submit} noValidate aria-labelledby="register-title">
        <FormError error={errors.general}>
          {errors.fields.email?.key === 'fieldErrors.email_taken' && (
            <p>
              <Link href={loginHref}>{t('register.toLogin')}</Link> ·{' '}
              <Link href="/forgot-password">{t('login.forgot')}</Link>
            </p>
          )}
        </FormError>
        <Field
          name="fullName"
          label={t('fields.fullName')}
          hint={t('register.fullNameHint')}
          autoComplete="name"
          required
          maxLength={200}
          error={errors.fields.fullName}
        />
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
        <Field
          name="password"
          type="password"
          label={t('fields.password')}
          hint={t('fields.newPasswordHint')}
          autoComplete="new-password"
          required
          error={errors.fields.password}
        />
        <SubmitButton busy={busy}>{t('register.submit')}</SubmitButton>
      </form>
      <p className="aside">
        {t('register.haveAccount')} <Link href={loginHref}>{t('register.toLogin')}</Link>
      </p>
    </section>
  );
}
