/** The applicant's offer: confirm the place (consent, contract), decline it, prepayment and visa, the order. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { formatDateTime } from '../../ui/dates';
import { describeError, type FormErrors, type Message } from '../../ui/errors';
import { FormError, SubmitButton } from '../../ui/form';
import { useForm } from '../../ui/use-form';
import { localeOf, pick } from '../catalog/format';
import { ServerTime } from './admission-text';
import { admissionsApi, type MyAdmission } from './admissions-api';
import { VisaPanel } from './visa-panel';

const FIELDS = ['consent', 'acceptContract'] as const;

function ConfirmForm({ admission, onChanged }: { admission: MyAdmission; onChanged: (done: string) => void }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const paid = admission.funding === 'contract';
  const check = (data: FormData): FormErrors => {
    const fields: FormErrors['fields'] = {};
    if (data.get('consent') !== 'on') fields.consent = { key: 'fieldErrors.consent_required' };
    if (paid && data.get('acceptContract') !== 'on') fields.acceptContract = { key: 'fieldErrors.contract_required' };
    return Object.keys(fields).length > 0
      ? { general: { key: 'errors.validation_failed' }, fields }
      : { general: null, fields };
  };
  const submit = onSubmit(check, async (data) => {
    const result = await admissionsApi.confirm(admission.id, {
      consent: data.get('consent') === 'on',
      ...(paid ? { acceptContract: data.get('acceptContract') === 'on' } : {}),
    });
    onChanged(result.status === 'confirmed' ? 'admission.done.confirmed' : 'admission.done.consented');
  });
  const box = (name: 'consent' | 'acceptContract', label: string) => {
    const id = `${name}-${admission.id}`;
    const error = errors.fields[name];
    return (
      <div className="field">
        <div className="offer-check">
          <input
            type="checkbox"
            id={id}
            name={name}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            data-testid={`offer-${name}`}
          />
          <label htmlFor={id}>{label}</label>
        </div>
        {error && (
          <p className="field-error" id={`${id}-error`}>
            {t(error.key, error.values)}
          </p>
        )}
      </div>
    );
  };
  return (
    <form ref={formRef} className="form offer-confirm" onSubmit={submit} noValidate data-testid="offer-confirm-form">
      {box('consent', t('admission.offer.consent'))}
      {paid && box('acceptContract', t('admission.offer.acceptContract'))}
      <FormError error={errors.general} />
      <SubmitButton busy={busy}>{t('admission.offer.confirm')}</SubmitButton>
    </form>
  );
}

function Decline({ admission, onChanged }: { admission: MyAdmission; onChanged: (done: string) => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const decline = async () => {
    setBusy(true);
    setError(null);
    try {
      await admissionsApi.decline(admission.id);
      setOpen(false);
      onChanged('admission.done.declined');
    } catch (failure) {
      setOpen(false);
      setError(describeError(failure, []).general ?? { key: 'errors.generic' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="offer-decline">
      <FormError error={error} />
      <button type="button" className="button button-quiet" onClick={() => setOpen(true)} data-testid="offer-decline">
        {t('admission.offer.decline')}
      </button>
      <ConfirmDialog
        open={open}
        title={t('admission.offer.declineTitle')}
        confirmLabel={t('admission.offer.declineConfirm')}
        danger
        busy={busy}
        onConfirm={() => void decline()}
        onCancel={() => setOpen(false)}
        testId="decline-dialog"
      >
        <p>{t('admission.offer.declineText', { program: pick(admission.program, locale) })}</p>
      </ConfirmDialog>
    </div>
  );
}

export function OfferCard({ admission, onChanged }: { admission: MyAdmission; onChanged: (done: string) => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const paid = admission.funding === 'contract';
  const active = ['offered', 'confirmed', 'enrolled'].includes(admission.status);
  const awaitingConsent = admission.status === 'offered' && !admission.consentAt;
  return (
    <article
      className="panel offer-card"
      aria-labelledby={`offer-title-${admission.id}`}
      data-testid="offer-card"
      data-status={admission.status}
    >
      <h3 id={`offer-title-${admission.id}`}>{t('admission.offer.title')}</h3>
      <dl className="details">
        <div>
          <dt>{t('admission.offer.program')}</dt>
          <dd data-testid="offer-program">{pick(admission.program, locale)}</dd>
        </div>
        <div>
          <dt>{t('admission.offer.funding')}</dt>
          <dd>{t(`catalog.enums.funding.${admission.funding}`)}</dd>
        </div>
        <div>
          <dt>{t('admission.offer.status')}</dt>
          <dd>
            <span
              className={`badge ${active ? 'badge-good' : 'badge-muted'}`}
              data-testid="offer-status"
              data-status={admission.status}
            >
              {t(`admission.status.${admission.status}`)}
            </span>
          </dd>
        </div>
        {admission.status === 'offered' && (
          <div>
            <dt>{t('admission.offer.confirmBy')}</dt>
            <dd>
              <ServerTime iso={admission.confirmBy} testId="offer-confirm-by" />
            </dd>
          </div>
        )}
        {admission.orderNumber && (
          <div>
            <dt>{t('admission.offer.order')}</dt>
            <dd data-testid="offer-order">{admission.orderNumber}</dd>
          </div>
        )}
      </dl>

      {admission.consentAt && (
        <p data-testid="offer-consent">
          {t('admission.offer.consented', { date: formatDateTime(admission.consentAt, locale) })}
        </p>
      )}
      {paid && active && (
        <p className={admission.prepaymentConfirmedAt ? '' : 'notice notice-info'} data-testid="offer-prepayment">
          {admission.prepaymentConfirmedAt
            ? t('admission.offer.prepaymentConfirmed', {
                date: formatDateTime(admission.prepaymentConfirmedAt, locale),
              })
            : t('admission.offer.prepaymentNote')}
        </p>
      )}
      {admission.status === 'confirmed' && <p>{t('admission.offer.confirmedNote')}</p>}
      {admission.status === 'enrolled' && <p>{t('admission.offer.enrolledNote')}</p>}
      {!active && <p>{t(`admission.offer.closed.${admission.status}`)}</p>}

      {awaitingConsent && <ConfirmForm admission={admission} onChanged={onChanged} />}
      {(admission.status === 'offered' || admission.status === 'confirmed') && (
        <Decline admission={admission} onChanged={onChanged} />
      )}
      {active && admission.needsVisa && <VisaPanel admission={admission} onChanged={onChanged} />}
    </article>
  );
}
