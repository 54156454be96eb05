/** The workspace's Tasks (my open tasks) and Reports (the funnel as a table, a bar chart and XLSX). */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { localeOf, pick } from '../catalog/format';
import { LoadFailure } from '../catalog/load-failure';
import { useResource } from '../catalog/use-resource';
import { AddTaskForm, TaskList } from './tasks';
import { type FunnelRow, isMissingRoute, STAGES, type Task, workApi } from './work-api';

function NotAvailable() {
  const { t } = useTranslation();
  return (
    <p className="notice notice-info" data-testid="agency-not-available">
      {t('agency.notAvailable')}
    </p>
  );
}

export function TasksSection() {
  const { t } = useTranslation();
  const id = useId();
  const { user } = useSession();
  const [mine, setMine] = useState(true);
  const loaded = useResource(`tasks:${mine}`, (signal) =>
    workApi.tasks(mine ? { open: true, assignee: 'me' } : { open: true }, signal),
  );
  const [tasks, setTasks] = useState<Task[] | null>(null);
  useEffect(() => {
    if (loaded.data) setTasks(loaded.data.items);
  }, [loaded.data]);
  const replace = (task: Task) => setTasks((current) => (current ?? []).map((x) => (x.id === task.id ? task : x)));

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('agency.tasks.heading')}</h2>
      {isMissingRoute(loaded.error) ? (
        <NotAvailable />
      ) : loaded.error ? (
        <LoadFailure error={loaded.error} notFoundKey="notFound.text" />
      ) : (
        <>
          <p>
            <label className="check">
              <input type="checkbox" checked={mine} onChange={(event) => setMine(event.target.checked)} />
              <span>{t('agency.tasks.onlyMine')}</span>
            </label>
          </p>
          {!tasks ? (
            <p className="loading">{t('app.loading')}</p>
          ) : tasks.length === 0 ? (
            <p className="empty">{t('agency.tasks.none')}</p>
          ) : (
            <TaskList tasks={tasks} onChange={replace} />
          )}
          <AddTaskForm assigneeId={user?.id} onAdded={(task) => setTasks((current) => [...(current ?? []), task])} />
        </>
      )}
    </section>
  );
}

const percent = (rate: number | null, locale: string) =>
  rate === null ? '—' : new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);

/** Horizontal bars, one per stage; hidden from screen readers, who read the same numbers in the table. */
function FunnelChart({ row, label }: { row: FunnelRow; label: string }) {
  const { t } = useTranslation();
  const max = Math.max(1, ...STAGES.map((s) => row.counts[s]));
  const barHeight = 22;
  const gap = 6;
  const labelWidth = 200;
  const width = 640;
  const height = STAGES.length * (barHeight + gap);
  return (
    <figure className="funnel-figure">
      <svg
        className="funnel-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={label}
        data-testid="funnel-chart"
      >
        {STAGES.map((stage, i) => {
          const y = i * (barHeight + gap);
          const w = ((width - labelWidth - 50) * row.counts[stage]) / max;
          return (
            <g key={stage}>
              <text x={labelWidth - 8} y={y + barHeight * 0.7} textAnchor="end">
                {t(`agency.stages.${stage}`)}
              </text>
              <rect className="bar" x={labelWidth} y={y} width={Math.max(w, 1)} height={barHeight} rx={3} />
              <text x={labelWidth + w + 6} y={y + barHeight * 0.7}>
                {row.counts[stage]}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="field-hint">{t('agency.reports.chartNote')}</figcaption>
    </figure>
  );
}

function FunnelTable({ rows, caption }: { rows: { label: string; row: FunnelRow }[]; caption: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    <div className="table-wrap">
      <table className="table" data-testid="funnel-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('agency.pipeline.stage')}</th>
            {rows.map((r) => (
              <th scope="col" key={r.label}>
                {r.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {STAGES.map((stage, i) => (
            <tr key={stage}>
              <th scope="row">{t(`agency.stages.${stage}`)}</th>
              {rows.map((r) => {
                const conversion = r.row.conversions[i - 1];
                return (
                  <td key={r.label}>
                    {r.row.counts[stage]}
                    {conversion && conversion.rate !== null && (
                      <span className="cell-note">
                        {t('agency.reports.conversion', { rate: percent(conversion.rate, locale) })}
                      </span>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReportsSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const [range, setRange] = useState<{ from?: string; to?: string }>({});
  const report = useResource(`funnel:${range.from ?? ''}:${range.to ?? ''}`, (signal) => workApi.funnel(range, signal));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const from = String(data.get('from') ?? '');
    const to = String(data.get('to') ?? '');
    setRange({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
  };

  const data = report.data;
  const rows = data
    ? [
        ...(data.total ? [{ label: t('agency.reports.total'), row: data.total }] : []),
        ...data.universities.map((u) => ({ label: pick(u.university.name, locale), row: u as FunnelRow })),
      ]
    : [];
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('agency.reports.title')}</h2>
      {isMissingRoute(report.error) ? (
        <NotAvailable />
      ) : (
        <>
          <form className="form-inline report-range" onSubmit={submit} aria-label={t('agency.reports.period')}>
            <div className="field">
              <label htmlFor={`${id}-from`}>{t('agency.reports.from')}</label>
              <input id={`${id}-from`} name="from" type="date" defaultValue={range.from ?? ''} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-to`}>{t('agency.reports.to')}</label>
              <input id={`${id}-to`} name="to" type="date" defaultValue={range.to ?? ''} />
            </div>
            <button type="submit" className="button button-secondary">
              {t('agency.reports.show')}
            </button>
          </form>
          {report.error ? (
            <LoadFailure error={report.error} notFoundKey="notFound.text" />
          ) : !data ? (
            <p className="loading">{t('app.loading')}</p>
          ) : (
            <div aria-live="polite">
              <p>
                {t('agency.reports.between', { from: data.from.slice(0, 10), to: data.to.slice(0, 10) })}{' '}
                <a href={workApi.funnelXlsxUrl(range, locale)} download data-testid="funnel-xlsx">
                  {t('agency.reports.xlsx')}
                </a>
              </p>
              {rows[0] && (
                <FunnelChart row={rows[0].row} label={t('agency.reports.chartLabel', { name: rows[0].label })} />
              )}
              {rows.length > 0 ? (
                <FunnelTable rows={rows} caption={t('agency.reports.tableCaption')} />
              ) : (
                <p className="empty">{t('agency.reports.none')}</p>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
