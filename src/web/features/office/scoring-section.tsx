/** The campaign's portfolio scoring, for the office: rubric and presets, review settings, readers, progress. */
import { useCallback, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { describeError, type Message } from '../../ui/errors';
import { FormError } from '../../ui/form';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';
import { type ReviewerProgress, reviewsApi } from '../reviews/reviews-api';
import { ReviewSettingsForm } from './review-settings-form';
import { RubricTable } from './rubric-table';
import './office-sections.css';

function PresetPicker({ slug, version, onApplied }: { slug: string; version: number | null; onApplied: () => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const presets = useResource('rubric-presets', (signal) => reviewsApi.presets(signal));
  const [preset, setPreset] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const chosen = preset || presets.data?.items[0]?.slug || '';

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await reviewsApi.applyPreset(slug, chosen);
      setConfirming(false);
      setDone(t('office.scoring.applied', { version: result.version }));
      onApplied();
    } catch (failure) {
      setError(describeError(failure, ['preset']).general ?? { key: 'errors.generic' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="preset-picker" data-testid="apply-preset">
      <div className="field">
        <label htmlFor={id}>{t('office.scoring.preset')}</label>
        <div className="search-row">
          <select id={id} name="preset" value={chosen} onChange={(event) => setPreset(event.target.value)}>
            {(presets.data?.items ?? []).map((p) => (
              <option key={p.slug} value={p.slug}>
                {pick(p.title, locale)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-secondary"
            disabled={!chosen || busy}
            onClick={() => {
              setDone(null);
              setConfirming(true);
              requestAnimationFrame(() => confirmRef.current?.focus());
            }}
          >
            {t('office.scoring.apply')}
          </button>
        </div>
      </div>
      {confirming && (
        <div className="notice notice-info confirm-box" tabIndex={-1} ref={confirmRef}>
          <p>
            <strong>{t('office.scoring.confirmTitle')}</strong>
          </p>
          <p>
            {version === null
              ? t('office.scoring.confirmFirst')
              : t('office.scoring.confirmReplace', { version, next: version + 1 })}
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              disabled={busy}
              aria-busy={busy || undefined}
              onClick={() => void apply()}
              data-testid="apply-preset-confirm"
            >
              {t('office.scoring.confirm')}
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

function ProgressTable({ items }: { items: ReviewerProgress[] }) {
  const { t } = useTranslation();
  if (items.length === 0)
    return (
      <p className="empty" data-testid="review-progress">
        {t('office.scoring.noProgress')}
      </p>
    );
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
    <section className="table-wrap" tabIndex={0} aria-labelledby="scoring-progress">
      <table className="table" data-testid="review-progress">
        <caption className="visually-hidden">{t('office.scoring.progress')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('office.scoring.reviewer')}</th>
            <th scope="col">{t('office.scoring.role')}</th>
            <th scope="col" className="numeric">
              {t('office.scoring.assigned')}
            </th>
            <th scope="col" className="numeric">
              {t('office.scoring.submitted')}
            </th>
            <th scope="col" className="numeric">
              {t('office.scoring.left')}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={`${p.reviewerId}:${p.role}`} data-testid={`progress-${p.reviewerId}`}>
              <td>{p.name}</td>
              <td>{t(`reviews.roles.${p.role}`)}</td>
              <td className="numeric">{p.assigned}</td>
              <td className="numeric">{p.submitted}</td>
              <td className="numeric">{p.assigned - p.submitted}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ScoringSection({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const officer = user?.role === 'officer';
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((n) => n + 1), []);
  const rubric = useResource(`${slug}:${version}`, (signal) => reviewsApi.rubric(slug, signal));
  const progress = useResource(`${slug}:${version}`, (signal) => reviewsApi.progress(slug, signal));
  const [assigning, setAssigning] = useState(false);
  const [assigned, setAssigned] = useState<Message | null>(null);
  const [assignError, setAssignError] = useState<Message | null>(null);

  const assign = async () => {
    setAssigning(true);
    setAssigned(null);
    setAssignError(null);
    try {
      const result = await reviewsApi.assign(slug);
      setAssigned({
        key: 'office.scoring.assignedCount',
        values: { count: result.assigned, applications: result.applications },
      });
      reload();
    } catch (failure) {
      setAssignError(describeError(failure, []).general ?? { key: 'errors.generic' });
    } finally {
      setAssigning(false);
    }
  };

  const current = rubric.data;
  return (
    <section className="panel office-section" aria-labelledby="scoring-title" id="scoring">
      <h2 id="scoring-title">{t('office.scoring.title')}</h2>
      <p className="field-hint">{t('office.scoring.lead')}</p>
      {rubric.error ? (
        <FormError error={describeError(rubric.error, []).general} />
      ) : !current ? (
        <p className="loading">{t('app.loading')}</p>
      ) : (
        <>
          <h3>{t('office.scoring.rubric')}</h3>
          {current.rubric ? (
            <>
              <p data-testid="rubric-version">
                {t('office.scoring.current', { title: pick(current.rubric.title, locale), version: current.version })}
              </p>
              <RubricTable rubric={current.rubric} />
            </>
          ) : (
            <p className="empty">{t('office.scoring.noRubric')}</p>
          )}
          {officer && <PresetPicker slug={slug} version={current.version} onApplied={reload} />}

          <h3>{t('office.scoring.settings.title')}</h3>
          {officer && !(progress.data || progress.error) ? (
            <p className="loading">{t('app.loading')}</p>
          ) : officer ? (
            <ReviewSettingsForm slug={slug} settings={current.settings} people={progress.data?.items ?? []} />
          ) : (
            <p>
              {t('office.scoring.settings.summary', {
                readers: current.settings.readersRequired,
                threshold: current.settings.reconciliationThreshold,
              })}
            </p>
          )}
        </>
      )}

      <h3 id="scoring-progress">{t('office.scoring.progress')}</h3>
      {officer && (
        <div className="assign-row">
          <button
            type="button"
            className="button button-primary"
            disabled={assigning}
            aria-busy={assigning || undefined}
            onClick={() => void assign()}
            data-testid="assign-readers"
          >
            {t('office.scoring.assign')}
          </button>
          <p className="field-hint">{t('office.scoring.assignHint')}</p>
        </div>
      )}
      <FormError error={assignError} />
      <p className="verdict-status" role="status" aria-live="polite" data-testid="assign-result">
        {assigned && t(assigned.key, assigned.values)}
      </p>
      {progress.error ? (
        <FormError error={describeError(progress.error, []).general} />
      ) : progress.data ? (
        <ProgressTable items={progress.data.items} />
      ) : (
        <p className="loading">{t('app.loading')}</p>
      )}
    </section>
  );
}
