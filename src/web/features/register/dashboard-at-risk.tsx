/** The at-risk list: each student with the reasons in words, sortable by name, group or number of reasons. */
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { pick } from '../catalog/format';
import { percent } from './dashboard-charts';
import type { Dashboard, RiskReason, Text } from './officer-api';
import { studentName } from './officer-controls';

type Row = Dashboard['atRisk'][number];
type SortKey = 'name' | 'group' | 'reasons' | 'attendance';

/** "attendance 72 % < 80 %", "3 absences in a row", "grade 2 in Anatomy (pass mark 3)". */
export function reasonText(
  reason: RiskReason,
  courseNames: ReadonlyMap<string, Text>,
  t: TFunction,
  locale: Locale,
): string {
  switch (reason.kind) {
    case 'low_attendance':
      return t('register.dashboard.reasons.low_attendance', {
        rate: percent(reason.rate, locale),
        threshold: percent(reason.threshold, locale),
      });
    case 'absence_streak':
      return t('register.dashboard.reasons.absence_streak', { count: reason.length });
    case 'failing_grade': {
      const name = reason.course?.name ?? courseNames.get(reason.courseId);
      return name
        ? t('register.dashboard.reasons.failing_grade', {
            value: reason.value,
            course: pick(name, locale),
            passMark: reason.passMark,
          })
        : t('register.dashboard.reasons.failing_grade_unnamed', { value: reason.value, passMark: reason.passMark });
    }
  }
}

/** The attendance rate the row's reasons state, for sorting; rows without one sort last. */
function attendanceOf(row: Row): number {
  const low = row.reasons.find((r) => r.kind === 'low_attendance');
  return low && low.kind === 'low_attendance' ? low.rate : 2;
}

export function AtRiskTable({
  rows,
  courseNames,
  locale,
}: {
  rows: Row[];
  courseNames: ReadonlyMap<string, Text>;
  locale: Locale;
}) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'reasons', descending: true });
  const sorted = useMemo(() => {
    const collator = new Intl.Collator(locale);
    const compare: Record<SortKey, (a: Row, b: Row) => number> = {
      name: (a, b) => collator.compare(a.student.nameLatin, b.student.nameLatin),
      group: (a, b) => collator.compare(a.group?.code ?? '', b.group?.code ?? ''),
      reasons: (a, b) => a.reasons.length - b.reasons.length,
      attendance: (a, b) => attendanceOf(a) - attendanceOf(b),
    };
    const byName = compare.name;
    return [...rows].sort((a, b) => {
      const primary = compare[sort.key](a, b) * (sort.descending ? -1 : 1);
      return primary !== 0 ? primary : byName(a, b);
    });
  }, [rows, sort, locale]);

  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button
          type="button"
          className="sort-button"
          data-testid={`sort-${key}`}
          onClick={() =>
            setSort(active ? { key, descending: !sort.descending } : { key, descending: key === 'reasons' })
          }
        >
          {label}
          <span aria-hidden="true" className="sort-mark">
            {active ? (sort.descending ? ' ▼' : ' ▲') : ' ↕'}
          </span>
        </button>
      </th>
    );
  };

  return (
    <div className="table-wrap">
      <table className="table" data-testid="at-risk-table">
        <caption>{t('register.dashboard.atRisk.caption', { count: rows.length })}</caption>
        <thead>
          <tr>
            {header('name', t('register.dashboard.atRisk.student'))}
            {header('group', t('register.dashboard.atRisk.group'))}
            {header('attendance', t('register.dashboard.atRisk.attendance'))}
            {header('reasons', t('register.dashboard.atRisk.reasons'))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => {
            const low = row.reasons.find((r) => r.kind === 'low_attendance');
            return (
              <tr key={row.student.id} data-testid="at-risk-row" data-number={row.student.number}>
                <th scope="row">
                  {studentName(row.student)}
                  <span className="cell-note"> {row.student.number}</span>
                </th>
                <td>{row.group?.code ?? '—'}</td>
                <td className="numeric">{low && low.kind === 'low_attendance' ? percent(low.rate, locale) : '—'}</td>
                <td>
                  <ul className="compact-list reasons">
                    {row.reasons.map((reason) => {
                      const text = reasonText(reason, courseNames, t, locale);
                      return (
                        <li key={`${reason.kind}:${text}`} data-testid="risk-reason" data-kind={reason.kind}>
                          {text}
                        </li>
                      );
                    })}
                  </ul>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
