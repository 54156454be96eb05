/**
 * The dashboard's charts as inline SVG: attendance per group (horizontal bars, with the at-risk
 * threshold) and a course's grade distribution (columns). Screen readers get the same numbers in
 * the tables next to them, so the pictures carry a short label only.
 */
import { useTranslation } from 'react-i18next';
import type { DashboardCourse, DashboardGroup } from './officer-api';

export function percent(rate: number | null, locale: string): string {
  return rate === null
    ? '—'
    : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

export function GroupAttendanceChart({
  groups,
  threshold,
  locale,
}: {
  groups: DashboardGroup[];
  threshold: number | null;
  locale: string;
}) {
  const { t } = useTranslation();
  const barHeight = 22;
  const gap = 8;
  const labelWidth = 120;
  const valueWidth = 64;
  const width = 640;
  const plot = width - labelWidth - valueWidth;
  const top = threshold === null ? 0 : 18;
  const height = top + groups.length * (barHeight + gap);
  const x = (rate: number) => labelWidth + plot * Math.max(0, Math.min(1, rate));
  return (
    <figure className="register-figure">
      <svg
        className="register-chart"
        viewBox={`0 0 ${width} ${Math.max(height, barHeight)}`}
        role="img"
        aria-label={t('register.dashboard.charts.attendanceLabel', { count: groups.length })}
        data-testid="attendance-chart"
      >
        {threshold !== null && (
          <g className="threshold">
            <line x1={x(threshold)} x2={x(threshold)} y1={12} y2={height} />
            <text x={x(threshold)} y={10} textAnchor="middle">
              {t('register.dashboard.charts.threshold', { rate: percent(threshold, locale) })}
            </text>
          </g>
        )}
        {groups.map((group, i) => {
          const y = top + i * (barHeight + gap);
          const rate = group.attendanceRate;
          const below = rate !== null && threshold !== null && rate < threshold;
          return (
            <g key={group.id} data-testid="attendance-bar" data-group={group.code}>
              <text x={labelWidth - 8} y={y + barHeight * 0.7} textAnchor="end">
                {group.code}
              </text>
              {rate !== null && (
                <rect
                  className={below ? 'bar bar-low' : 'bar'}
                  x={labelWidth}
                  y={y}
                  width={Math.max(x(rate) - labelWidth, 1)}
                  height={barHeight}
                  rx={3}
                />
              )}
              <text x={rate === null ? labelWidth + 4 : x(rate) + 6} y={y + barHeight * 0.7}>
                {percent(rate, locale)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="field-hint">{t('register.dashboard.charts.attendanceCaption')}</figcaption>
    </figure>
  );
}

export function DistributionChart({ course, name }: { course: DashboardCourse; name: string }) {
  const { t } = useTranslation();
  const buckets = course.distribution;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const width = 640;
  const height = 220;
  const bottom = 28;
  const topSpace = 18;
  const slot = width / Math.max(1, buckets.length);
  const barWidth = Math.min(64, slot * 0.7);
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  return (
    <figure className="register-figure">
      <svg
        className="register-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={t('register.dashboard.charts.distributionLabel', { name, count: total })}
        data-testid="distribution-chart"
      >
        <line className="axis" x1={0} x2={width} y1={height - bottom} y2={height - bottom} />
        {buckets.map((bucket, i) => {
          const h = ((height - bottom - topSpace) * bucket.count) / max;
          const cx = slot * i + slot / 2;
          return (
            <g key={bucket.label} data-testid="distribution-bar" data-label={bucket.label} data-count={bucket.count}>
              <rect className="bar" x={cx - barWidth / 2} y={height - bottom - h} width={barWidth} height={h} rx={2} />
              <text x={cx} y={height - bottom - h - 4} textAnchor="middle">
                {bucket.count}
              </text>
              <text x={cx} y={height - 8} textAnchor="middle">
                {bucket.label}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="field-hint">{t('register.dashboard.charts.distributionCaption')}</figcaption>
    </figure>
  );
}
