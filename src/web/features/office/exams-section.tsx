/** The campaign's entrance exams, for the office: the plan (from a preset), the sittings, the results. */
import { useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { useSession } from '../../app/session';
import { formatDateTime } from '../../ui/dates';
import { describeError, type Message } from '../../ui/errors';
import { FormError } from '../../ui/form';
import type { CampaignWindow } from '../applications/applications-api';
import { localeOf, pick, Source } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { EXAM_PRESETS, type ExamPlan, examsApi, passMark } from '../exams/exams-api';
import { formatNumber } from '../reviews/score-model';
import { ExamSessions } from './exam-sessions';
import './office-sections.css';

function PlanTable({ plan }: { plan: ExamPlan }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const list = (options: { title: { en: string; ru: string } }[]) =>
    options.map((o) => pick(o.title, locale)).join(', ');
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" tabIndex={0} aria-labelledby="exam-plan-title">
      <table className="table" data-testid="exam-plan">
        <caption className="visually-hidden">{t('office.exams.plan')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('office.exams.exam')}</th>
            <th scope="col">{t('office.exams.options')}</th>
            <th scope="col">{t('office.exams.passMark')}</th>
            <th scope="col" className="numeric">
              {t('office.exams.retakes')}
            </th>
          </tr>
        </thead>
        <tbody>
          {plan.slots.map((s) => (
            <tr key={s.id} data-testid={`plan-${s.id}`}>
              <th scope="row">
                {pick(s.title, locale)}
                {t(`exams.kind.${s.kind}`) !== pick(s.title, locale) && (
                  <div className="field-hint">{t(`exams.kind.${s.kind}`)}</div>
                )}
              </th>
              <td>
                <div>{t('office.exams.local', { options: list(s.options.local) })}</div>
                <div>{t('office.exams.foreign', { options: list(s.options.foreign) })}</div>
              </td>
              <td>
                {t('office.exams.passOf', {
                  mark: formatNumber(passMark(s), locale),
                  max: formatNumber(s.maxScore, locale),
                  percent: formatNumber(s.passPercent, locale),
                })}
              </td>
              <td className="numeric">{s.retakes}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PlanPreset({ slug, hasPlan, onApplied }: { slug: string; hasPlan: boolean; onApplied: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [preset, setPreset] = useState<string>(EXAM_PRESETS[0]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      await examsApi.applyPreset(slug, preset);
      setConfirming(false);
      setDone(t('office.exams.applied', { preset: t(`office.exams.presets.${preset}`) }));
      onApplied();
    } catch (failure) {
      setError(describeError(failure, ['preset']).general ?? { key: 'errors.generic' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="preset-picker" data-testid="apply-exam-preset">
      <div className="field">
        <label htmlFor={id}>{t('office.exams.preset')}</label>
        <div className="search-row">
          <select id={id} name="exam-preset" value={preset} onChange={(event) => setPreset(event.target.value)}>
            {EXAM_PRESETS.map((p) => (
              <option key={p} value={p}>
                {t(`office.exams.presets.${p}`)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-secondary"
            disabled={busy}
            onClick={() => (hasPlan ? setConfirming(true) : void apply())}
            data-testid="apply-exam-preset-button"
          >
            {t('office.exams.apply')}
          </button>
        </div>
      </div>
      {confirming && (
        <div className="notice notice-info confirm-box">
          <p>
            <strong>{t('office.exams.confirmTitle')}</strong>
          </p>
          <p>{t('office.exams.confirmReplace')}</p>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              onClick={() => void apply()}
              data-testid="apply-exam-preset-confirm"
            >
              {t('office.exams.confirm')}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
              {t('office.scoring.cancel')}
            </button>
          </div>
        </div>
      )}
      <FormError error={error} />
      <p className="verdict-status" role="status" aria-live="polite">
        {done}
      </p>
    </div>
  );
}

export function ExamsSection({ slug, windows }: { slug: string; windows: CampaignWindow[] }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const officer = user?.role === 'officer';
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((n) => n + 1), []);
  const plan = useResource(`${slug}:${version}`, (signal) => examsApi.plan(slug, signal));
  const examWindows = windows.filter((w) => w.kind === 'exams');
  const data = plan.data;

  return (
    <section className="panel office-section" aria-labelledby="exams-title" id="exams">
      <h2 id="exams-title">{t('office.exams.title')}</h2>
      {examWindows.map((w) => (
        <p key={`${w.opens}:${w.closes}`} data-testid="exam-window">
          {w.yearRound
            ? t('office.exams.windowYearRound')
            : t('office.exams.window', {
                opens: w.opens ? formatDateTime(w.opens, locale) : '…',
                closes: w.closes ? formatDateTime(w.closes, locale) : '…',
              })}{' '}
          <Source source={w.source} />
        </p>
      ))}
      {plan.error ? (
        <FormError error={describeError(plan.error, []).general} />
      ) : !data ? (
        <p className="loading">{t('app.loading')}</p>
      ) : (
        <>
          <h3 id="exam-plan-title">{t('office.exams.plan')}</h3>
          {data.plan ? (
            <>
              <PlanTable plan={data.plan} />
              <p>
                <Source source={data.plan.source} />
              </p>
            </>
          ) : (
            <p className="empty">{t('office.exams.noPlan')}</p>
          )}
          {officer && <PlanPreset slug={slug} hasPlan={data.plan !== null} onApplied={reload} />}
          {data.plan && (
            <>
              <h3>{t('office.exams.sessions.title')}</h3>
              <ExamSessions
                slug={slug}
                slots={data.plan.slots}
                sessions={data.sessions}
                officer={officer}
                onChanged={reload}
              />
              <h3>{t('office.exams.results')}</h3>
              <p>
                <Link
                  href={`/office/campaigns/${encodeURIComponent(slug)}/exam-results`}
                  data-testid="exam-results-link"
                >
                  {t(officer ? 'office.exams.openGrid' : 'office.exams.openResults')}
                </Link>
              </p>
            </>
          )}
        </>
      )}
    </section>
  );
}
