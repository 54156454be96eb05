/** Register e-mail alerts on the account page: which kinds go out, and opting out of non-essential ones. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, type Message } from '../../ui/errors';
import { type NotificationKind, registerApi } from './register-api';

export function NotificationsSection() {
  const { t } = useTranslation();
  const [kinds, setKinds] = useState<NotificationKind[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; message: Message } | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    registerApi.notifications(controller.signal).then(
      (answer) => setKinds(answer.kinds),
      (error: unknown) => {
        if (!controller.signal.aborted)
          setResult({ ok: false, message: describeError(error, []).general ?? { key: 'errors.generic' } });
      },
    );
    return () => controller.abort();
  }, []);

  const toggle = async (kind: NotificationKind, receive: boolean) => {
    if (!kinds) return;
    const optOut = kinds
      .filter((k) => !k.essential && (k.kind === kind.kind ? !receive : k.optedOut))
      .map((k) => k.kind);
    setBusy(true);
    setResult(null);
    try {
      setKinds((await registerApi.saveNotifications(optOut)).kinds);
      setResult({ ok: true, message: { key: 'register.student.notifications.saved' } });
    } catch (error) {
      setResult({ ok: false, message: describeError(error, []).general ?? { key: 'errors.generic' } });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="notifications-title" data-testid="notifications">
      <h2 id="notifications-title">{t('register.student.notifications.title')}</h2>
      <p>{t('register.student.notifications.intro')}</p>
      {kinds === null && !result && <p className="loading">{t('app.loading')}</p>}
      {kinds && (
        <fieldset className="plainlist" disabled={busy}>
          <legend className="visually-hidden">{t('register.student.notifications.title')}</legend>
          {kinds.map((kind) => (
            <div key={kind.kind} className="field field-inline">
              <input
                type="checkbox"
                id={`notify-${kind.kind}`}
                checked={kind.essential || !kind.optedOut}
                disabled={kind.essential}
                onChange={(event) => void toggle(kind, event.target.checked)}
                aria-describedby={kind.essential ? `notify-${kind.kind}-hint` : undefined}
                data-testid={`notify-${kind.kind}`}
              />
              <label htmlFor={`notify-${kind.kind}`}>
                {t(`register.student.notifications.kinds.${kind.kind}`, { defaultValue: kind.kind })}
              </label>
              {kind.essential && (
                <span className="field-hint" id={`notify-${kind.kind}-hint`}>
                  {' '}
                  {t('register.student.notifications.essential')}
                </span>
              )}
            </div>
          ))}
        </fieldset>
      )}
      <p
        className={`action-status${result && !result.ok ? ' field-error' : ''}`}
        role="status"
        aria-live="polite"
        data-testid="notifications-result"
      >
        {result ? t(result.message.key, result.message.values) : ''}
      </p>
    </section>
  );
}
