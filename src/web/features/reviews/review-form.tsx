/** The rubric as a form: pre-filled values, reasons for corrections, a comment, the live total, submission. */
import { type Dispatch, type SetStateAction, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from '../../ui/errors';
import { FormError, Success } from '../../ui/form';
import { useForm } from '../../ui/use-form';
import { localeOf } from '../catalog/format';
import { CriterionField } from './criterion-field';
import { FileStatusNotice } from './file-status';
import { provenanceText } from './provenance';
import { type FileStatus, type ReviewFile, reviewsApi } from './reviews-api';
import { type Draft, formatNumber, inputsOf, isCorrection, scoreCriterion, totalOf } from './score-model';

export function ReviewForm({
  file,
  draft,
  setDraft,
  onSubmitted,
}: {
  file: ReviewFile;
  draft: Draft;
  setDraft: Dispatch<SetStateAction<Draft>>;
  onSubmitted: (status: FileStatus) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const commentId = useId();
  const { rubric, prescore } = file;
  const fieldNames = useMemo(
    () => [...rubric.criteria.flatMap((c) => [`inputs.${c.id}`, `reasons.${c.id}`]), 'comment'],
    [rubric],
  );
  const { formRef, busy, errors, onSubmit } = useForm(fieldNames);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [comment, setComment] = useState(file.comment ?? '');
  const [result, setResult] = useState<FileStatus | null>(null);
  const [submissions, setSubmissions] = useState(0);

  const inputs = inputsOf(rubric, draft);
  const total = totalOf(rubric, draft);
  const corrected = (id: string) => isCorrection(prescore.inputs, id, inputs[id] ?? null);

  const check = (): FormErrors => {
    const fields: FormErrors['fields'] = {};
    for (const c of rubric.criteria) {
      const input = inputs[c.id] ?? null;
      if (c.kind === 'banded' && scoreCriterion(c, input).invalid) {
        fields[`inputs.${c.id}`] = {
          key: 'reviews.form.outOfRangeError',
          values: { min: formatNumber(c.min, locale), max: formatNumber(c.max, locale) },
        };
      }
      if (corrected(c.id) && !reasons[c.id]?.trim()) fields[`reasons.${c.id}`] = { key: 'fieldErrors.reason_required' };
    }
    return Object.keys(fields).length > 0
      ? { general: { key: 'errors.validation_failed' }, fields }
      : { general: null, fields };
  };

  const submit = onSubmit(check, async () => {
    setResult(null);
    const sentReasons = Object.fromEntries(
      rubric.criteria.filter((c) => corrected(c.id)).map((c) => [c.id, reasons[c.id]?.trim() ?? '']),
    );
    const status = await reviewsApi.submit(file.id, {
      inputs,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(Object.keys(sentReasons).length > 0 ? { reasons: sentReasons } : {}),
    });
    setResult(status);
    setSubmissions((n) => n + 1);
    onSubmitted(status);
  });

  return (
    <form ref={formRef} className="form review-form" onSubmit={submit} noValidate data-testid="review-form">
      <p className="field-hint">{t('reviews.form.lead')}</p>
      {rubric.criteria.map((c) => (
        <CriterionField
          key={c.id}
          criterion={c}
          value={draft[c.id] ?? null}
          input={inputs[c.id] ?? null}
          onChange={(value) =>
            setDraft((current) => {
              // Unticking a yes/no the pre-score left empty gives it back as "not given", not as a correction.
              const next = c.kind === 'yes_no' && value === false && prescore.inputs[c.id] == null ? null : value;
              return { ...current, [c.id]: next };
            })
          }
          provenance={provenanceText(prescore.provenance[c.id], t, locale)}
          corrected={corrected(c.id)}
          reason={reasons[c.id] ?? ''}
          onReason={(reason) => setReasons((current) => ({ ...current, [c.id]: reason }))}
          inputError={errors.fields[`inputs.${c.id}`]}
          reasonError={errors.fields[`reasons.${c.id}`]}
          disabled={busy}
        />
      ))}
      <div className="field">
        <label htmlFor={commentId}>{t('reviews.form.comment')}</label>
        <textarea
          id={commentId}
          name="comment"
          rows={4}
          maxLength={4000}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          aria-describedby={`${commentId}-hint`}
        />
        <p className="field-hint" id={`${commentId}-hint`}>
          {t('reviews.form.commentHint')}
        </p>
      </div>
      <div className="review-total-bar">
        <p className="review-total" data-testid="review-total" role="status" aria-live="polite" aria-atomic="true">
          {t('reviews.form.total', {
            total: formatNumber(total, locale),
            maximum: formatNumber(rubric.maximum, locale),
          })}
        </p>
        <button
          type="submit"
          className="button button-primary"
          disabled={busy}
          aria-busy={busy || undefined}
          data-testid="submit-review"
        >
          {file.status === 'submitted' || result ? t('reviews.form.resubmit') : t('reviews.form.submit')}
        </button>
      </div>
      <FormError error={errors.general} />
      {result && (
        <Success key={submissions}>
          <p>{t('reviews.form.saved')}</p>
        </Success>
      )}
      {result && <FileStatusNotice status={result} maximum={rubric.maximum} />}
    </form>
  );
}
