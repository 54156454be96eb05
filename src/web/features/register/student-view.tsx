/**
 * A student's register, read-only: risk notices, progress chart, grades and finals per term,
 * the attendance log, clinical rotations and attestation. Shown to the student and, by the same
 * component, to a linked parent or sponsor in their own language.
 */
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { formatDate } from '../../ui/dates';
import { pick } from '../catalog/format';
import { formatRate } from './grid-model';
import type { RiskReason, StudentCourse, StudentView } from './register-api';
import { formatDecimal, formatGrade, formatSessionTime } from './student-format';
import { ProgressChart } from './student-progress-chart';

export function displayName(student: { nameLatin: string; nameCyrillic: string | null }, locale: Locale): string {
  return locale === 'ru' && student.nameCyrillic ? student.nameCyrillic : student.nameLatin;
}

function RiskNotices({ risk, view, locale }: { risk: RiskReason[]; view: StudentView; locale: Locale }) {
  const { t } = useTranslation();
  if (risk.length === 0) return null;
  const courseName = (courseId: string) => {
    for (const term of view.terms) {
      const course = term.courses.find((c) => c.id === courseId);
      if (course) return `${course.code} ${pick(course.name, locale)}`;
    }
    return '';
  };
  return (
    <div className="notice register-warning" role="note" data-testid="risk">
      <p>{t('register.student.riskTitle')}</p>
      <ul>
        {risk.map((reason, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: reasons have no identity of their own and never reorder.
          <li key={i} data-kind={reason.kind}>
            {reason.kind === 'low_attendance'
              ? t('register.student.risk.low_attendance', {
                  rate: formatRate(reason.rate, locale),
                  threshold: formatRate(reason.threshold, locale),
                })
              : reason.kind === 'absence_streak'
                ? t('register.student.risk.absence_streak', { count: reason.length })
                : t('register.student.risk.failing_grade', {
                    course: courseName(reason.courseId),
                    value: reason.value,
                  })}
          </li>
        ))}
      </ul>
    </div>
  );
}

function CourseRow({ course, locale }: { course: StudentCourse; locale: Locale }) {
  const { t } = useTranslation();
  const final = course.final;
  return (
    <tr data-testid="course-row" data-code={course.code}>
      <th scope="row">
        {course.code} · {pick(course.name, locale)}
        <span className="field-hint register-scale">{t(`register.grid.scale.${course.scale}`)}</span>
      </th>
      <td>
        {course.assessments.length === 0 ? (
          '–'
        ) : (
          <ul className="grade-chips">
            {course.assessments.map((a) => (
              <li
                key={a.id}
                className={a.value !== null && a.value < course.passMark ? 'is-failing' : undefined}
                title={a.heldOn ? formatDate(a.heldOn, locale) : undefined}
              >
                <span className="chip-title">{a.title}</span>{' '}
                <strong>{a.value === null ? '–' : formatGrade(a.value, course.scale, t)}</strong>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td data-testid="course-final">
        {final.value === null ? (
          '–'
        ) : (
          <>
            <strong className={final.passed === false ? 'text-failing' : undefined}>
              {formatGrade(final.value, course.scale, t)}
            </strong>
            {final.source === 'computed' && (
              <span className="field-hint">
                {' '}
                {t('register.student.computed', {
                  average: final.average === null ? '–' : formatDecimal(final.average, locale),
                })}
              </span>
            )}
          </>
        )}
      </td>
      <td data-testid="course-attendance">
        {formatRate(course.attendance.rate, locale)}
        <span className="field-hint">
          {' '}
          {t('register.student.attendanceCounts', {
            present: course.attendance.present,
            late: course.attendance.late,
            absent: course.attendance.absent,
            excused: course.attendance.excused,
          })}
        </span>
      </td>
    </tr>
  );
}

export function StudentRegisterView({ view, locale }: { view: StudentView; locale: Locale }) {
  const { t } = useTranslation();
  const { student } = view;
  return (
    <>
      <dl className="details register-student-details" data-testid="student-details">
        <div>
          <dt>{t('register.student.number')}</dt>
          <dd>{student.number}</dd>
        </div>
        <div>
          <dt>{t('register.student.university')}</dt>
          <dd>{pick(student.university.name, locale)}</dd>
        </div>
        {student.program && (
          <div>
            <dt>{t('register.student.program')}</dt>
            <dd>{pick(student.program.name, locale)}</dd>
          </div>
        )}
        <div>
          <dt>{t('register.student.groups')}</dt>
          <dd>{student.groups.map((g) => g.code).join(', ') || '–'}</dd>
        </div>
        <div>
          <dt>{t('register.student.status')}</dt>
          <dd>{t(`register.student.statuses.${student.status}`, { defaultValue: student.status })}</dd>
        </div>
      </dl>

      <RiskNotices risk={view.risk} view={view} locale={locale} />

      <section className="panel" aria-labelledby="register-progress">
        <h2 id="register-progress">{t('register.student.progress')}</h2>
        <ProgressChart progress={view.progress} locale={locale} />
      </section>

      <section className="panel" aria-labelledby="register-grades">
        <h2 id="register-grades">{t('register.student.grades')}</h2>
        {view.terms.length === 0 && <p className="empty">{t('register.student.noCourses')}</p>}
        {view.terms.map((term) => (
          <div key={term.id} className="register-term" data-testid="term">
            <h3>
              {pick(term.name, locale)} <span className="field-hint">{term.academicYear}</span>
              {term.closed && (
                <span className="badge badge-muted register-badge">{t('register.teacher.termClosed')}</span>
              )}
            </h3>
            <div className="table-wrap">
              <table className="table register-courses">
                <thead>
                  <tr>
                    <th scope="col">{t('register.teacher.course')}</th>
                    <th scope="col">{t('register.student.assessments')}</th>
                    <th scope="col">{t('register.grid.final')}</th>
                    <th scope="col">{t('register.grid.rate')}</th>
                  </tr>
                </thead>
                <tbody>
                  {term.courses.map((course) => (
                    <CourseRow key={course.id} course={course} locale={locale} />
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))}
      </section>

      <section className="panel" aria-labelledby="register-attendance">
        <h2 id="register-attendance">{t('register.student.attendanceLog')}</h2>
        {view.attendanceLog.length === 0 ? (
          <p className="empty">{t('register.student.noAttendance')}</p>
        ) : (
          <div className="table-wrap register-log">
            <table className="table" data-testid="attendance-log">
              <thead>
                <tr>
                  <th scope="col">{t('register.student.when')}</th>
                  <th scope="col">{t('register.teacher.course')}</th>
                  <th scope="col">{t('register.student.mark')}</th>
                </tr>
              </thead>
              <tbody>
                {view.attendanceLog.map((entry) => (
                  <tr
                    key={`${entry.sessionId}`}
                    data-testid="attendance-entry"
                    data-status={entry.status}
                    data-course={entry.courseCode}
                  >
                    <td>{formatSessionTime(entry.startsAt, locale)}</td>
                    <td>{entry.courseCode}</td>
                    <td>
                      <span className={`mark-pill mark-${entry.status}`}>
                        {t(`register.grid.status.${entry.status}`)}
                      </span>
                      {entry.reason && <span className="field-hint"> {entry.reason}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {view.rotations.length > 0 && (
        <section className="panel" aria-labelledby="register-rotations">
          <h2 id="register-rotations">{t('register.student.rotations')}</h2>
          <div className="table-wrap">
            <table className="table" data-testid="rotations">
              <thead>
                <tr>
                  <th scope="col">{t('register.student.clinicalBase')}</th>
                  <th scope="col">{t('register.student.supervisor')}</th>
                  <th scope="col">{t('register.student.dates')}</th>
                  <th scope="col">{t('register.student.result')}</th>
                </tr>
              </thead>
              <tbody>
                {view.rotations.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      {r.clinicalBase}
                      {r.department && <span className="field-hint"> · {r.department}</span>}
                    </th>
                    <td>{r.supervisor?.fullName ?? '–'}</td>
                    <td>
                      {formatDate(r.startsOn, locale)} – {formatDate(r.endsOn, locale)}
                    </td>
                    <td>{t(`register.student.rotationResult.${r.result ?? 'ongoing'}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {view.attestations.length > 0 && (
        <section className="panel" aria-labelledby="register-attestation">
          <h2 id="register-attestation">{t('register.student.attestation')}</h2>
          <ul className="plainlist" data-testid="attestations">
            {view.attestations.map((a) => (
              <li key={a.id} className="register-attestation">
                <strong>{t(`register.student.attestationKind.${a.kind}`)}</strong> · {formatDate(a.heldOn, locale)} ·{' '}
                {t(`register.student.attestationResult.${a.result}`)}
                {a.grade !== null && <> · {t('register.student.attestationGrade', { grade: a.grade })}</>}
                {a.qualification && (
                  <p>{t('register.student.qualification', { qualification: pick(a.qualification, locale) })}</p>
                )}
                {a.protocolNumber && (
                  <p className="field-hint">{t('register.student.protocol', { number: a.protocolNumber })}</p>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
