/**
 * A student's invitation to a parent or sponsor (`/guardian-invitation?token=`, from the e-mail):
 * a signed-in parent accepts; a visitor creates a parent account for the invited address (the token
 * proves it) or signs in first and comes back here.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../../api';
import { useSession } from '../../app/session';
import { currentLocale } from '../../i18n/i18n';
import { describeError, type Message } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { withNext } from '../auth/pending-next';
import { useResource } from '../catalog/use-resource';
import { type GuardianInvitation, registerApi } from './register-api';
import './grid-register.css';

const INVITATION_CODES = ['invitation_invalid', 'invitation_used', 'invitation_expired'];

function problemOf(error: unknown): Message {
  if (error instanceof ApiError) {
    if (INVITATION_CODES.includes(error.code)) return { key: `register.guardian.errors.${error.code}` };
    if (error.status === 404) return { key: 'register.guardian.errors.invitation_invalid' };
  }
  return describeError(error, []).general ?? { key: 'errors.generic' };
}

function RegisterForm({
  token,
  invitation,
  onDone,
}: {
  token: string;
  invitation: GuardianInvitation;
  onDone: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const [fields, setFields] = useState<Partial<Record<string, Message>>>({});

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const fullName = String(data.get('fullName') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const missing: Partial<Record<string, Message>> = {};
    if (!fullName) missing.fullName = { key: 'fieldErrors.required' };
    if (!password) missing.password = { key: 'fieldErrors.required' };
    setFields(missing);
    if (Object.keys(missing).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const { studentId } = await registerApi.acceptInvitation({ token, fullName, password, locale: currentLocale() });
      onDone(studentId);
    } catch (failure) {
      const described = describeError(failure, ['fullName', 'password']);
      setFields(described.fields);
      setError(
        failure instanceof ApiError && INVITATION_CODES.includes(failure.code) ? problemOf(failure) : described.general,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form card"
      onSubmit={submit}
      noValidate
      aria-labelledby="guardian-register-title"
      data-testid="guardian-register-form"
    >
      <h2 id="guardian-register-title">{t('register.guardian.createAccount')}</h2>
      <FormError error={error} />
      <p>{t('register.guardian.accountFor', { email: invitation.email })}</p>
      <Field
        name="fullName"
        label={t('fields.fullName')}
        autoComplete="name"
        maxLength={200}
        required
        error={fields.fullName}
      />
      <Field
        name="password"
        type="password"
        label={t('fields.password')}
        hint={t('fields.newPasswordHint')}
        autoComplete="new-password"
        required
        error={fields.password}
      />
      <SubmitButton busy={busy}>{t('register.guardian.createAndAccept')}</SubmitButton>
    </form>
  );
}

export function GuardianInvitationPage() {
  const { t } = useTranslation();
  usePageTitle(t('register.guardian.invitationTitle'));
  const [location] = useLocation();
  const search = useSearch();
  const token = new URLSearchParams(search).get('token') ?? '';
  const { status, user } = useSession();
  const invitation = useResource(token ? `guardian-invitation:${token}` : null, (signal) =>
    registerApi.invitation(token, signal),
  );
  const [done, setDone] = useState<{ studentId: string; registered: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const here = `${location}${search ? `?${search}` : ''}`;

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      const { studentId } = await registerApi.acceptInvitation({ token });
      setDone({ studentId, registered: false });
    } catch (failure) {
      setError(problemOf(failure));
    } finally {
      setBusy(false);
    }
  };

  let body: ReactNode;
  if (done) {
    const target = `/register/students/${done.studentId}`;
    body = (
      <Success>
        <p data-testid="guardian-accepted">
          {t(done.registered ? 'register.guardian.registeredDone' : 'register.guardian.acceptedDone')}
        </p>
        <p>
          {done.registered ? (
            <Link href={withNext('/login', target)} data-testid="guardian-to-login">
              {t('nav.login')}
            </Link>
          ) : (
            <Link href={target} data-testid="guardian-to-student">
              {t('register.guardian.toStudent')}
            </Link>
          )}
        </p>
      </Success>
    );
  } else if (!token || invitation.error) {
    const message = token ? problemOf(invitation.error) : { key: 'register.guardian.errors.invitation_invalid' };
    body = (
      <div className="notice notice-error" role="alert" data-testid="invitation-invalid">
        <p>{t(message.key, message.values)}</p>
      </div>
    );
  } else if (!invitation.data || status === 'loading') {
    body = <p className="loading">{t('app.loading')}</p>;
  } else {
    const info = invitation.data;
    const usable = info.status === 'invited';
    body = (
      <>
        <p className="lead" data-testid="invitation-student">
          {t(`register.guardian.invitedAs.${info.relation}`, { student: info.studentName })}
        </p>
        <p>{t('register.guardian.invitationExplain')}</p>
        <FormError error={error} />
        {!usable ? (
          <p className="notice notice-info">{t(`register.guardian.statuses.${info.status}`)}</p>
        ) : user ? (
          user.role === 'parent' ? (
            <p className="actions">
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                aria-busy={busy || undefined}
                onClick={() => void accept()}
                data-testid="guardian-accept-invitation"
              >
                {t('register.guardian.acceptInvitation')}
              </button>
            </p>
          ) : (
            <p className="notice notice-info" data-testid="guardian-wrong-role">
              {t('register.guardian.parentsOnly')}
            </p>
          )
        ) : (
          <>
            <RegisterForm
              token={token}
              invitation={info}
              onDone={(studentId) => setDone({ studentId, registered: true })}
            />
            <p className="aside">
              {t('register.guardian.haveAccount')}{' '}
              <Link href={withNext('/login', here)} data-testid="guardian-login">
                {t('nav.login')}
              </Link>
            </p>
          </>
        )}
      </>
    );
  }

  return (
    <section className="page page-narrow">
      <h1>{t('register.guardian.invitationTitle')}</h1>
      {body}
    </section>
  );
}
