/** The university's register settings: at-risk thresholds, e-mail alerts and the digest hour, pass marks. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FormErrors } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { textOf, useForm } from '../../ui/use-form';
import { useResource } from '../catalog/use-resource';
import { officerApi, type RegisterSettings } from './officer-api';
import { explainRegisterError, fromPercent, Section, toPercent } from './officer-controls';

const FIELDS = [
  'atRisk.minAttendanceRate',
  'atRisk.absenceStreak',
  'atRisk.failingGrade',
  'alerts.absenceStreak',
  'alerts.failingGrade',
  'alerts.lowAttendance',
  'alerts.digestHourUtc',
  'passMarks.five_point',
  'passMarks.hundred_point',
  'lateCountsAsPresent',
] as const;

/** The range of each number field, to word the server's "too big" and "too small" the way the form does. */
const RANGES: Record<string, { key: string; values?: Record<string, number> }> = {
  'atRisk.minAttendanceRate': { key: 'register.admin.settings.errors.percent' },
  'atRisk.absenceStreak': { key: 'register.admin.settings.errors.range', values: { min: 1, max: 50 } },
  'alerts.digestHourUtc': { key: 'register.admin.settings.errors.range', values: { min: 0, max: 23 } },
  'passMarks.five_point': { key: 'register.admin.settings.errors.range', values: { min: 2, max: 5 } },
  'passMarks.hundred_point': { key: 'register.admin.settings.errors.range', values: { min: 0, max: 100 } },
};

function explainSettings(error: unknown, fieldNames: readonly string[]): FormErrors {
  const explained = explainRegisterError(error, fieldNames);
  const fields = { ...explained.fields };
  for (const name of Object.keys(fields)) {
    const range = RANGES[name];
    if (range) fields[name] = range;
  }
  return { ...explained, fields };
}

function whole(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** Client checks mirror the server's schema (src/domain/register/settings.ts); the server has the last word. */
function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  const rate = fromPercent(textOf(data, 'atRisk.minAttendanceRate'));
  if (textOf(data, 'atRisk.minAttendanceRate').trim() === '' || !(rate >= 0 && rate <= 1))
    fields['atRisk.minAttendanceRate'] = { key: 'register.admin.settings.errors.percent' };
  const streak = whole(textOf(data, 'atRisk.absenceStreak'));
  if (!(Number.isInteger(streak) && streak >= 1 && streak <= 50))
    fields['atRisk.absenceStreak'] = { key: 'register.admin.settings.errors.range', values: { min: 1, max: 50 } };
  const hour = whole(textOf(data, 'alerts.digestHourUtc'));
  if (!(Number.isInteger(hour) && hour >= 0 && hour <= 23))
    fields['alerts.digestHourUtc'] = { key: 'register.admin.settings.errors.range', values: { min: 0, max: 23 } };
  const five = whole(textOf(data, 'passMarks.five_point'));
  if (!(Number.isInteger(five) && five >= 2 && five <= 5))
    fields['passMarks.five_point'] = { key: 'register.admin.settings.errors.range', values: { min: 2, max: 5 } };
  const hundred = whole(textOf(data, 'passMarks.hundred_point'));
  if (!(Number.isInteger(hundred) && hundred >= 0 && hundred <= 100))
    fields['passMarks.hundred_point'] = { key: 'register.admin.settings.errors.range', values: { min: 0, max: 100 } };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

/** The form's values as the API takes them; numbers the client could not read go as they are, for the server to name. */
function toSettings(data: FormData): RegisterSettings {
  const on = (name: string) => data.get(name) === 'on';
  return {
    atRisk: {
      minAttendanceRate: Math.round(fromPercent(textOf(data, 'atRisk.minAttendanceRate')) * 10000) / 10000,
      absenceStreak: Number(textOf(data, 'atRisk.absenceStreak')),
      failingGrade: on('atRisk.failingGrade'),
    },
    alerts: {
      absenceStreak: on('alerts.absenceStreak'),
      failingGrade: on('alerts.failingGrade'),
      lowAttendance: on('alerts.lowAttendance'),
      digestHourUtc: Number(textOf(data, 'alerts.digestHourUtc')),
    },
    passMarks: {
      five_point: Number(textOf(data, 'passMarks.five_point')),
      hundred_point: Number(textOf(data, 'passMarks.hundred_point')),
      pass_fail: 1,
    },
    lateCountsAsPresent: on('lateCountsAsPresent'),
  };
}

function Check({ name, label, checked, hint }: { name: string; label: string; checked: boolean; hint?: string }) {
  return (
    <label className="check">
      <input type="checkbox" name={name} defaultChecked={checked} data-testid={`setting-${name}`} />
      <span>
        {label}
        {hint && <span className="field-hint"> {hint}</span>}
      </span>
    </label>
  );
}

function SettingsForm({ settings }: { settings: RegisterSettings }) {
  const { t } = useTranslation();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS, explainSettings);
  const [saved, setSaved] = useState(0);
  const submit = onSubmit(
    (data) => {
      setSaved(0);
      return check(data);
    },
    async (data) => {
      await officerApi.saveSettings(toSettings(data));
      setSaved((n) => n + 1);
    },
  );
  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate data-testid="settings-form">
      <FormError error={errors.general} />
      {saved > 0 && (
        <Success key={saved}>
          <p>{t('register.admin.settings.saved')}</p>
        </Success>
      )}
      <fieldset className="register-fieldset">
        <legend>{t('register.admin.settings.atRisk')}</legend>
        <div className="settings-grid">
          <Field
            name="atRisk.minAttendanceRate"
            inputMode="decimal"
            label={t('register.admin.settings.minAttendance')}
            hint={t('register.admin.settings.minAttendanceHint')}
            defaultValue={toPercent(settings.atRisk.minAttendanceRate)}
            error={errors.fields['atRisk.minAttendanceRate']}
          />
          <Field
            name="atRisk.absenceStreak"
            type="number"
            min={1}
            max={50}
            step={1}
            label={t('register.admin.settings.absenceStreak')}
            hint={t('register.admin.settings.absenceStreakHint')}
            defaultValue={settings.atRisk.absenceStreak}
            error={errors.fields['atRisk.absenceStreak']}
          />
        </div>
        <Check
          name="atRisk.failingGrade"
          label={t('register.admin.settings.failingGrade')}
          checked={settings.atRisk.failingGrade}
        />
        <Check
          name="lateCountsAsPresent"
          label={t('register.admin.settings.lateCountsAsPresent')}
          checked={settings.lateCountsAsPresent}
        />
      </fieldset>
      <fieldset className="register-fieldset">
        <legend>{t('register.admin.settings.alerts')}</legend>
        <p className="field-hint">{t('register.admin.settings.alertsHint')}</p>
        <Check
          name="alerts.absenceStreak"
          label={t('register.admin.settings.alertStreak')}
          checked={settings.alerts.absenceStreak}
        />
        <Check
          name="alerts.failingGrade"
          label={t('register.admin.settings.alertFailing')}
          checked={settings.alerts.failingGrade}
        />
        <Check
          name="alerts.lowAttendance"
          label={t('register.admin.settings.alertLowAttendance')}
          checked={settings.alerts.lowAttendance}
        />
        <Field
          name="alerts.digestHourUtc"
          type="number"
          min={0}
          max={23}
          step={1}
          label={t('register.admin.settings.digestHour')}
          hint={t('register.admin.settings.digestHourHint')}
          defaultValue={settings.alerts.digestHourUtc}
          error={errors.fields['alerts.digestHourUtc']}
        />
      </fieldset>
      <fieldset className="register-fieldset">
        <legend>{t('register.admin.settings.passMarks')}</legend>
        <div className="settings-grid">
          <Field
            name="passMarks.five_point"
            type="number"
            min={2}
            max={5}
            step={1}
            label={t('register.admin.scales.five_point')}
            hint={t('register.admin.settings.fivePointHint')}
            defaultValue={settings.passMarks.five_point}
            error={errors.fields['passMarks.five_point']}
          />
          <Field
            name="passMarks.hundred_point"
            type="number"
            min={0}
            max={100}
            step={1}
            label={t('register.admin.scales.hundred_point')}
            hint={t('register.admin.settings.hundredPointHint')}
            defaultValue={settings.passMarks.hundred_point}
            error={errors.fields['passMarks.hundred_point']}
          />
        </div>
        <p className="field-hint">{t('register.admin.settings.passFailNote')}</p>
      </fieldset>
      <SubmitButton busy={busy}>{t('register.admin.settings.save')}</SubmitButton>
    </form>
  );
}

export function SettingsSection() {
  const { t } = useTranslation();
  const loaded = useResource('register-settings', (signal) => officerApi.settings(signal));
  return (
    <Section
      title={t('register.admin.settings.title')}
      lead={t('register.admin.settings.lead')}
      error={loaded.error}
      testId="settings-section"
    >
      {!loaded.data ? <p className="loading">{t('app.loading')}</p> : <SettingsForm settings={loaded.data} />}
    </Section>
  );
}
