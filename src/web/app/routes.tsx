import { lazy, type ReactNode } from 'react';
import { Route, Switch } from 'wouter';
import { RequireAdministrator, RequireRole, RequireSession } from './guards';
import { NotFoundPage } from './not-found.page';

// Every page is its own chunk: the first load carries only the shell.
const HomePage = lazy(() => import('../features/home/home.page').then((m) => ({ default: m.HomePage })));
const RegisterPage = lazy(() => import('../features/auth/register.page').then((m) => ({ default: m.RegisterPage })));
const VerifyEmailPage = lazy(() =>
  import('../features/auth/verify-email.page').then((m) => ({ default: m.VerifyEmailPage })),
);
const LoginPage = lazy(() => import('../features/auth/login.page').then((m) => ({ default: m.LoginPage })));
const ForgotPasswordPage = lazy(() =>
  import('../features/auth/forgot-password.page').then((m) => ({ default: m.ForgotPasswordPage })),
);
const ResetPasswordPage = lazy(() =>
  import('../features/auth/reset-password.page').then((m) => ({ default: m.ResetPasswordPage })),
);
const AccountPage = lazy(() => import('../features/account/account.page').then((m) => ({ default: m.AccountPage })));
const UsersPage = lazy(() => import('../features/admin/users.page').then((m) => ({ default: m.UsersPage })));
const CatalogPage = lazy(() => import('../features/catalog/catalog.page').then((m) => ({ default: m.CatalogPage })));
const ProgramPage = lazy(() => import('../features/catalog/program.page').then((m) => ({ default: m.ProgramPage })));
const ProgramEditPage = lazy(() =>
  import('../features/catalog/program-edit.page').then((m) => ({ default: m.ProgramEditPage })),
);
const UniversitiesPage = lazy(() =>
  import('../features/catalog/universities.page').then((m) => ({ default: m.UniversitiesPage })),
);
const UniversityPage = lazy(() =>
  import('../features/catalog/university.page').then((m) => ({ default: m.UniversityPage })),
);
const ComparePage = lazy(() => import('../features/catalog/compare.page').then((m) => ({ default: m.ComparePage })));
const DossierPage = lazy(() => import('../features/dossier/dossier.page').then((m) => ({ default: m.DossierPage })));
const DocumentsPage = lazy(() =>
  import('../features/documents/documents.page').then((m) => ({ default: m.DocumentsPage })),
);
const ApplicationsPage = lazy(() =>
  import('../features/applications/applications.page').then((m) => ({ default: m.ApplicationsPage })),
);
const ApplicationPage = lazy(() =>
  import('../features/applications/application.page').then((m) => ({ default: m.ApplicationPage })),
);
const DeadlinesPage = lazy(() =>
  import('../features/applications/deadlines.page').then((m) => ({ default: m.DeadlinesPage })),
);
const OfficeCampaignsPage = lazy(() =>
  import('../features/office/office-campaigns.page').then((m) => ({ default: m.OfficeCampaignsPage })),
);
const CampaignApplicationsPage = lazy(() =>
  import('../features/office/campaign-applications.page').then((m) => ({ default: m.CampaignApplicationsPage })),
);
const ApplicantPage = lazy(() =>
  import('../features/office/applicant.page').then((m) => ({ default: m.ApplicantPage })),
);
const MyAdmissionsPage = lazy(() =>
  import('../features/admissions/my-admissions.page').then((m) => ({ default: m.MyAdmissionsPage })),
);
const RankedListsPage = lazy(() =>
  import('../features/admissions/ranked-lists.page').then((m) => ({ default: m.RankedListsPage })),
);
const RankedListPage = lazy(() =>
  import('../features/admissions/ranked-list.page').then((m) => ({ default: m.RankedListPage })),
);

const ReviewsPage = lazy(() => import('../features/reviews/reviews.page').then((m) => ({ default: m.ReviewsPage })));
const ReviewPage = lazy(() => import('../features/reviews/review.page').then((m) => ({ default: m.ReviewPage })));
const MyExamsPage = lazy(() => import('../features/exams/my-exams.page').then((m) => ({ default: m.MyExamsPage })));
const ExamResultsPage = lazy(() =>
  import('../features/exams/exam-results.page').then((m) => ({ default: m.ExamResultsPage })),
);

const AdaptationTemplatesPage = lazy(() =>
  import('../features/office/adaptation-templates.page').then((m) => ({ default: m.AdaptationTemplatesPage })),
);

const AskPage = lazy(() => import('../features/agency/ask.page').then((m) => ({ default: m.AskPage })));
const InvitationPage = lazy(() =>
  import('../features/agency/invitation.page').then((m) => ({ default: m.InvitationPage })),
);
const AgencyPage = lazy(() => import('../features/agency/agency.page').then((m) => ({ default: m.AgencyPage })));
const LeadPage = lazy(() => import('../features/agency/lead.page').then((m) => ({ default: m.LeadPage })));
const AgencyApplicantPage = lazy(() =>
  import('../features/agency/applicant.page').then((m) => ({ default: m.AgencyApplicantPage })),
);

const RegisterAdminPage = lazy(() =>
  import('../features/register/officer-admin.page').then((m) => ({ default: m.OfficerAdminPage })),
);
const RegisterDashboardPage = lazy(() =>
  import('../features/register/dashboard.page').then((m) => ({ default: m.DashboardPage })),
);
const TeacherCoursesPage = lazy(() =>
  import('../features/register/teacher-courses.page').then((m) => ({ default: m.TeacherCoursesPage })),
);
const TeacherCoursePage = lazy(() =>
  import('../features/register/teacher-course.page').then((m) => ({ default: m.TeacherCoursePage })),
);
const StudentRegisterPage = lazy(() =>
  import('../features/register/student-register.page').then((m) => ({ default: m.StudentRegisterPage })),
);
const ParentChildrenPage = lazy(() =>
  import('../features/register/parent-children.page').then((m) => ({ default: m.ParentChildrenPage })),
);
const ParentStudentPage = lazy(() =>
  import('../features/register/parent-student.page').then((m) => ({ default: m.ParentStudentPage })),
);
const GuardianInvitationPage = lazy(() =>
  import('../features/register/guardian-invitation.page').then((m) => ({ default: m.GuardianInvitationPage })),
);
/** Teachers enter grades and attendance; officers may open any course of their university. */
const REGISTER_TEACHERS = ['teacher', 'officer'] as const;
const PARENTS = ['parent'] as const;

const STUDENTS = ['student'] as const;

/** Officers and administrators run the register; curators (teachers) see the dashboard of their groups. */
const REGISTER_ADMINS = ['officer', 'administrator'] as const;
const REGISTER_DASHBOARD = ['officer', 'administrator', 'teacher'] as const;

const APPLICANT = ['applicant'] as const;
const CONSULTANT = ['consultant'] as const;
const STAFF = ['officer', 'reviewer'] as const;
/** Adaptation checklists: officers of the university, and administrators for any university. */
const ADAPTATION_EDITORS = ['officer', 'administrator'] as const;
/** Readers are reviewers; officers reconcile as senior reviewers. */
const REVIEWERS = ['reviewer', 'officer'] as const;

function ForApplicant({ children }: { children: ReactNode }) {
  return (
    <RequireRole roles={APPLICANT} textKey="forbidden.applicantOnly">
      {children}
    </RequireRole>
  );
}

function ForStaff({ children }: { children: ReactNode }) {
  return (
    <RequireRole roles={STAFF} textKey="forbidden.staffOnly">
      {children}
    </RequireRole>
  );
}

function ForConsultant({ children }: { children: ReactNode }) {
  return (
    <RequireRole roles={CONSULTANT} textKey="forbidden.consultantsOnly">
      {children}
    </RequireRole>
  );
}

export function AppRoutes() {
  return (
    <Switch>
      <Route path="/">
        <HomePage />
      </Route>
      <Route path="/register">
        <RegisterPage />
      </Route>
      <Route path="/verify-email">
        <VerifyEmailPage />
      </Route>
      <Route path="/login">
        <LoginPage />
      </Route>
      <Route path="/forgot-password">
        <ForgotPasswordPage />
      </Route>
      <Route path="/reset-password">
        <ResetPasswordPage />
      </Route>
      <Route path="/account">
        <RequireSession>
          <AccountPage />
        </RequireSession>
      </Route>
      <Route path="/catalog">
        <CatalogPage />
      </Route>
      <Route path="/programs/:slug/edit">
        {(params) => (
          <RequireSession>
            <ProgramEditPage slug={params.slug} />
          </RequireSession>
        )}
      </Route>
      <Route path="/programs/:slug">{(params) => <ProgramPage slug={params.slug} />}</Route>
      <Route path="/universities">
        <UniversitiesPage />
      </Route>
      <Route path="/universities/:slug">{(params) => <UniversityPage slug={params.slug} />}</Route>
      <Route path="/compare">
        <ComparePage />
      </Route>
      <Route path="/dossier">
        <ForApplicant>
          <DossierPage />
        </ForApplicant>
      </Route>
      <Route path="/documents">
        <ForApplicant>
          <DocumentsPage />
        </ForApplicant>
      </Route>
      <Route path="/applications">
        <ForApplicant>
          <ApplicationsPage />
        </ForApplicant>
      </Route>
      <Route path="/applications/:campaign">
        {(params) => (
          <ForApplicant>
            <ApplicationPage key={params.campaign} slug={params.campaign} />
          </ForApplicant>
        )}
      </Route>
      <Route path="/exams/:campaign">
        {(params) => (
          <ForApplicant>
            <MyExamsPage key={params.campaign} slug={params.campaign} />
          </ForApplicant>
        )}
      </Route>
      <Route path="/reviews">
        <RequireRole roles={REVIEWERS} textKey="forbidden.reviewersOnly">
          <ReviewsPage />
        </RequireRole>
      </Route>
      <Route path="/reviews/:id">
        {(params) => (
          <RequireRole roles={REVIEWERS} textKey="forbidden.reviewersOnly">
            <ReviewPage key={params.id} id={params.id} />
          </RequireRole>
        )}
      </Route>
      <Route path="/admissions">
        <ForApplicant>
          <MyAdmissionsPage />
        </ForApplicant>
      </Route>
      <Route path="/lists/:campaign">
        {(params) => <RankedListsPage key={params.campaign} slug={params.campaign} />}
      </Route>
      <Route path="/lists/:campaign/:competition">
        {(params) => (
          <RankedListPage
            key={`${params.campaign}/${params.competition}`}
            slug={params.campaign}
            competitionId={params.competition}
          />
        )}
      </Route>
      <Route path="/deadlines">
        <ForApplicant>
          <DeadlinesPage />
        </ForApplicant>
      </Route>
      <Route path="/office/campaigns">
        <ForStaff>
          <OfficeCampaignsPage />
        </ForStaff>
      </Route>
      <Route path="/office/campaigns/:slug">
        {(params) => (
          <ForStaff>
            <CampaignApplicationsPage key={params.slug} slug={params.slug} />
          </ForStaff>
        )}
      </Route>
      <Route path="/office/campaigns/:slug/exam-results">
        {(params) => (
          <ForStaff>
            <ExamResultsPage key={params.slug} slug={params.slug} />
          </ForStaff>
        )}
      </Route>
      <Route path="/office/campaigns/:slug/applicants/:applicantId">
        {(params) => (
          <ForStaff>
            <ApplicantPage
              key={`${params.slug}/${params.applicantId}`}
              slug={params.slug}
              applicantId={params.applicantId}
            />
          </ForStaff>
        )}
      </Route>
      <Route path="/office/adaptation">
        <RequireRole roles={ADAPTATION_EDITORS} textKey="forbidden.adaptationEditorsOnly">
          <AdaptationTemplatesPage />
        </RequireRole>
      </Route>
      <Route path="/ask">
        <AskPage />
      </Route>
      <Route path="/agency-invitation">
        <InvitationPage />
      </Route>
      <Route path="/agency">
        <ForConsultant>
          <AgencyPage section="leads" />
        </ForConsultant>
      </Route>
      <Route path="/agency/applicants">
        <ForConsultant>
          <AgencyPage section="applicants" />
        </ForConsultant>
      </Route>
      <Route path="/agency/tasks">
        <ForConsultant>
          <AgencyPage section="tasks" />
        </ForConsultant>
      </Route>
      <Route path="/agency/reports">
        <ForConsultant>
          <AgencyPage section="reports" />
        </ForConsultant>
      </Route>
      <Route path="/agency/team">
        <ForConsultant>
          <AgencyPage section="team" />
        </ForConsultant>
      </Route>
      <Route path="/agency/leads/:id">
        {(params) => (
          <ForConsultant>
            <LeadPage key={params.id} id={params.id} />
          </ForConsultant>
        )}
      </Route>
      <Route path="/agency/applicants/:id">
        {(params) => (
          <ForConsultant>
            <AgencyApplicantPage key={params.id} id={params.id} />
          </ForConsultant>
        )}
      </Route>
      <Route path="/register/me">
        <RequireRole roles={STUDENTS} textKey="register.student.forbidden">
          <StudentRegisterPage />
        </RequireRole>
      </Route>
      <Route path="/register/teaching">
        <RequireRole roles={REGISTER_TEACHERS} textKey="register.teacher.forbidden">
          <TeacherCoursesPage />
        </RequireRole>
      </Route>
      <Route path="/register/courses/:id">
        {(params) => (
          <RequireRole roles={REGISTER_TEACHERS} textKey="register.teacher.forbidden">
            <TeacherCoursePage key={params.id} id={params.id} />
          </RequireRole>
        )}
      </Route>
      <Route path="/register/children">
        <RequireRole roles={PARENTS} textKey="register.parent.forbidden">
          <ParentChildrenPage />
        </RequireRole>
      </Route>
      <Route path="/register/students/:id">
        {(params) => (
          <RequireSession>
            <ParentStudentPage key={params.id} id={params.id} />
          </RequireSession>
        )}
      </Route>
      <Route path="/guardian-invitation">
        <GuardianInvitationPage />
      </Route>
      <Route path="/register/admin">
        <RequireRole roles={REGISTER_ADMINS} textKey="register.admin.forbidden">
          <RegisterAdminPage />
        </RequireRole>
      </Route>
      <Route path="/register/dashboard">
        <RequireRole roles={REGISTER_DASHBOARD} textKey="register.dashboard.forbidden">
          <RegisterDashboardPage />
        </RequireRole>
      </Route>
      <Route path="/admin/users">
        <RequireAdministrator>
          <UsersPage />
        </RequireAdministrator>
      </Route>
      <Route>
        <NotFoundPage />
      </Route>
    </Switch>
  );
}
