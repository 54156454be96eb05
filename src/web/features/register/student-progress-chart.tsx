/**
 * Progress over time as an inline SVG: attendance rate (0–100 %) and the mean grade on a 5-point
 * scale, one point per month. Described for screen readers by a table of the same numbers.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { formatRate } from './grid-model';
import type { StudentView } from './register-api';
import { formatDecimal, formatMonth } from './student-format';

const W = 640;
const H = 240;
const PAD = { left: 44, right: 44, top: 16, bottom: 36 };

type Point = { x: number; y: number };

function path(points: (Point | null)[]): string {
  let d = '';
  let pen = false;
  for (const p of points) {
    if (!p) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)} `;
    pen = true;
  }
  return d.trim();
}

export function ProgressChart({ progress, locale }: { progress: StudentView['progress']; locale: Locale }) {
  const { t } = useTranslation();
  const id = useId();
  if (progress.length === 0) return <p className="empty">{t('register.student.noProgress')}</p>;
  const n = progress.length;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n === 1 ? innerW / 2 : (i * innerW) / (n - 1));
  const yRate = (rate: number) => PAD.top + (1 - rate) * innerH;
  const yGrade = (grade: number) => PAD.top + (1 - (grade - 2) / 3) * innerH; // 2 … 5
  const rates = progress.map((p, i) => (p.attendanceRate === null ? null : { x: x(i), y: yRate(p.attendanceRate) }));
  const grades = progress.map((p, i) => (p.averageGrade5 === null ? null : { x: x(i), y: yGrade(p.averageGrade5) }));

  return (
    <figure className="progress-chart" aria-labelledby={`${id}-caption`}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title`} data-testid="progress-chart">
        <title id={`${id}-title`}>{t('register.student.progress')}</title>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line className="chart-grid" x1={PAD.left} x2={W - PAD.right} y1={yRate(v)} y2={yRate(v)} />
            <text className="chart-axis" x={PAD.left - 6} y={yRate(v) + 4} textAnchor="end">
              {Math.round(v * 100)}%
            </text>
          </g>
        ))}
        {[2, 3, 4, 5].map((g) => (
          <text key={g} className="chart-axis chart-axis-grade" x={W - PAD.right + 6} y={yGrade(g) + 4}>
            {g}
          </text>
        ))}
        {progress.map((p, i) => (
          <text key={p.month} className="chart-axis" x={x(i)} y={H - 12} textAnchor="middle">
            {formatMonth(p.month, locale)}
          </text>
        ))}
        <path className="chart-line chart-rate" d={path(rates)} />
        <path className="chart-line chart-grade" d={path(grades)} />
        {rates.map(
          (p, i) =>
            p && <circle key={`r${progress[i]?.month}`} className="chart-dot chart-rate" cx={p.x} cy={p.y} r={4} />,
        )}
        {grades.map(
          (p, i) =>
            p && (
              <rect
                key={`g${progress[i]?.month}`}
                className="chart-dot chart-grade"
                x={p.x - 4}
                y={p.y - 4}
                width={8}
                height={8}
              />
            ),
        )}
      </svg>
      <figcaption id={`${id}-caption`} className="chart-legend">
        <span className="legend-rate">{t('register.student.chartRate')}</span>
        <span className="legend-grade">{t('register.student.chartGrade')}</span>
      </figcaption>
      <details className="chart-data">
        <summary>{t('register.student.chartTable')}</summary>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('register.student.month')}</th>
              <th scope="col">{t('register.student.chartRate')}</th>
              <th scope="col">{t('register.student.chartGrade')}</th>
            </tr>
          </thead>
          <tbody>
            {progress.map((p) => (
              <tr key={p.month}>
                <th scope="row">{formatMonth(p.month, locale)}</th>
                <td>{formatRate(p.attendanceRate, locale)}</td>
                <td>{p.averageGrade5 === null ? '–' : formatDecimal(p.averageGrade5, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
