/** Offers of a campaign with their confirmation, prepayment and visa state, and the officer's row actions. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, localInputToIso } from '../../ui/dates';
import { describeError, type FormErrors } from '../../ui/errors';
import { Field, FormError } from '../../ui/form';
import { countryName } from '../../ui/regions';
import { textOf, useForm } from '../../ui/use-form';
import { ServerTime } from '../admissions/admission-text';
import {
  ADMISSION_STATUSES,
  admissionsApi,
  nextVisaStep,
  type OfficeAdmission,
  type OfficerVisaStep,
} from '../admissions/admissions-api';
import { localeOf, pick } from '../catalog/format';
import { useResource } from '../catalog/use-resource';

const PREPAYMENT_FIELDS = ['reference'] as const;
const STEP_FIELDS = ['reference', 'at'] as const;

function PrepaymentForm({ admission, onDone }: { admission: OfficeAdmission; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(PREPAYMENT_FIELDS);
  const check = (data: FormData): FormErrors =>
    textOf(data, 'reference').trim() === ''
      ? { general: null, fields: { reference: { key: 'allocation.admissions.referenceRequired' } } }
      : { general: null, fields: {} };
  const submit = onSubmit(check, async (data) => {
    await admissionsApi.confirmPrepayment(admission.id, textOf(data, 'reference').trim());
    onDone(t('allocation.admissions.prepaymentDone', { name: admission.fullName }));
  });
  return (
    <form ref={formRef} className="row-action" onSubmit={submit} noValidate data-testid={`prepayment-${admission.id}`}>
      <Field
        name="reference"
        label={t('allocation.admissions.reference')}
        error={errors.fields.reference}
        maxLength={100}
        autoComplete="off"
      />
      <FormError error={errors.general} />
      <button type="submit" className="button button-secondary" disabled={busy} aria-busy={busy || undefined}>
        {t('allocation.admissions.confirmPrepayment')}
      </button>
    </form>
  );
}

function VisaStepForm({
  admission,
  step,
  onDone,
}: {
  admission: OfficeAdmission;
  step: OfficerVisaStep;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(STEP_FIELDS);
  const needsNumber = step === 'invitation_issued';
  const check = (data: FormData): FormErrors => {
    const fields: FormErrors['fields'] = {};
    if (needsNumber && textOf(data, 'reference').trim() === '') {
      fields.reference = { key: 'allocation.admissions.invitationRequired' };
    }
    if (textOf(data, 'at') !== '' && localInputToIso(textOf(data, 'at')) === null) {
      fields.at = { key: 'fieldErrors.invalid_format' };
    }
    return { general: null, fields };
  };
  const submit = onSubmit(check, async (data) => {
    const at = localInputToIso(textOf(data, 'at'));
    const reference = textOf(data, 'reference').trim();
    await admissionsApi.visaStep(admission.id, {
      step,
      ...(at ? { at } : {}),
      ...(needsNumber && reference ? { reference } : {}),
    });
    onDone(t('allocation.admissions.visaDone', { name: admission.fullName, step: t(`admission.visa.steps.${step}`) }));
  });
  return (
    <form ref={formRef} className="row-action" onSubmit={submit} noValidate data-testid={`visa-step-${admission.id}`}>
      {needsNumber && (
        <Field
          name="reference"
          label={t('allocation.admissions.invitationNumber')}
          error={errors.fields.reference}
          maxLength={100}
          autoComplete="off"
          required
        />
      )}
      <Field
        name="at"
        type="datetime-local"
        label={t('allocation.admissions.stepDate')}
        hint={t('allocation.admissions.stepDateHint')}
        error={errors.fields.at}
      />
      <FormError error={errors.general} />
      <button
        type="submit"
        className="button button-secondary"
        disabled={busy}
        aria-busy={busy || undefined}
        data-step={step}
      >
        {t('allocation.admissions.nextStep', { step: t(`admission.visa.steps.${step}`) })}
      </button>
    </form>
  );
}

function VisaCell({ a, now }: { a: OfficeAdmission; now: number }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  if (!a.needsVisa) return <>{t('allocation.admissions.noVisa')}</>;
  if (!a.visa) return <>{t('allocation.admissions.notRequested')}</>;
  const due = a.visa.registrationDueAt;
  const overdue = due !== null && a.visa.registeredAt === null && new Date(due).getTime() < now;
  return (
    <>
      <span data-testid="visa-status" data-status={a.visa.status}>
        {t(`admission.visa.steps.${a.visa.status}`)}
      </span>
      {a.visa.invitationNumber && (
        <div className="field-hint">{t('admission.visa.invitationNumber', { number: a.visa.invitationNumber })}</div>
      )}
      {due && (
        <div className={overdue ? 'overdue' : 'field-hint'} data-testid={overdue ? 'registration-overdue' : undefined}>
          {t(overdue ? 'allocation.admissions.registrationOverdue' : 'allocation.admissions.registrationDue', {
            date: formatDateTime(due, locale),
          })}
        </div>
      )}
    </>
  );
}

export function AdmissionsTable({
  slug,
  version,
  officer,
  onChanged,
}: {
  slug: string;
  version: number;
  officer: boolean;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const filterId = useId();
  const [status, setStatus] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const list = useResource(`${slug}:${status}:${version}`, (signal) => admissionsApi.admissions(slug, status, signal));
  const now = Date.now();
  const items = list.data?.items ?? null;
  const finish = (message: string) => {
    setDone(message);
    onChanged();
  };

  return (
    <div className="admissions-office" data-testid="office-admissions">
      <div className="field admissions-filter">
        <label htmlFor={filterId}>{t('allocation.admissions.filter')}</label>
        <select
          id={filterId}
          name="admission-status"
          value={status}
          onChange={(event) => setStatus(event.target.value)}
          data-testid="admissions-filter"
        >
          <option value="">{t('office.filters.all')}</option>
          {ADMISSION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`admission.status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <p className="verdict-status" role="status" aria-live="polite" data-testid="admissions-result">
        {done}
      </p>
      {list.error ? (
        <FormError error={describeError(list.error, []).general} />
      ) : !items ? (
        <p className="loading">{t('app.loading')}</p>
      ) : items.length === 0 ? (
        <p className="empty">{t('allocation.admissions.none')}</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
        <section className="table-wrap" tabIndex={0} aria-labelledby="allocation-admissions-title">
          <table className="table office-table admissions-table" data-testid="admissions-table">
            <caption className="visually-hidden">{t('allocation.admissions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('allocation.admissions.applicant')}</th>
                <th scope="col">{t('allocation.admissions.program')}</th>
                <th scope="col">{t('allocation.admissions.status')}</th>
                <th scope="col">{t('allocation.admissions.confirmBy')}</th>
                <th scope="col">{t('allocation.admissions.consent')}</th>
                <th scope="col">{t('allocation.admissions.prepayment')}</th>
                <th scope="col">{t('allocation.admissions.citizenship')}</th>
                <th scope="col">{t('allocation.admissions.visa')}</th>
                {officer && <th scope="col">{t('allocation.admissions.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {items.map((a) => {
                const paid = a.funding === 'contract';
                const active = ['offered', 'confirmed', 'enrolled'].includes(a.status);
                const step = nextVisaStep(a.visa);
                const overdue =
                  a.visa?.registrationDueAt != null &&
                  a.visa.registeredAt === null &&
                  new Date(a.visa.registrationDueAt).getTime() < now;
                return (
                  <tr
                    key={a.id}
                    className={overdue ? 'is-overdue' : undefined}
                    data-testid="admission-row"
                    data-admission={a.id}
                    data-number={a.applicationNumber ?? ''}
                  >
                    <td className="cell-email">
                      <strong>{a.fullName}</strong>
                      <div className="field-hint">{a.applicationNumber ?? t('office.noNumber')}</div>
                    </td>
                    <td>
                      {pick(a.program, locale)}
                      <div className="field-hint">
                        {t(`catalog.enums.funding.${a.funding}`)} ·{' '}
                        {t('allocation.admissions.priority', { n: a.priority })}
                      </div>
                    </td>
                    <td>
                      <span className={`badge ${active ? 'badge-good' : 'badge-muted'}`} data-status={a.status}>
                        {t(`admission.status.${a.status}`)}
                      </span>
                    </td>
                    <td>{a.status === 'offered' ? <ServerTime iso={a.confirmBy} /> : '—'}</td>
                    <td>
                      {a.consentAt ? formatDateTime(a.consentAt, locale) : t('common.no')}
                      {paid && a.contractAcceptedAt && (
                        <div className="field-hint">{t('allocation.admissions.contractAccepted')}</div>
                      )}
                    </td>
                    <td data-testid="prepayment-cell">
                      {!paid
                        ? t('allocation.admissions.notPaid')
                        : a.prepaymentConfirmedAt
                          ? formatDateTime(a.prepaymentConfirmedAt, locale)
                          : t('allocation.admissions.awaiting')}
                    </td>
                    <td>
                      {a.citizenship ? countryName(a.citizenship, locale) : t('allocation.admissions.stateless')}
                      <div className="field-hint">
                        {a.needsVisa ? t('allocation.admissions.needsVisa') : t('allocation.admissions.visaFree')}
                      </div>
                    </td>
                    <td>
                      <VisaCell a={a} now={now} />
                    </td>
                    {officer && (
                      <td className="row-actions">
                        {paid && active && !a.prepaymentConfirmedAt && <PrepaymentForm admission={a} onDone={finish} />}
                        {step && <VisaStepForm key={step} admission={a} step={step} onDone={finish} />}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
