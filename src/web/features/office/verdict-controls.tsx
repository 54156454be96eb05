/** An officer's verdict on a document's current version: accept, or reject with a reason code and a note. */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError, type Message } from '../../ui/errors';
import { FormError } from '../../ui/form';
import { type ApplicantDocument, documentsApi, REJECTION_CODES, type RejectionCode } from '../documents/documents-api';

export function VerdictControls({
  document: doc,
  onChange,
}: {
  document: ApplicantDocument;
  onChange: (document: ApplicantDocument) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [rejecting, setRejecting] = useState(false);
  const [code, setCode] = useState<RejectionCode>('illegible');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const send = async (body: Parameters<typeof documentsApi.verdict>[1]) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await documentsApi.verdict(doc.id, body);
      setRejecting(false);
      setNote('');
      setDone(t(`office.verdict.done.${updated.status}`));
      onChange(updated);
    } catch (failure) {
      setError(describeError(failure, ['code', 'note']).general ?? { key: 'errors.generic' });
    } finally {
      setBusy(false);
    }
  };

  const reject = (event: FormEvent) => {
    event.preventDefault();
    void send({ status: 'rejected', code, ...(note.trim() ? { note: note.trim() } : {}) });
  };

  return (
    <div className="verdict-controls">
      {!rejecting && (
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            disabled={busy || doc.status === 'accepted'}
            onClick={() => void send({ status: 'accepted' })}
            data-testid={`accept-${doc.id}`}
          >
            {t('office.verdict.accept')}
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={busy}
            onClick={() => {
              setRejecting(true);
              setDone(null);
            }}
            data-testid={`reject-${doc.id}`}
          >
            {t('office.verdict.reject')}
          </button>
        </div>
      )}
      {rejecting && (
        <form className="form reject-form" onSubmit={reject} noValidate>
          <div className="field">
            <label htmlFor={`${id}-code`}>{t('office.verdict.reason')}</label>
            <select
              id={`${id}-code`}
              name="code"
              value={code}
              data-testid={`reject-code-${doc.id}`}
              onChange={(event) => setCode(event.target.value as RejectionCode)}
            >
              {REJECTION_CODES.map((c) => (
                <option key={c} value={c}>
                  {t(`documents.rejection.${c}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-note`}>{t('office.verdict.note')}</label>
            <textarea
              id={`${id}-note`}
              name="note"
              rows={3}
              maxLength={2000}
              value={note}
              data-testid={`reject-note-${doc.id}`}
              onChange={(event) => setNote(event.target.value)}
              aria-describedby={`${id}-note-hint`}
            />
            <p className="field-hint" id={`${id}-note-hint`}>
              {t('office.verdict.noteHint')}
            </p>
          </div>
          <div className="actions">
            <button
              type="submit"
              className="button button-danger"
              disabled={busy}
              data-testid={`reject-confirm-${doc.id}`}
            >
              {t('office.verdict.confirmReject')}
            </button>
            <button type="button" className="button button-quiet" onClick={() => setRejecting(false)}>
              {t('office.verdict.cancel')}
            </button>
          </div>
        </form>
      )}
      <FormError error={error} />
      <p className="verdict-status" role="status" aria-live="polite">
        {done}
      </p>
    </div>
  );
}
