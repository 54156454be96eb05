/**
 * "Ask a consultant": the public question form of program and university pages. The form token is
 * fetched when the form is shown (the server refuses a form sent within seconds of it); `website` is
 * a honeypot hidden from people and from assistive technology, which only scripts fill in.
 */
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { useSession } from '../../app/session';
import { currentLocale } from '../../i18n/i18n';
import { describeError, type FormErrors, type Message } from '../../ui/errors';
import { Field, FormError, SubmitButton, Success } from '../../ui/form';
import { COUNTRY_CODES, countryName, sortedOptions } from '../../ui/regions';
import { textOf, useForm } from '../../ui/use-form';
import { LEVELS } from '../catalog/catalog-api';
import { localeOf } from '../catalog/format';
import { agencyApi } from './agency-api';
import { SelectField, TextAreaField } from './controls';
import './agency.css';

const FIELDS = ['name', 'email', 'phone', 'citizenship', 'level', 'specialty', 'message'] as const;
const TOKEN_CODES = ['form_too_fast', 'form_expired'];

/** "Try again in 40 min" or "in 24 h", from the Retry-After seconds. */
function waitMessage(seconds: number | null): Message {
  if (seconds === null) return { key: 'errors.too_many_questions' };
  if (seconds < 5400)
    return { key: 'agency.ask.retryMinutes', values: { count: Math.max(1, Math.ceil(seconds / 60)) } };
  return { key: 'agency.ask.retryHours', values: { count: Math.ceil(seconds / 3600) } };
}

/** The form's own problems (the token, the flood limit) in words; the rest as every form does. */
export function questionErrors(error: unknown): FormErrors {
  const described = describeError(error, FIELDS);
  if (!(error instanceof ApiError)) return described;
  const token = error.fieldErrors.find((f) => f.field === 'body.formToken' && TOKEN_CODES.includes(f.code));
  if (token) return { general: { key: `errors.${token.code}` }, fields: described.fields };
  if (error.code === 'too_many_questions') return { general: waitMessage(error.retryAfter), fields: {} };
  return described;
}

function check(data: FormData): FormErrors {
  const fields: FormErrors['fields'] = {};
  if (textOf(data, 'name').trim() === '') fields.name = { key: 'fieldErrors.required' };
  if (textOf(data, 'email').trim() === '') fields.email = { key: 'fieldErrors.required' };
  if (textOf(data, 'message').trim().length < 5) fields.message = { key: 'agency.ask.messageTooShort' };
  return Object.keys(fields).length > 0
    ? { general: { key: 'errors.validation_failed' }, fields }
    : { general: null, fields };
}

export function AskConsultantForm({
  program,
  university,
  headingLevel = 2,
}: {
  program?: string | undefined;
  university?: string | undefined;
  headingLevel?: 2 | 1;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const { user } = useSession();
  const id = useId();
  const { formRef, busy, errors, onSubmit } = useForm(FIELDS, questionErrors);
  const [token, setToken] = useState<string | null>(null);
  const [tokenFailed, setTokenFailed] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const countries = useMemo(() => sortedOptions(COUNTRY_CODES, countryName, locale), [locale]);

  const fetchToken = useCallback((signal?: AbortSignal) => {
    setTokenFailed(false);
    agencyApi.formToken(signal).then(
      (answer) => setToken(answer.formToken),
      () => {
        if (!signal?.aborted) setTokenFailed(true);
      },
    );
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    fetchToken(controller.signal);
    return () => controller.abort();
  }, [fetchToken]);

  const submit = onSubmit(check, async (data, form) => {
    const optional = (name: string) => textOf(data, name).trim() || undefined;
    const email = textOf(data, 'email').trim();
    try {
      await agencyApi.ask({
        name: textOf(data, 'name').trim(),
        email,
        phone: optional('phone'),
        citizenship: optional('citizenship'),
        level: optional('level'),
        specialty: optional('specialty'),
        message: textOf(data, 'message').trim(),
        locale: currentLocale(),
        program,
        university: program ? undefined : university,
        formToken: token ?? '',
        website: textOf(data, 'website'),
      });
    } catch (error) {
      // An expired form gets a fresh token: sending again then works.
      if (error instanceof ApiError && error.fieldErrors.some((f) => f.code === 'form_expired')) fetchToken();
      throw error;
    }
    form.reset();
    setSentTo(email);
    fetchToken(); // Another question needs another token.
  });

  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section className="panel ask-panel" aria-labelledby={`${id}-title`} data-testid="ask-consultant">
      <Heading id={`${id}-title`}>{t('agency.ask.title')}</Heading>
      <p className="field-hint">{t('agency.ask.lead')}</p>
      {sentTo && (
        <Success key={sentTo}>
          <p data-testid="ask-success">{t('agency.ask.sent', { email: sentTo })}</p>
        </Success>
      )}
      {tokenFailed && (
        <div className="notice notice-error" role="alert">
          <p>{t('agency.ask.tokenFailed')}</p>
          <button type="button" className="button button-secondary" onClick={() => fetchToken()}>
            {t('agency.ask.retry')}
          </button>
        </div>
      )}
      <form
        ref={formRef}
        className="form ask-form"
        onSubmit={submit}
        noValidate
        aria-labelledby={`${id}-title`}
        data-testid="ask-form"
      >
        <FormError error={errors.general} />
        <div className="ask-grid">
          <Field
            name="name"
            label={t('agency.ask.name')}
            autoComplete="name"
            required
            maxLength={200}
            defaultValue={user?.fullName ?? ''}
            error={errors.fields.name}
          />
          <Field
            name="email"
            type="email"
            label={t('fields.email')}
            hint={t('agency.ask.emailHint')}
            autoComplete="email"
            inputMode="email"
            spellCheck={false}
            required
            defaultValue={user?.email ?? ''}
            error={errors.fields.email}
          />
          <Field
            name="phone"
            type="tel"
            label={t('agency.ask.phone')}
            autoComplete="tel"
            maxLength={40}
            error={errors.fields.phone}
          />
          <SelectField name="citizenship" label={t('agency.ask.citizenship')} error={errors.fields.citizenship}>
            <option value="">{t('agency.ask.notSaid')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <SelectField name="level" label={t('agency.ask.level')} error={errors.fields.level}>
            <option value="">{t('agency.ask.notSaid')}</option>
            {LEVELS.map((level) => (
              <option key={level} value={level}>
                {t(`catalog.enums.level.${level}`)}
              </option>
            ))}
          </SelectField>
          <Field name="specialty" label={t('agency.ask.specialty')} maxLength={200} error={errors.fields.specialty} />
        </div>
        <TextAreaField
          name="message"
          label={t('agency.ask.message')}
          hint={t('agency.ask.messageHint')}
          rows={5}
          maxLength={4000}
          required
          error={errors.fields.message}
        />
        {/* For scripts only: people never see, hear or reach this field. */}
        <div className="visually-hidden" aria-hidden="true">
          <label htmlFor={`${id}-website`}>Website</label>
          <input id={`${id}-website`} type="text" name="website" tabIndex={-1} autoComplete="off" defaultValue="" />
        </div>
        <SubmitButton busy={busy || token === null}>
          {busy ? t('agency.ask.sending') : t('agency.ask.send')}
        </SubmitButton>
      </form>
    </section>
  );
}
