/** The visa invitation request (S4-14) and the visa path of an admitted applicant who needs one. */
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/dates';
import type { FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton } from '../../ui/form';
import { COUNTRY_CODES, countryName, sortedOptions } from '../../ui/regions';
import { textOf, useForm } from '../../ui/use-form';
import { localeOf } from '../catalog/format';
import { admissionsApi, type MyAdmission, VISA_STEPS, type Visa, type VisaStep } from './admissions-api';

const FIELDS = ['passportNumber', 'consulateCity', 'consulateCountry'] as const;

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  if (textOf(data, 'passportNumber').trim().length < 3)
    fields.passportNumber = { key: 'admission.visa.passportRequired' };
  if (textOf(data, 'consulateCity').trim().length < 2) fields.consulateCity = { key: 'admission.visa.cityRequired' };
  if (!/^[A-Z]{2}$/.test(textOf(data, 'consulateCountry'))) {
    fields.consulateCountry = { key: 'admission.visa.countryRequired' };
  }
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

const DATE_OF: Record<VisaStep, keyof Visa> = {
  requested: 'requestedAt',
  invitation_issued: 'invitationIssuedAt',
  visa_issued: 'visaIssuedAt',
  arrived: 'arrivedAt',
  registered: 'registeredAt',
};

/** requested → invitation issued (number) → visa issued → arrived (registration deadline) → registered. */
export function VisaPath({ visa }: { visa: Visa }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const reached = VISA_STEPS.indexOf(visa.status);
  return (
    <ol className="visa-path" data-testid="visa-path" data-status={visa.status}>
      {VISA_STEPS.map((step, index) => {
        const at = visa[DATE_OF[step]];
        const done = index <= reached;
        return (
          <li
            key={step}
            className={done ? 'is-done' : 'is-pending'}
            aria-current={index === reached ? 'step' : undefined}
            data-testid={`visa-step-${step}`}
          >
            <span className="visa-step-name">{t(`admission.visa.steps.${step}`)}</span>
            {step === 'invitation_issued' && visa.invitationNumber && (
              <span> {t('admission.visa.invitationNumber', { number: visa.invitationNumber })}</span>
            )}
            <span className="field-hint">
              {' '}
              {done && typeof at === 'string' ? formatDateTime(at, locale) : t('admission.visa.notYet')}
            </span>
            {step === 'arrived' && visa.registrationDueAt && (
              <p className={visa.registeredAt ? 'field-hint' : 'visa-deadline'} data-testid="registration-due">
                {t('admission.visa.registrationDue', { date: formatDateTime(visa.registrationDueAt, locale) })}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

export function VisaPanel({ admission, onChanged }: { admission: MyAdmission; onChanged: (done: string) => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const blockerId = `visa-blocker-${admission.id}`;
  const { allowed, blocker } = admission.invitation;

  const submit = onSubmit(check, async (data) => {
    await admissionsApi.requestVisa(admission.id, {
      passportNumber: textOf(data, 'passportNumber').trim(),
      consulateCity: textOf(data, 'consulateCity').trim(),
      consulateCountry: textOf(data, 'consulateCountry'),
    });
    onChanged('admission.done.visaRequested');
  });

  return (
    <section className="visa-panel" aria-labelledby={`visa-title-${admission.id}`} data-testid="visa-panel">
      <h3 id={`visa-title-${admission.id}`}>{t('admission.visa.title')}</h3>
      {admission.visa ? (
        <>
          <p>{t('admission.visa.requested')}</p>
          <VisaPath visa={admission.visa} />
        </>
      ) : (
        <form ref={formRef} className="form visa-form" onSubmit={submit} noValidate data-testid="visa-form">
          <p className="field-hint">{t('admission.visa.lead')}</p>
          {!allowed && blocker && (
            <p className="notice notice-info" id={blockerId} data-testid="visa-blocker" data-blocker={blocker}>
              {t(`errors.${blocker}`, { defaultValue: t('errors.generic') })}
            </p>
          )}
          <fieldset disabled={!allowed || busy} aria-describedby={allowed ? undefined : blockerId}>
            <legend className="visually-hidden">{t('admission.visa.title')}</legend>
            <Field
              name="passportNumber"
              label={t('admission.visa.passportNumber')}
              error={errors.fields.passportNumber}
              maxLength={20}
              autoComplete="off"
              required
            />
            <Field
              name="consulateCity"
              label={t('admission.visa.consulateCity')}
              hint={t('admission.visa.consulateCityHint')}
              error={errors.fields.consulateCity}
              maxLength={100}
              required
            />
            <div className="field">
              <label htmlFor={`consulate-country-${admission.id}`}>{t('admission.visa.consulateCountry')}</label>
              <select
                id={`consulate-country-${admission.id}`}
                name="consulateCountry"
                defaultValue=""
                aria-invalid={errors.fields.consulateCountry ? true : undefined}
                aria-describedby={
                  errors.fields.consulateCountry ? `consulate-country-${admission.id}-error` : undefined
                }
                required
              >
                <option value="">{t('admission.visa.chooseCountry')}</option>
                {sortedOptions(COUNTRY_CODES, countryName, locale).map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.name}
                  </option>
                ))}
              </select>
              {errors.fields.consulateCountry && (
                <p className="field-error" id={`consulate-country-${admission.id}-error`}>
                  {t(errors.fields.consulateCountry.key)}
                </p>
              )}
            </div>
            <FormError error={errors.general} />
            <SubmitButton busy={busy}>{t('admission.visa.submit')}</SubmitButton>
          </fieldset>
        </form>
      )}
    </section>
  );
}
