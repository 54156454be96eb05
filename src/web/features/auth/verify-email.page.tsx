import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { api, type User } from '../../api';
import { Loading } from '../../app/loading';
import { describeError, type Message } from '../../ui/errors';
import { FormError, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { pendingNext, withNext } from './pending-next';
import { ResendVerification } from './resend-verification';

// A token is spent by its first use, so each one is sent once per page load, however often React renders.
const attempts = new Map<string, Promise<User>>();

function verifyOnce(token: string): Promise<User> {
  let attempt = attempts.get(token);
  if (!attempt) {
    attempt = api.verifyEmail(token);
    attempts.set(token, attempt);
  }
  return attempt;
}

type State = { kind: 'checking' } | { kind: 'verified' } | { kind: 'failed'; error: Message };

export function VerifyEmailPage() {
  const { t } = useTranslation();
  usePageTitle(t('verify.title'));
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const loginHref = withNext('/login', pendingNext());
  const [state, setState] = useState<State>(() =>
    token ? { kind: 'checking' } : { kind: 'failed', error: { key: 'errors.token_invalid' } },
  );

  useEffect(() => {
    if (!token) return;
    let current = true;
    verifyOnce(token).then(
      () => {
        if (current) setState({ kind: 'verified' });
      },
      (error: unknown) => {
        if (current) setState({ kind: 'failed', error: describeError(error, []).general ?? { key: 'errors.generic' } });
      },
    );
    return () => {
      current = false;
    };
  }, [token]);

  return (
    <section className="page page-narrow">
      <h1>{t('verify.title')}</h1>
      {state.kind === 'checking' && <Loading />}
      {state.kind === 'verified' && (
        <Success>
          <p>{t('verify.done')}</p>
          <p>
            <Link href={loginHref} className="button button-primary">
              {t('verify.toLogin')}
            </Link>
          </p>
        </Success>
      )}
      {state.kind === 'failed' && (
        <>
          <FormError error={state.error}>
            {state.error.key === 'errors.token_used' && (
              <p>
                <Link href={loginHref}>{t('verify.toLogin')}</Link>
              </p>
            )}
          </FormError>
          <div className="panel">
            <h2>{t('resend.title')}</h2>
            <p>{t('resend.intro')}</p>
            <ResendVerification />
          </div>
        </>
      )}
    </section>
  );
}
