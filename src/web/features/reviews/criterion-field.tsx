/** One criterion of the rubric as an input: a number with its band, a yes/no checkbox, or one option of a group. */
import type { TFunction } from 'i18next';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import type { Message } from '../../ui/errors';
import { localeOf, pick, Source } from '../catalog/format';
import type { Criterion, ScoreInput } from './reviews-api';
import { bestPoints, type CriterionScore, formatNumber, NONE, scoreCriterion } from './score-model';

export interface CriterionFieldProps {
  criterion: Criterion;
  value: string | boolean | null;
  input: ScoreInput;
  onChange: (value: string | boolean | null) => void;
  /** Why the pre-score is what it is, in words. */
  provenance: string;
  /** The value differs from the pre-score: a reason is asked for. */
  corrected: boolean;
  reason: string;
  onReason: (reason: string) => void;
  inputError?: Message | undefined;
  reasonError?: Message | undefined;
  disabled?: boolean;
}

/** "4.49 → 35 points, band 4.0–4.5", "below the lowest band → 0 points". */
export function bandText(c: Criterion, input: ScoreInput, score: CriterionScore, t: TFunction, locale: Locale) {
  if (c.kind !== 'banded')
    return t('reviews.form.points', { count: score.points, points: formatNumber(score.points, locale) });
  if (input === null) return t('reviews.form.empty');
  if (score.invalid) {
    return t('reviews.form.outOfRange', { min: formatNumber(c.min, locale), max: formatNumber(c.max, locale) });
  }
  const value = formatNumber(input as number, locale);
  if (score.below) return t('reviews.form.below', { value });
  if (score.above) return t('reviews.form.above', { value });
  const band = score.band;
  const from = band ? formatNumber(band.from, locale, 1) : '';
  const points = formatNumber(score.points, locale);
  if (band?.to === null) return t('reviews.form.bandOpen', { value, points, count: score.points, from });
  return t('reviews.form.band', {
    value,
    points,
    count: score.points,
    from,
    to: formatNumber(band?.to ?? 0, locale, 1),
  });
}

function ErrorLine({ id, error }: { id: string; error: Message | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p className="field-error" id={id}>
      {t(error.key, error.values)}
    </p>
  );
}

export function CriterionField(props: CriterionFieldProps) {
  const { criterion: c, value, input, onChange, provenance, corrected, reason, onReason, disabled } = props;
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const score = scoreCriterion(c, input);
  const label = pick(c.label, locale);
  const max = formatNumber(bestPoints(c), locale);
  const described = (...ids: (string | false)[]) => ids.filter(Boolean).join(' ') || undefined;
  const inputInvalid = Boolean(props.inputError) || score.invalid;

  let control: ReactNode;
  if (c.kind === 'banded') {
    control = (
      <div className="field">
        <label htmlFor={`${id}-input`}>{label}</label>
        <input
          id={`${id}-input`}
          name={`inputs.${c.id}`}
          type="number"
          inputMode="decimal"
          step="0.01"
          min={c.min}
          max={c.max}
          value={typeof value === 'string' ? value : ''}
          disabled={disabled}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={inputInvalid || undefined}
          aria-describedby={described(props.inputError !== undefined && `${id}-error`, `${id}-result`, `${id}-why`)}
        />
      </div>
    );
  } else if (c.kind === 'yes_no') {
    control = (
      <label className="check criterion-check">
        <input
          type="checkbox"
          name={`inputs.${c.id}`}
          checked={value === true}
          disabled={disabled}
          onChange={(event) => onChange(event.target.checked)}
          aria-invalid={props.inputError ? true : undefined}
          aria-describedby={described(props.inputError !== undefined && `${id}-error`, `${id}-result`, `${id}-why`)}
        />
        <span>{label}</span>
      </label>
    );
  } else {
    const chosen = typeof value === 'string' ? value : NONE;
    control = (
      <fieldset
        className="criterion-options"
        aria-describedby={described(props.inputError !== undefined && `${id}-error`, `${id}-result`, `${id}-why`)}
      >
        <legend>{label}</legend>
        {[...c.options.map((o) => ({ id: o.id, text: pick(o.label, locale), points: o.points })), null].map((o) => (
          <label key={o?.id ?? NONE} className="check">
            <input
              type="radio"
              name={`inputs.${c.id}`}
              value={o?.id ?? NONE}
              checked={chosen === (o?.id ?? NONE)}
              disabled={disabled}
              aria-invalid={props.inputError ? true : undefined}
              onChange={() => onChange(o?.id ?? NONE)}
            />
            <span>
              {o
                ? t('reviews.form.option', { label: o.text, points: formatNumber(o.points, locale) })
                : t('reviews.form.none')}
            </span>
          </label>
        ))}
      </fieldset>
    );
  }

  return (
    <div className={`criterion criterion-${c.kind}`} data-testid={`criterion-${c.id}`} data-points={score.points}>
      {control}
      <p className="criterion-result" id={`${id}-result`}>
        <strong>{bandText(c, input, score, t, locale)}</strong>{' '}
        <span className="field-hint">{t('reviews.form.ofMax', { max })}</span>
      </p>
      <ErrorLine id={`${id}-error`} error={props.inputError} />
      <p className="field-hint criterion-why" id={`${id}-why`}>
        {t('reviews.form.prefilled', { why: provenance })} <Source source={c.source} />
      </p>
      {corrected && (
        <div className="field criterion-reason">
          <label htmlFor={`${id}-reason`}>{t('reviews.form.reason')}</label>
          <input
            id={`${id}-reason`}
            name={`reasons.${c.id}`}
            value={reason}
            maxLength={1000}
            required
            disabled={disabled}
            onChange={(event) => onReason(event.target.value)}
            aria-invalid={props.reasonError ? true : undefined}
            aria-describedby={described(props.reasonError !== undefined && `${id}-reason-error`, `${id}-reason-hint`)}
          />
          <p className="field-hint" id={`${id}-reason-hint`}>
            {t('reviews.form.reasonHint')}
          </p>
          <ErrorLine id={`${id}-reason-error`} error={props.reasonError} />
        </div>
      )}
    </div>
  );
}
