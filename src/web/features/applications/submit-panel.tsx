/** Submitting (once, safely retried with the same Idempotency-Key), the receipt, and withdrawing. */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { formatDateTime } from '../../ui/dates';
import { describeError, type Message } from '../../ui/errors';
import { FormError } from '../../ui/form';
import { localeOf } from '../catalog/format';
import { type ApplicationView, applicationsApi, newIdempotencyKey, type Receipt } from './applications-api';

/** Proof of submission: number, the server's time, and the SHA-256 of the dossier snapshot submitted. */
export function ReceiptView({
  receipt,
  autoFocus = false,
}: {
  receipt: Pick<Receipt, 'number' | 'submittedAt' | 'snapshotSha256'>;
  /** Just received: take the focus so keyboard and screen-reader users land on it. */
  autoFocus?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);
  return (
    <div className="receipt notice notice-success" data-testid="receipt" role="status" tabIndex={-1} ref={ref}>
      <p>
        <strong>{t('applications.receipt.title')}</strong>
      </p>
      <dl className="details">
        <div>
          <dt>{t('applications.receipt.number')}</dt>
          <dd data-testid="receipt-number">{receipt.number}</dd>
        </div>
        <div>
          <dt>{t('applications.receipt.submittedAt')}</dt>
          <dd>
            {formatDateTime(receipt.submittedAt, locale)}
            <br />
            <span className="field-hint">
              {t('applications.serverTime')} <code data-testid="receipt-time">{receipt.submittedAt}</code>
            </span>
          </dd>
        </div>
        <div className="receipt-hash">
          <dt>{t('applications.receipt.sha256')}</dt>
          <dd>
            <code data-testid="receipt-sha256">{receipt.snapshotSha256}</code>
          </dd>
        </div>
      </dl>
      <p className="field-hint">{t('applications.receipt.keep')}</p>
    </div>
  );
}

/** Why submitting is not possible yet, in the order the applicant would fix things. */
function blocker(view: ApplicationView, dirty: boolean): string | null {
  if (view.choices.length === 0) return 'applications.submit.noChoices';
  if (dirty) return 'applications.submit.unsaved';
  if (view.choices.some((c) => c.window.state !== 'open')) return 'applications.submit.windowClosed';
  if (view.choices.some((c) => !c.complete)) return 'applications.submit.incomplete';
  return null;
}

export function SubmitPanel({
  view,
  dirty,
  onChanged,
}: {
  view: ApplicationView;
  dirty: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const reasonId = useId();
  const slug = view.campaign.slug;
  // One key per attempt: a retry after a lost answer sends the same key and gets the same receipt.
  const attempt = useRef<string | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const status = view.application?.status ?? 'draft';

  const submit = async () => {
    attempt.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      setReceipt(await applicationsApi.submit(slug, attempt.current));
      attempt.current = null;
      onChanged();
    } catch (failure) {
      const retriable = failure instanceof ApiError && (failure.status === 0 || failure.status >= 500);
      if (!retriable) attempt.current = null;
      setError(
        retriable
          ? { key: 'applications.submit.retry' }
          : (describeError(failure, []).general ?? { key: 'errors.generic' }),
      );
      if (!retriable) onChanged();
    } finally {
      setBusy(false);
    }
  };

  const withdraw = async () => {
    setBusy(true);
    setError(null);
    try {
      await applicationsApi.withdraw(slug, reason);
      setConfirming(false);
      setReceipt(null);
      onChanged();
    } catch (failure) {
      setError(describeError(failure, []).general ?? { key: 'errors.generic' });
    } finally {
      setBusy(false);
    }
  };

  const a = view.application;
  const shown =
    receipt ??
    (a?.status === 'submitted' && a.number && a.submittedAt && a.snapshotSha256
      ? { number: a.number, submittedAt: a.submittedAt, snapshotSha256: a.snapshotSha256 }
      : null);
  const windowsOpen = view.choices.length > 0 && view.choices.every((c) => c.window.state === 'open');

  if (status === 'withdrawn') {
    return (
      <p className="notice notice-info" data-testid="withdrawn-notice">
        {t('applications.withdrawn')}
      </p>
    );
  }
  if (status === 'submitted' || receipt) {
    return (
      <div className="submit-panel">
        {shown && <ReceiptView receipt={shown} autoFocus={receipt !== null} />}
        <p>{windowsOpen ? t('applications.afterSubmit') : t('applications.afterSubmitClosed')}</p>
        <FormError error={error} />
        {windowsOpen &&
          (confirming ? (
            <div className="withdraw-confirm panel">
              <div className="field">
                <label htmlFor={reasonId}>{t('applications.withdraw.reason')}</label>
                <textarea
                  id={reasonId}
                  name="reason"
                  rows={3}
                  maxLength={1000}
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                />
              </div>
              <p>{t('applications.withdraw.warning')}</p>
              <div className="actions">
                <button
                  type="button"
                  className="button button-danger"
                  onClick={withdraw}
                  disabled={busy}
                  data-testid="confirm-withdraw"
                >
                  {t('applications.withdraw.confirm')}
                </button>
                <button type="button" className="button button-quiet" onClick={() => setConfirming(false)}>
                  {t('applications.withdraw.cancel')}
                </button>
              </div>
            </div>
          ) : (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setConfirming(true)}
              data-testid="withdraw"
            >
              {t('applications.withdraw.start')}
            </button>
          ))}
      </div>
    );
  }

  const why = blocker(view, dirty);
  return (
    <div className="submit-panel">
      <p id={`${reasonId}-why`} className={why ? 'field-hint' : ''} data-testid="submit-state">
        {why ? t(why) : t('applications.submit.ready')}
      </p>
      <FormError error={error} />
      <button
        type="button"
        className="button button-primary"
        onClick={submit}
        disabled={busy || why !== null}
        aria-busy={busy || undefined}
        aria-describedby={`${reasonId}-why`}
        data-testid="submit-application"
      >
        {busy
          ? t('applications.submit.busy')
          : error && attempt.current
            ? t('applications.submit.again')
            : t('applications.submit.button')}
      </button>
    </div>
  );
}
