/** Asks for the consent to the processing of health data (its text, a checkbox) before a medical report upload. */
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, type Message } from '../../ui/errors';
import { localeOf } from '../catalog/format';
import { type ConsentText, privacyApi } from './privacy-api';

export function HealthConsentGate({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const locale = localeOf(i18n.resolvedLanguage);
  const [state, setState] = useState<'loading' | 'needed' | 'given'>('loading');
  const [text, setText] = useState<ConsentText | null>(null);
  const [agreed, setAgreed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([privacyApi.consents(controller.signal), privacyApi.text(locale, controller.signal)]).then(
      ([consents, shown]) => {
        setText(shown);
        const active = consents.items.some((c) => c.purpose === 'health_data' && c.active);
        setState(active ? 'given' : 'needed');
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setState('needed');
        setError(describeError(failure, []).general ?? { key: 'errors.generic' });
      },
    );
    return () => controller.abort();
  }, [locale]);

  if (state === 'given') return <>{children}</>;
  if (state === 'loading') return <p className="loading">{t('app.loading')}</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text || busy) return;
    if (!agreed) {
      setError({ key: 'privacy.consent.tickFirst' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await privacyApi.give(text);
      setState('given');
    } catch (failure) {
      setError(describeError(failure, []).general ?? { key: 'errors.generic' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="consent-form" onSubmit={submit} noValidate data-testid="health-consent">
      <p className="notice notice-info">{t('privacy.consent.needed')}</p>
      {text && (
        <section className="consent-text" aria-labelledby={`${id}-title`}>
          <h4 id={`${id}-title`}>{text.title}</h4>
          <p>{text.body}</p>
          <p className="field-hint">{t('privacy.consent.version', { version: text.version })}</p>
        </section>
      )}
      <div className="field field-inline">
        <input
          type="checkbox"
          id={`${id}-agree`}
          checked={agreed}
          onChange={(event) => setAgreed(event.target.checked)}
          data-testid="health-consent-agree"
        />
        <label htmlFor={`${id}-agree`}>{t('privacy.consent.agree')}</label>
      </div>
      <button type="submit" className="button" disabled={busy || !text} data-testid="health-consent-submit">
        {t('privacy.consent.submit')}
      </button>
      <p className={`action-status${error ? ' field-error' : ''}`} role="status" aria-live="polite">
        {error ? t(error.key, error.values) : ''}
      </p>
    </form>
  );
}
