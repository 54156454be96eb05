/** A linked student's register, read-only, for a parent or sponsor (or staff who may read it). */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';
import { localeOf } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { registerApi } from './register-api';
import { LoadProblem } from './student-load-problem';
import { displayName, StudentRegisterView } from './student-view';
import './grid-register.css';

export function ParentStudentPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const view = useResource(`register:student:${id}`, (signal) => registerApi.student(id, signal));
  const name = view.data ? displayName(view.data.student, locale) : '';
  usePageTitle(name || t('register.parent.studentTitle'));

  return (
    <div className="page register-page">
      <header className="page-header">
        {user?.role === 'parent' && (
          <p className="breadcrumbs">
            <Link href="/register/children">{t('register.parent.title')}</Link>
          </p>
        )}
        <h1 data-testid="student-name">{name || t('register.parent.studentTitle')}</h1>
        <p className="lead">{t('register.parent.readOnly')}</p>
      </header>
      {view.error && !view.data ? (
        <LoadProblem error={view.error} notFoundKey="register.parent.notLinked" />
      ) : !view.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : (
        <StudentRegisterView view={view.data} locale={locale} />
      )}
    </div>
  );
}
