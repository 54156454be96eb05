/** The account page's personal data: my consents (withdraw one), and the download of everything held about me. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/dates';
import { describeError, type Message } from '../../ui/errors';
import { localeOf } from '../catalog/format';
import { type Consent, privacyApi } from './privacy-api';

export function PersonalDataSection() {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const [items, setItems] = useState<Consent[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [result, setResult] = useState<{ ok: boolean; message: Message } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    privacyApi.consents(controller.signal).then(
      (answer) => setItems(answer.items),
      (error: unknown) => {
        if (!controller.signal.aborted)
          setResult({ ok: false, message: describeError(error, []).general ?? { key: 'errors.generic' } });
      },
    );
    return () => controller.abort();
  }, []);

  const withdraw = async (consent: Consent) => {
    setBusy(consent.id);
    setResult(null);
    try {
      const updated = await privacyApi.withdraw(consent.id);
      setItems((list) => (list ?? []).map((c) => (c.id === updated.id ? updated : c)));
      setResult({ ok: true, message: { key: 'privacy.consents.withdrawn' } });
    } catch (error) {
      setResult({ ok: false, message: describeError(error, []).general ?? { key: 'errors.generic' } });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="personal-data-title" data-testid="personal-data">
      <h2 id="personal-data-title">{t('privacy.title')}</h2>
      <h3>{t('privacy.consents.title')}</h3>
      {items === null && !result && <p className="loading">{t('app.loading')}</p>}
      {items?.length === 0 && <p>{t('privacy.consents.none')}</p>}
      {items && items.length > 0 && (
        <ul className="plainlist" data-testid="consents">
          {items.map((consent) => (
            <li key={consent.id} data-testid={`consent-${consent.id}`}>
              <strong>{t(`privacy.purposes.${consent.purpose}`, { defaultValue: consent.purpose })}</strong>{' '}
              {t('privacy.consents.given', {
                at: formatDateTime(consent.givenAt, locale),
                version: consent.textVersion,
              })}
              {consent.withdrawnAt ? (
                <> {t('privacy.consents.withdrawnAt', { at: formatDateTime(consent.withdrawnAt, locale) })}</>
              ) : (
                <>
                  {' '}
                  <button
                    type="button"
                    className="button button-secondary"
                    disabled={busy !== null}
                    onClick={() => void withdraw(consent)}
                    data-testid={`consent-withdraw-${consent.id}`}
                  >
                    {t('privacy.consents.withdraw')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p
        className={`action-status${result && !result.ok ? ' field-error' : ''}`}
        role="status"
        aria-live="polite"
        data-testid="consents-result"
      >
        {result ? t(result.message.key, result.message.values) : ''}
      </p>
      <h3>{t('privacy.export.title')}</h3>
      <p>{t('privacy.export.text')}</p>
      <p>
        <a className="button button-secondary" href={privacyApi.exportUrl} download data-testid="personal-data-export">
          {t('privacy.export.download')}
        </a>
      </p>
    </section>
  );
}
