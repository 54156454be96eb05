import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../app/loading';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';
import { PasswordForm } from './password.form';
import { ProfileForm } from './profile.form';

/** The account page shows the messages of the form used last only, so at most one of each is on screen. */
const AgencySections = lazy(() =>
  import('../agency/grants-section').then((m) => ({ default: m.ApplicantAgencySections })),
);
const PersonalData = lazy(() =>
  import('../privacy/consents-section').then((m) => ({ default: m.PersonalDataSection })),
);
const RegisterNotifications = lazy(() =>
  import('../register/student-notifications').then((m) => ({ default: m.NotificationsSection })),
);

export interface AccountFormProps {
  active: boolean;
  onStart: () => void;
}

export function AccountPage() {
  const { t } = useTranslation();
  usePageTitle(t('account.title'));
  const { user } = useSession();
  const [activeForm, setActiveForm] = useState<'profile' | 'password' | null>(null);
  if (!user) return null; // The route guard only renders this page for a signed-in user.

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('account.title')}</h1>
        <p className="lead" data-testid="account-email">
          {user.email}
        </p>
      </header>

      <section className="panel" aria-labelledby="account-details">
        <h2 id="account-details">{t('account.detailsTitle')}</h2>
        <dl className="details">
          <div>
            <dt>{t('fields.fullName')}</dt>
            <dd>{user.fullName}</dd>
          </div>
          <div>
            <dt>{t('fields.email')}</dt>
            <dd>{user.email}</dd>
          </div>
          <div>
            <dt>{t('account.role')}</dt>
            <dd>{t(`roles.${user.role}`)}</dd>
          </div>
          <div>
            <dt>{t('account.language')}</dt>
            <dd>{t(`language.${user.locale}`)}</dd>
          </div>
        </dl>
      </section>

      <div className="columns">
        <ProfileForm user={user} active={activeForm === 'profile'} onStart={() => setActiveForm('profile')} />
        <PasswordForm active={activeForm === 'password'} onStart={() => setActiveForm('password')} />
      </div>

      {user.role === 'applicant' && (
        <Suspense fallback={<Loading />}>
          <AgencySections />
        </Suspense>
      )}
      {(user.role === 'student' || user.role === 'parent') && (
        <Suspense fallback={<Loading />}>
          <RegisterNotifications />
        </Suspense>
      )}
      <Suspense fallback={<Loading />}>
        <PersonalData />
      </Suspense>
    </div>
  );
}
