/** The student's own register at /register: grades, attendance, rotations, attestation, chart, guardians. */
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../ui/page-title';
import { localeOf } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { registerApi } from './register-api';
import { GuardiansSection } from './student-guardians';
import { LoadProblem } from './student-load-problem';
import { displayName, StudentRegisterView } from './student-view';
import './grid-register.css';

export function StudentRegisterPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  usePageTitle(t('register.student.title'));
  const view = useResource('register:me', (signal) => registerApi.me(signal));
  const id = view.data?.student.id;

  return (
    <div className="page register-page">
      <header className="page-header">
        <h1>{t('register.student.title')}</h1>
        {view.data && (
          <p className="lead" data-testid="student-name">
            {displayName(view.data.student, locale)}
          </p>
        )}
      </header>
      {view.error && !view.data ? (
        <LoadProblem error={view.error} notFoundKey="register.student.notAStudent" />
      ) : !view.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : (
        <>
          {id && (
            <p className="export-links">
              <a href={`/api/v1/register/students/${encodeURIComponent(id)}/transcript.pdf?lang=${locale}`} download>
                {t('register.student.transcriptPdf')}
              </a>
              <a href={`/api/v1/register/students/${encodeURIComponent(id)}/transcript.xlsx?lang=${locale}`} download>
                {t('register.student.transcriptXlsx')}
              </a>
            </p>
          )}
          <StudentRegisterView view={view.data} locale={locale} />
          <GuardiansSection />
        </>
      )}
    </div>
  );
}
