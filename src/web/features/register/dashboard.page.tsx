/**
 * The register dashboard for officers (and curators of their groups): filters by term, faculty,
 * group and course; summary numbers; attendance per group and a course's grade distribution as
 * charts; the at-risk list with its reasons; the same data as XLSX.
 */
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useSearch } from 'wouter';
import { usePageTitle } from '../../ui/page-title';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { AtRiskTable } from './dashboard-at-risk';
import { DistributionChart, GroupAttendanceChart, percent } from './dashboard-charts';
import { type DashboardCourse, type DashboardFilter, officerApi, type Text } from './officer-api';
import { Section } from './officer-controls';
import { UniversityScope } from './officer-university';
import './officer.css';
import './dashboard.css';

const FILTERS = ['termId', 'faculty', 'groupId', 'courseId'] as const;
type FilterName = (typeof FILTERS)[number];

function readFilter(search: string): DashboardFilter {
  const params = new URLSearchParams(search);
  const filter: DashboardFilter = {};
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filter[name] = value;
  }
  return filter;
}

function FilterSelect({
  name,
  label,
  value,
  options,
  onChange,
  allLabel,
}: {
  name: FilterName;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (name: FilterName, value: string) => void;
  allLabel: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(name, event.target.value)}
        data-testid={`filter-${name}`}
      >
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Summary({
  summary,
  locale,
}: {
  summary: { students: number; attendanceRate: number | null; atRisk: number };
  locale: string;
}) {
  const { t } = useTranslation();
  return (
    <dl className="summary-numbers" data-testid="dashboard-summary">
      <div>
        <dt>{t('register.dashboard.summary.students')}</dt>
        <dd data-testid="summary-students">{new Intl.NumberFormat(locale).format(summary.students)}</dd>
      </div>
      <div>
        <dt>{t('register.dashboard.summary.attendance')}</dt>
        <dd data-testid="summary-attendance">{percent(summary.attendanceRate, locale)}</dd>
      </div>
      <div>
        <dt>{t('register.dashboard.summary.atRisk')}</dt>
        <dd data-testid="summary-at-risk">{new Intl.NumberFormat(locale).format(summary.atRisk)}</dd>
      </div>
    </dl>
  );
}

function Distribution({ courses, selected }: { courses: DashboardCourse[]; selected: string | undefined }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  const course =
    courses.find((c) => c.id === (selected ?? chosen)) ??
    courses.find((c) => c.distribution.some((b) => b.count > 0)) ??
    courses[0];
  if (!course) return <p className="empty">{t('register.dashboard.noCourses')}</p>;
  const name = `${course.code} · ${pick(course.name, locale)} (${course.group.code})`;
  return (
    <>
      {!selected && courses.length > 1 && (
        <div className="field">
          <label htmlFor={id}>{t('register.dashboard.charts.courseFor')}</label>
          <select
            id={id}
            value={course.id}
            onChange={(event) => setChosen(event.target.value)}
            data-testid="distribution-course"
          >
            {courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code} · {pick(c.name, locale)} ({c.group.code})
              </option>
            ))}
          </select>
        </div>
      )}
      <h3>{t('register.dashboard.charts.distributionTitle', { name })}</h3>
      {course.distribution.some((b) => b.count > 0) ? (
        <DistributionChart course={course} name={name} />
      ) : (
        <p className="empty" data-testid="distribution-empty">
          {t('register.dashboard.charts.noGrades')}
        </p>
      )}
    </>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  usePageTitle(t('register.dashboard.title'));
  return (
    <div className="page register-dashboard">
      <header className="page-header">
        <h1>{t('register.dashboard.title')}</h1>
        <p className="lead">{t('register.dashboard.lead')}</p>
        <p>
          <Link href="/register/admin">{t('register.admin.title')}</Link>
        </p>
      </header>
      <UniversityScope>
        <DashboardBody />
      </UniversityScope>
    </div>
  );
}

function DashboardBody() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const search = useSearch();
  const [location, navigate] = useLocation();
  const filter = readFilter(search);
  const filterKey = FILTERS.map((n) => filter[n] ?? '').join('|');

  const terms = useResource('register-terms', (signal) => officerApi.terms(signal));
  const groups = useResource('register-groups', (signal) => officerApi.groups(signal));
  const courses = useResource('register-courses', (signal) => officerApi.courses(signal));
  // The threshold line on the chart; curators may not read the settings, and then there is no line.
  const settings = useResource('register-settings', (signal) => officerApi.settings(signal));
  const data = useResource(`register-dashboard:${filterKey}`, (signal) => officerApi.dashboard(filter, signal));

  const setFilter = (name: FilterName, value: string) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    // A narrower choice that no longer fits the wider one is dropped.
    if (name === 'faculty' || name === 'termId') next.delete('courseId');
    if (name === 'faculty') next.delete('groupId');
    if (name === 'groupId') next.delete('courseId');
    const text = next.toString();
    navigate(text ? `${location}?${text}` : location, { replace: true });
  };

  const faculties = useMemo(() => {
    const seen = new Map<string, Text>();
    for (const g of groups.data?.items ?? []) if (!seen.has(g.faculty.en)) seen.set(g.faculty.en, g.faculty);
    return [...seen.entries()].map(([value, text]) => ({ value, label: pick(text, locale) }));
  }, [groups.data, locale]);
  const groupOptions = (groups.data?.items ?? [])
    .filter((g) => !filter.faculty || g.faculty.en === filter.faculty)
    .map((g) => ({ value: g.id, label: g.code }));
  const courseOptions = (courses.data?.items ?? [])
    .filter(
      (c) => (!filter.termId || c.term.id === filter.termId) && (!filter.groupId || c.group.id === filter.groupId),
    )
    .map((c) => ({ value: c.id, label: `${c.code} · ${pick(c.name, locale)} (${c.group.code})` }));

  const dashboard = data.data;
  const courseNames = useMemo(() => {
    const names = new Map<string, Text>();
    for (const c of courses.data?.items ?? []) names.set(c.id, c.name);
    for (const c of dashboard?.courses ?? []) names.set(c.id, c.name);
    return names;
  }, [courses.data, dashboard]);
  const threshold = settings.data?.atRisk.minAttendanceRate ?? null;

  return (
    <>
      <form
        className="dashboard-filters panel"
        aria-label={t('register.dashboard.filters.label')}
        onSubmit={(e) => e.preventDefault()}
      >
        <FilterSelect
          name="termId"
          label={t('register.dashboard.filters.term')}
          value={filter.termId ?? ''}
          onChange={setFilter}
          allLabel={t('register.dashboard.filters.allTerms')}
          options={(terms.data?.items ?? []).map((term) => ({
            value: term.id,
            label: `${pick(term.name, locale)} (${term.academicYear})`,
          }))}
        />
        <FilterSelect
          name="faculty"
          label={t('register.dashboard.filters.faculty')}
          value={filter.faculty ?? ''}
          onChange={setFilter}
          allLabel={t('register.dashboard.filters.all')}
          options={faculties}
        />
        <FilterSelect
          name="groupId"
          label={t('register.dashboard.filters.group')}
          value={filter.groupId ?? ''}
          onChange={setFilter}
          allLabel={t('register.dashboard.filters.all')}
          options={groupOptions}
        />
        <FilterSelect
          name="courseId"
          label={t('register.dashboard.filters.course')}
          value={filter.courseId ?? ''}
          onChange={setFilter}
          allLabel={t('register.dashboard.filters.all')}
          options={courseOptions}
        />
      </form>

      {data.error ? (
        <Section title={t('register.dashboard.summary.title')} error={data.error} testId="dashboard-error">
          {null}
        </Section>
      ) : !dashboard ? (
        <p className="loading">{t('app.loading')}</p>
      ) : (
        <div aria-live="polite" aria-busy={data.loading || undefined} data-testid="dashboard">
          <div className="results-bar">
            <Summary summary={dashboard.summary} locale={locale} />
            <p className="export-links">
              <a href={officerApi.dashboardXlsxUrl(filter, locale)} download data-testid="dashboard-xlsx">
                {t('register.dashboard.xlsx')}
              </a>
            </p>
          </div>

          <section className="register-section" aria-labelledby="dashboard-groups">
            <h2 id="dashboard-groups">{t('register.dashboard.groups.title')}</h2>
            {dashboard.groups.length === 0 ? (
              <p className="empty">{t('register.dashboard.groups.none')}</p>
            ) : (
              <>
                <GroupAttendanceChart groups={dashboard.groups} threshold={threshold} locale={locale} />
                <div className="table-wrap">
                  <table className="table" data-testid="dashboard-groups">
                    <caption className="visually-hidden">{t('register.dashboard.groups.title')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('register.dashboard.groups.group')}</th>
                        <th scope="col">{t('register.dashboard.groups.faculty')}</th>
                        <th scope="col" className="numeric">
                          {t('register.dashboard.groups.students')}
                        </th>
                        <th scope="col" className="numeric">
                          {t('register.dashboard.groups.attendance')}
                        </th>
                        <th scope="col" className="numeric">
                          {t('register.dashboard.groups.average')}
                        </th>
                        <th scope="col" className="numeric">
                          {t('register.dashboard.groups.atRisk')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {dashboard.groups.map((g) => (
                        <tr key={g.id} data-testid="dashboard-group" data-code={g.code}>
                          <th scope="row">{g.code}</th>
                          <td>{pick(g.faculty, locale)}</td>
                          <td className="numeric">{g.students}</td>
                          <td className="numeric" data-testid="group-attendance">
                            {percent(g.attendanceRate, locale)}
                          </td>
                          <td className="numeric">
                            {g.averageGrade5 === null
                              ? '—'
                              : new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(g.averageGrade5)}
                          </td>
                          <td className="numeric">{g.atRisk}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
          </section>

          <section className="register-section" aria-labelledby="dashboard-grades">
            <h2 id="dashboard-grades">{t('register.dashboard.charts.gradesTitle')}</h2>
            <Distribution courses={dashboard.courses} selected={filter.courseId} />
          </section>

          <section className="register-section" aria-labelledby="dashboard-at-risk">
            <h2 id="dashboard-at-risk">{t('register.dashboard.atRisk.title')}</h2>
            {dashboard.atRisk.length === 0 ? (
              <p className="empty" data-testid="at-risk-none">
                {t('register.dashboard.atRisk.none')}
              </p>
            ) : (
              <AtRiskTable rows={dashboard.atRisk} courseNames={courseNames} locale={locale} />
            )}
          </section>
        </div>
      )}
    </>
  );
}
