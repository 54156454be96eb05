/** Allocation and enrollment, for the office: seats, rules, runs, offers, confirmations, visas and orders. */
import type { TFunction } from 'i18next';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { formatDateTime } from '../../ui/dates';
import { describeError, type FormErrors, type Message } from '../../ui/errors';
import { Field, FormError, SubmitButton } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { ShortHash } from '../admissions/admission-text';
import { admissionsApi, type RunRow, type RunSummary } from '../admissions/admissions-api';
import type { Competition } from '../applications/applications-api';
import { localeOf } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { AdmissionsTable } from './admissions-table';
import { EnrollmentSettingsForm } from './enrollment-settings-form';
import { OrdersPanel } from './orders-panel';
import { SeatsEditor } from './seats-editor';
import '../admissions/admissions.css';
import './office-sections.css';

const RUN_FIELDS = ['reason'] as const;
const STATS = ['applicants', 'applications', 'proposals', 'rounds', 'ms'] as const;

function RunSummaryView({ run }: { run: RunSummary }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  return (
    <div className="notice notice-success run-summary" data-testid="run-summary">
      <p>
        <strong>{t('allocation.run.published', { seq: run.seq })}</strong>
      </p>
      <p data-testid="run-offers">
        {t('allocation.run.offers', { made: run.offersMade, withdrawn: run.offersWithdrawn })}
      </p>
      <dl className="details">
        {STATS.map((name) => (
          <div key={name}>
            <dt>{t(`allocation.run.stats.${name}`)}</dt>
            <dd data-testid={`run-stat-${name}`}>
              {typeof run.stats[name] === 'number'
                ? new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(run.stats[name])
                : '—'}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function RunForm({ slug, onRun }: { slug: string; onRun: () => void }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(RUN_FIELDS);
  const [result, setResult] = useState<RunSummary | null>(null);
  const check = (data: FormData): FormErrors =>
    textOf(data, 'reason').trim().length < 3
      ? { general: { key: 'errors.validation_failed' }, fields: { reason: { key: 'allocation.run.reasonRequired' } } }
      : { general: null, fields: {} };
  const submit = onSubmit(
    (data) => {
      setResult(null);
      return check(data);
    },
    async (data, form) => {
      try {
        setResult(await admissionsApi.run(slug, textOf(data, 'reason').trim()));
        form.reset();
      } finally {
        onRun(); // A refused run is recorded too.
      }
    },
  );
  return (
    <form ref={formRef} className="form run-form" onSubmit={submit} noValidate data-testid="run-allocation">
      <Field
        name="reason"
        label={t('allocation.run.reason')}
        hint={t('allocation.run.reasonHint')}
        error={errors.fields.reason}
        maxLength={500}
        required
      />
      <FormError error={errors.general} />
      <SubmitButton busy={busy}>{t('allocation.run.button')}</SubmitButton>
      <div role="status" aria-live="polite" data-testid="run-result">
        {result && <RunSummaryView run={result} />}
      </div>
    </form>
  );
}

function verdict(run: RunRow, t: TFunction): string {
  const ok = run.check.ok;
  const violations = Array.isArray(run.check.violations) ? run.check.violations.length : 0;
  if (ok === true) return t('allocation.runs.checkPassed');
  if (ok === false) return t('allocation.runs.checkFailed', { count: violations });
  return '—';
}

function RunsTable({ runs }: { runs: RunRow[] }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  if (runs.length === 0)
    return (
      <p className="empty" data-testid="runs-table">
        {t('allocation.runs.none')}
      </p>
    );
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" tabIndex={0} aria-labelledby="allocation-runs-title">
      <table className="table" data-testid="runs-table">
        <caption className="visually-hidden">{t('allocation.runs.title')}</caption>
        <thead>
          <tr>
            <th scope="col" className="numeric">
              {t('allocation.runs.seq')}
            </th>
            <th scope="col">{t('allocation.runs.status')}</th>
            <th scope="col">{t('allocation.runs.reason')}</th>
            <th scope="col">{t('allocation.runs.time')}</th>
            <th scope="col">{t('allocation.runs.input')}</th>
            <th scope="col">{t('allocation.runs.output')}</th>
            <th scope="col">{t('allocation.runs.check')}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => {
            const first = Array.isArray(r.check.violations) ? String(r.check.violations[0] ?? '') : '';
            return (
              <tr key={r.id} data-testid="run-row" data-status={r.status}>
                <td className="numeric">{r.seq}</td>
                <td>
                  <span
                    className={`badge ${r.status === 'published' ? 'badge-good' : r.status === 'refused' ? 'badge-bad' : 'badge-muted'}`}
                  >
                    {t(`allocation.runs.statuses.${r.status}`, { defaultValue: r.status })}
                  </span>
                </td>
                <td>{r.reason}</td>
                <td>{formatDateTime(r.createdAt, locale)}</td>
                <td>
                  <ShortHash value={r.inputSha256} />
                </td>
                <td>
                  <ShortHash value={r.outputSha256} />
                </td>
                <td title={first || undefined}>{verdict(r, t)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function CloseConfirmations({ slug, onDone }: { slug: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const close = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const answer = await admissionsApi.closeConfirmations(slug);
      setResult(
        answer.run
          ? t('allocation.close.doneRun', {
              count: answer.expired,
              seq: answer.run.seq,
              made: answer.run.offersMade,
            })
          : t('allocation.close.done', { count: answer.expired }),
      );
      onDone();
    } catch (failure) {
      setError(describeError(failure, []).general ?? { key: 'errors.generic' });
      onDone();
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };
  return (
    <div className="close-confirmations">
      <p className="field-hint">{t('allocation.close.hint')}</p>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => setOpen(true)}
        data-testid="close-confirmations"
      >
        {t('allocation.close.button')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('allocation.close.title')}
        confirmLabel={t('allocation.close.confirm')}
        danger
        busy={busy}
        onConfirm={() => void close()}
        onCancel={() => setOpen(false)}
        testId="close-dialog"
      >
        <p>{t('allocation.close.text')}</p>
      </ConfirmDialog>
      <FormError error={error} />
      <p className="verdict-status" role="status" aria-live="polite" data-testid="close-result">
        {result}
      </p>
    </div>
  );
}

export function AllocationSection({ slug, competitions }: { slug: string; competitions: Competition[] }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const officer = user?.role === 'officer';
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((n) => n + 1), []);
  const runs = useResource(`${slug}:${version}`, (signal) => admissionsApi.runs(slug, signal));
  const settings = useResource(officer ? slug : null, (signal) => admissionsApi.settings(slug, signal));
  const lists = useResource(`${slug}:${version}`, (signal) => admissionsApi.lists(slug, signal));
  const published = new Map((lists.data?.competitions ?? []).map((c) => [c.id, c.capacity]));

  return (
    <section className="panel office-section" aria-labelledby="allocation-title" id="allocation">
      <h2 id="allocation-title">{t('allocation.title')}</h2>
      <p className="field-hint">{t('allocation.lead')}</p>
      <p>
        <Link href={`/lists/${encodeURIComponent(slug)}`} data-testid="office-lists-link">
          {t('allocation.publicLists')}
        </Link>
      </p>

      {officer && (
        <>
          <h3>{t('allocation.seats.title')}</h3>
          <SeatsEditor slug={slug} competitions={competitions} published={published} />

          <h3>{t('allocation.settings.title')}</h3>
          {settings.error ? (
            <FormError error={describeError(settings.error, []).general} />
          ) : settings.data ? (
            <EnrollmentSettingsForm slug={slug} settings={settings.data} />
          ) : (
            <p className="loading">{t('app.loading')}</p>
          )}

          <h3>{t('allocation.run.title')}</h3>
          <RunForm slug={slug} onRun={reload} />
        </>
      )}

      <h3 id="allocation-runs-title">{t('allocation.runs.title')}</h3>
      {runs.error ? (
        <FormError error={describeError(runs.error, []).general} />
      ) : runs.data ? (
        <RunsTable runs={runs.data.items} />
      ) : (
        <p className="loading">{t('app.loading')}</p>
      )}

      <h3 id="allocation-admissions-title">{t('allocation.admissions.title')}</h3>
      {officer && <CloseConfirmations slug={slug} onDone={reload} />}
      <AdmissionsTable slug={slug} version={version} officer={officer} onChanged={reload} />

      {officer && (
        <>
          <h3 id="allocation-orders-title">{t('allocation.orders.title')}</h3>
          <OrdersPanel slug={slug} competitions={competitions} version={version} onChanged={reload} />
        </>
      )}
    </section>
  );
}
