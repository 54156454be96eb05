/** The officer's register administration: one section at a time, chosen by tab (?section=…). */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearch } from 'wouter';
import { Loading } from '../../app/loading';
import { usePageTitle } from '../../ui/page-title';
import { TermsSection } from './officer-terms';
import { UniversityScope } from './officer-university';
import './officer.css';

const GroupsSection = lazy(() => import('./officer-groups').then((m) => ({ default: m.GroupsSection })));
const StudentsSection = lazy(() => import('./officer-students').then((m) => ({ default: m.StudentsSection })));
const CoursesSection = lazy(() => import('./officer-courses').then((m) => ({ default: m.CoursesSection })));
const SettingsSection = lazy(() => import('./officer-settings').then((m) => ({ default: m.SettingsSection })));
const GuardiansSection = lazy(() => import('./officer-guardians').then((m) => ({ default: m.GuardiansSection })));
const AttestationSection = lazy(() => import('./officer-attestation').then((m) => ({ default: m.AttestationSection })));

export const ADMIN_SECTIONS = [
  'terms',
  'groups',
  'students',
  'courses',
  'settings',
  'guardians',
  'attestation',
] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

function isSection(value: string | null): value is AdminSection {
  return value !== null && (ADMIN_SECTIONS as readonly string[]).includes(value);
}

const hrefOf = (section: AdminSection) =>
  section === 'terms' ? '/register/admin' : `/register/admin?section=${section}`;

export function OfficerAdminPage() {
  const { t } = useTranslation();
  const requested = new URLSearchParams(useSearch()).get('section');
  const section: AdminSection = isSection(requested) ? requested : 'terms';
  usePageTitle(`${t(`register.admin.sections.${section}`)} — ${t('register.admin.title')}`);

  return (
    <div className="page register-admin">
      <header className="page-header">
        <h1>{t('register.admin.title')}</h1>
        <p className="lead">{t('register.admin.lead')}</p>
        <p>
          <Link href="/register/dashboard" data-testid="to-dashboard">
            {t('register.dashboard.title')}
          </Link>
        </p>
      </header>
      <UniversityScope>
        <nav aria-label={t('register.admin.sectionsLabel')} className="register-tabs">
          <ul>
            {ADMIN_SECTIONS.map((s) => (
              <li key={s}>
                <Link
                  href={hrefOf(s)}
                  className="register-tab"
                  aria-current={s === section ? 'page' : undefined}
                  data-testid={`register-tab-${s}`}
                >
                  {t(`register.admin.sections.${s}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        {section === 'terms' && <TermsSection />}
        <Suspense fallback={<Loading />}>
          {section === 'groups' && <GroupsSection />}
          {section === 'students' && <StudentsSection />}
          {section === 'courses' && <CoursesSection />}
          {section === 'settings' && <SettingsSection />}
          {section === 'guardians' && <GuardiansSection />}
          {section === 'attestation' && <AttestationSection />}
        </Suspense>
      </UniversityScope>
    </div>
  );
}
