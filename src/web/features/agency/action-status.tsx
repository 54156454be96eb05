/** One-button actions (mark contacted, invite, revoke…): busy while running, the outcome announced politely. */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, type Message } from '../../ui/errors';

export interface Outcome {
  ok: boolean;
  message: Message;
}

export function useAction() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const run = useCallback(async (action: () => Promise<Message | null>): Promise<boolean> => {
    setBusy(true);
    setOutcome(null);
    try {
      const message = await action();
      if (message) setOutcome({ ok: true, message });
      return true;
    } catch (error) {
      setOutcome({ ok: false, message: describeError(error, []).general ?? { key: 'errors.generic' } });
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, outcome, run, clear: () => setOutcome(null) };
}

/** The live region the outcome is read from; present (empty) before anything happens, so it is announced. */
export function ActionStatus({ outcome, testId }: { outcome: Outcome | null; testId: string }) {
  const { t } = useTranslation();
  return (
    <p
      className={`action-status${outcome && !outcome.ok ? ' field-error' : ''}`}
      role="status"
      aria-live="polite"
      data-testid={testId}
      data-ok={outcome ? String(outcome.ok) : undefined}
    >
      {outcome ? t(outcome.message.key, outcome.message.values) : ''}
    </p>
  );
}
