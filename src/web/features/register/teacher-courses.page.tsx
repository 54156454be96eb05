/** The teacher's courses this and past terms, each leading to its register sheet. */
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick } from '../catalog/format';
import { LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { registerApi } from './register-api';
import './grid-register.css';

export function TeacherCoursesPage() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  usePageTitle(t('register.teacher.title'));
  const courses = useResource('teaching', (signal) => registerApi.teaching(signal));
  if (courses.error && !courses.data)
    return <LoadFailure error={courses.error} notFoundKey="register.teacher.notFound" />;

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t('register.teacher.title')}</h1>
        <p className="lead">{t('register.teacher.intro')}</p>
      </header>
      {!courses.data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : courses.data.items.length === 0 ? (
        <p className="empty" data-testid="teaching-empty">
          {t('register.teacher.none')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="teaching-table">
            <caption className="visually-hidden">{t('register.teacher.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('register.teacher.course')}</th>
                <th scope="col">{t('register.teacher.group')}</th>
                <th scope="col">{t('register.teacher.term')}</th>
                <th scope="col">{t('register.teacher.scale')}</th>
              </tr>
            </thead>
            <tbody>
              {courses.data.items.map((course) => (
                <tr key={course.id} data-testid="teaching-row" data-code={course.code}>
                  <th scope="row">
                    <Link href={`/register/courses/${course.id}`} data-testid="course-link">
                      {course.code} · {pick(course.name, locale)}
                    </Link>
                  </th>
                  <td>{course.group.code}</td>
                  <td>
                    {pick(course.term.name, locale)}
                    {course.term.closedAt && (
                      <span className="badge badge-muted register-badge">{t('register.teacher.termClosed')}</span>
                    )}
                  </td>
                  <td>{t(`register.grid.scale.${course.scale}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
