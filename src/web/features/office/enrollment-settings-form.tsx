/** The campaign's enrollment rules: confirmation days, visa-free countries (S4-14), prepayment, deadlines. */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { COUNTRY_CODES, countryName, sortedOptions } from '../../ui/regions';
import { textOf, useForm } from '../../ui/use-form';
import { admissionsApi, type EnrollmentSettings } from '../admissions/admissions-api';
import { localeOf } from '../catalog/format';

const FIELDS = [
  'confirmDays',
  'visaFreeCountries',
  'prepaymentRequired',
  'migrationRegistrationWorkingDays',
  'invitationWorkingDays',
  'source',
] as const;

const inRange = (value: string, min: number, max: number) => {
  const n = Number(value.trim());
  return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
};

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  if (!inRange(textOf(data, 'confirmDays'), 1, 60)) fields.confirmDays = { key: 'allocation.settings.range60' };
  for (const name of ['migrationRegistrationWorkingDays', 'invitationWorkingDays'] as const) {
    if (!inRange(textOf(data, name), 1, 90)) fields[name] = { key: 'allocation.settings.range90' };
  }
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

function CountryList({ value, onChange }: { value: string[]; onChange: (next: string[]) => void }) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const id = useId();
  const [adding, setAdding] = useState('');
  const options = sortedOptions(
    COUNTRY_CODES.filter((c) => !value.includes(c)),
    countryName,
    locale,
  );
  const listed = sortedOptions(value, countryName, locale);
  return (
    <fieldset className="country-list" aria-describedby={`${id}-hint`}>
      <legend>{t('allocation.settings.visaFree')}</legend>
      <p className="field-hint" id={`${id}-hint`}>
        {t('allocation.settings.visaFreeHint')}
      </p>
      {listed.length === 0 ? (
        <p className="empty">{t('allocation.settings.visaFreeNone')}</p>
      ) : (
        <ul className="chip-list" data-testid="visa-free-list">
          {listed.map((c) => (
            <li key={c.code} className="chip" data-code={c.code}>
              <span>
                {c.name} <code>{c.code}</code>
              </span>
              <button
                type="button"
                className="icon-button"
                aria-label={t('allocation.settings.remove', { country: c.name })}
                onClick={() => onChange(value.filter((v) => v !== c.code))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={`${id}-add`}>{t('allocation.settings.add')}</label>
        <div className="search-row">
          <select id={`${id}-add`} value={adding} onChange={(event) => setAdding(event.target.value)}>
            <option value="">{t('admission.visa.chooseCountry')}</option>
            {options.map((o) => (
              <option key={o.code} value={o.code}>
                {o.name} ({o.code})
              </option>
            ))}
          </select>
          <button
            type="button"
            className="button button-secondary"
            disabled={adding === ''}
            onClick={() => {
              onChange([...value, adding]);
              setAdding('');
            }}
          >
            {t('allocation.settings.addButton')}
          </button>
        </div>
      </div>
    </fieldset>
  );
}

export function EnrollmentSettingsForm({ slug, settings }: { slug: string; settings: EnrollmentSettings }) {
  const { t } = useTranslation();
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS);
  const [countries, setCountries] = useState(settings.visaFreeCountries);
  const [saved, setSaved] = useState(0);
  const submit = onSubmit(check, async (data) => {
    await admissionsApi.saveSettings(slug, {
      confirmDays: Number(textOf(data, 'confirmDays')),
      visaFreeCountries: countries,
      prepaymentRequired: data.get('prepaymentRequired') === 'on',
      migrationRegistrationWorkingDays: Number(textOf(data, 'migrationRegistrationWorkingDays')),
      invitationWorkingDays: Number(textOf(data, 'invitationWorkingDays')),
      source: textOf(data, 'source').trim(),
    });
    setSaved((n) => n + 1);
  });
  return (
    <form ref={formRef} className="form settings-form" onSubmit={submit} noValidate data-testid="enrollment-settings">
      <div className="settings-grid">
        <Field
          name="confirmDays"
          type="number"
          min={1}
          max={60}
          label={t('allocation.settings.confirmDays')}
          hint={t('allocation.settings.confirmDaysHint')}
          defaultValue={settings.confirmDays}
          error={errors.fields.confirmDays}
        />
        <Field
          name="invitationWorkingDays"
          type="number"
          min={1}
          max={90}
          label={t('allocation.settings.invitationDays')}
          hint={t('allocation.settings.invitationDaysHint')}
          defaultValue={settings.invitationWorkingDays}
          error={errors.fields.invitationWorkingDays}
        />
        <Field
          name="migrationRegistrationWorkingDays"
          type="number"
          min={1}
          max={90}
          label={t('allocation.settings.registrationDays')}
          hint={t('allocation.settings.registrationDaysHint')}
          defaultValue={settings.migrationRegistrationWorkingDays}
          error={errors.fields.migrationRegistrationWorkingDays}
        />
      </div>
      <div className="field">
        <div className="offer-check">
          <input
            type="checkbox"
            id={`${id}-prepayment`}
            name="prepaymentRequired"
            defaultChecked={settings.prepaymentRequired}
            aria-describedby={`${id}-prepayment-hint`}
          />
          <label htmlFor={`${id}-prepayment`}>{t('allocation.settings.prepayment')}</label>
        </div>
        <p className="field-hint" id={`${id}-prepayment-hint`}>
          {t('allocation.settings.prepaymentHint')}
        </p>
      </div>
      <CountryList value={countries} onChange={setCountries} />
      <Field
        name="source"
        label={t('allocation.settings.source')}
        hint={t('allocation.settings.sourceHint')}
        defaultValue={settings.source}
        error={errors.fields.source}
        maxLength={500}
      />
      <FormError error={errors.general} />
      {saved > 0 && (
        <Success key={saved}>
          <p>{t('allocation.settings.saved')}</p>
        </Success>
      )}
      <SubmitButton busy={busy}>{t('allocation.settings.save')}</SubmitButton>
    </form>
  );
}
