/**
 * The applicant's consent: an agency invitation (`?token=`, from the e-mail) or an agency chosen on a
 * university page (`?agency=&university=`). Visitors sign in or register first and come back here;
 * applicants choose "view only" or "view and act for me" and grant.
 */
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError } from '../../api';
import { useSession } from '../../app/session';
import { describeError, type Message } from '../../ui/errors';
import { FormError, SubmitButton, Success } from '../../ui/form';
import { usePageTitle } from '../../ui/page-title';
import { withNext } from '../auth/pending-next';
import { catalogApi } from '../catalog/catalog-api';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { type AgencyRef, agencyApi, type Grant, type GrantScope } from './agency-api';
import './agency.css';

/** The agency the page is about: from the invitation, or from the university page's partners. */
function useAgency(token: string, agencySlug: string, university: string) {
  const invitation = useResource(token ? `invitation:${token}` : null, (signal) => agencyApi.invitation(token, signal));
  const partner = useResource(!token && university ? `university:${university}` : null, (signal) =>
    catalogApi.university(university, signal),
  );
  if (token) {
    return {
      agency: invitation.data?.agency ?? null,
      error: invitation.error,
      loading: !invitation.data && !invitation.error,
    };
  }
  const found = partner.data?.agencies.find((a) => a.slug === agencySlug) ?? null;
  const agency: AgencyRef | null =
    found ?? (agencySlug && !university ? { slug: agencySlug, name: { en: agencySlug, ru: agencySlug } } : null);
  return {
    agency,
    error: partner.error ?? (!agencySlug ? new Error('no agency') : null),
    loading: !!university && !partner.data && !partner.error,
  };
}

function GrantForm({ token, agency, onGranted }: { token: string; agency: AgencyRef; onGranted: (g: Grant) => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const [scope, setScope] = useState<GrantScope>('view');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const name = pick(agency.name, locale);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onGranted(await agencyApi.grant(token ? { invitation: token, scope } : { agency: agency.slug, scope }));
    } catch (failure) {
      setError(describeError(failure, []).general);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form card" onSubmit={submit} noValidate data-testid="grant-form" aria-labelledby={`${id}-legend`}>
      <FormError error={error} />
      <fieldset className="scope-choices">
        <legend id={`${id}-legend`}>{t('agency.invitation.choose', { agency: name })}</legend>
        {(['view', 'act'] as const).map((value) => (
          <div key={value} className="scope-choice">
            <input
              type="radio"
              id={`${id}-${value}`}
              name="scope"
              value={value}
              checked={scope === value}
              onChange={() => setScope(value)}
              aria-describedby={`${id}-${value}-hint`}
              data-testid={`scope-${value}`}
            />
            <label htmlFor={`${id}-${value}`}>{t(`agency.scope.${value}`)}</label>
            <p className="field-hint" id={`${id}-${value}-hint`}>
              {t(`agency.scope.${value}Hint`, { agency: name })}
            </p>
          </div>
        ))}
      </fieldset>
      <p className="field-hint">{t('agency.invitation.revocable')}</p>
      <SubmitButton busy={busy}>{t('agency.invitation.grant')}</SubmitButton>
    </form>
  );
}

export function InvitationPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [location] = useLocation();
  const search = useSearch();
  const params = new URLSearchParams(search);
  const token = params.get('token') ?? '';
  const { status, user } = useSession();
  const { agency, error, loading } = useAgency(token, params.get('agency') ?? '', params.get('university') ?? '');
  const [granted, setGranted] = useState<Grant | null>(null);
  usePageTitle(t('agency.invitation.title'));
  const here = `${location}${search ? `?${search}` : ''}`;

  let body: ReactNode;
  if (granted) {
    body = (
      <Success>
        <p data-testid="grant-done">
          {t(`agency.invitation.granted.${granted.scope}`, { agency: pick(granted.agency.name, locale) })}
        </p>
        <p>
          <Link href="/account#agencies">{t('agency.invitation.toGrants')}</Link>
        </p>
      </Success>
    );
  } else if (error instanceof ApiError && error.code === 'invitation_used') {
    // The link worked once already: say so, rather than calling it invalid.
    body = (
      <div className="notice notice-info" role="status" data-testid="invitation-used">
        <p>{t('agency.invitation.used')}</p>
        {user?.role === 'applicant' && (
          <p>
            <Link href="/account#agencies">{t('agency.invitation.toGrants')}</Link>
          </p>
        )}
      </div>
    );
  } else if (error) {
    const key = describeError(error, []).general?.key;
    body = (
      <div className="notice notice-error" role="alert" data-testid="invitation-invalid">
        <p>{key === 'errors.not_found' || !token ? t('agency.invitation.invalid') : t(key ?? 'errors.generic')}</p>
      </div>
    );
  } else if (loading || status === 'loading' || !agency) {
    body = <p className="loading">{t('app.loading')}</p>;
  } else {
    const name = pick(agency.name, locale);
    body = (
      <>
        <p className="lead" data-testid="invitation-agency">
          {t('agency.invitation.from', { agency: name })}
        </p>
        <p>{t('agency.invitation.explain')}</p>
        {!user ? (
          <div className="panel" data-testid="invitation-sign-in">
            <p>{t('agency.invitation.signInFirst')}</p>
            <p className="actions">
              <Link href={withNext('/login', here)} className="button button-primary" data-testid="invitation-login">
                {t('nav.login')}
              </Link>
              <Link
                href={withNext('/register', here)}
                className="button button-secondary"
                data-testid="invitation-register"
              >
                {t('nav.register')}
              </Link>
            </p>
          </div>
        ) : user.role !== 'applicant' ? (
          <p className="notice notice-info">{t('agency.invitation.applicantsOnly')}</p>
        ) : (
          <GrantForm token={token} agency={agency} onGranted={setGranted} />
        )}
      </>
    );
  }

  return (
    <section className="page page-narrow invitation-page">
      <h1>{t('agency.invitation.title')}</h1>
      {body}
    </section>
  );
}
