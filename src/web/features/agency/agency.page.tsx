/** The consultant's workspace: leads, applicants who granted access, tasks, reports and (for agency administrators) the team. */
import { lazy, type ReactNode, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useRoute } from 'wouter';
import { Loading } from '../../app/loading';
import { useSession } from '../../app/session';
import { usePageTitle } from '../../ui/page-title';
import { ApplicantsSection } from './applicants-section';
import { LeadsSection } from './leads-section';
import './agency.css';

const TeamSection = lazy(() => import('./team-section').then((m) => ({ default: m.TeamSection })));
const TasksSection = lazy(() => import('./work-sections').then((m) => ({ default: m.TasksSection })));
const ReportsSection = lazy(() => import('./work-sections').then((m) => ({ default: m.ReportsSection })));

export const AGENCY_SECTIONS = ['leads', 'applicants', 'tasks', 'reports', 'team'] as const;
export type AgencySection = (typeof AGENCY_SECTIONS)[number];

const HREF: Record<AgencySection, string> = {
  leads: '/agency',
  applicants: '/agency/applicants',
  tasks: '/agency/tasks',
  reports: '/agency/reports',
  team: '/agency/team',
};

function Tab({ section, children }: { section: AgencySection; children: ReactNode }) {
  const [active] = useRoute(HREF[section]);
  return (
    <li>
      <Link
        href={HREF[section]}
        className="agency-tab"
        aria-current={active ? 'page' : undefined}
        data-testid={`agency-tab-${section}`}
      >
        {children}
      </Link>
    </li>
  );
}

export function AgencyPage({ section }: { section: AgencySection }) {
  const { t } = useTranslation();
  const { user } = useSession();
  usePageTitle(`${t(`agency.sections.${section}`)} — ${t('agency.title')}`);
  return (
    <div className="page agency-page">
      <header className="page-header">
        <h1>{t('agency.title')}</h1>
        {user?.agencyAdmin && <p className="lead">{t('agency.adminNote')}</p>}
      </header>
      <nav aria-label={t('agency.sectionsLabel')} className="agency-tabs">
        <ul>
          {AGENCY_SECTIONS.map((s) => (
            <Tab key={s} section={s}>
              {t(`agency.sections.${s}`)}
            </Tab>
          ))}
        </ul>
      </nav>
      {section === 'leads' && <LeadsSection />}
      {section === 'applicants' && <ApplicantsSection />}
      <Suspense fallback={<Loading />}>
        {section === 'tasks' && <TasksSection />}
        {section === 'reports' && <ReportsSection />}
        {section === 'team' && <TeamSection />}
      </Suspense>
    </div>
  );
}
