/**
 * Asks for the reason of an excused absence (the server refuses an excused mark without one) and,
 * optionally, a justification document (PDF, JPEG or PNG).
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export function GridExcuseDialog({
  open,
  who,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  who: string;
  onConfirm: (reason: string, file: File | null) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  const [reason, setReason] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setReason('');
      setFile(null);
      setError(false);
      dialog.showModal();
      inputRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === '') {
      setError(true);
      inputRef.current?.focus();
      return;
    }
    onConfirm(reason.trim(), file);
  };

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={`${id}-title`}
      data-testid="excuse-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{t('register.grid.excuseTitle')}</h2>
        <p>{who}</p>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('register.grid.excuseReason')}</label>
          <input
            id={`${id}-reason`}
            ref={inputRef}
            name="reason"
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            data-testid="excuse-reason"
          />
          {error && (
            <p className="field-error" id={`${id}-error`}>
              {t('register.grid.errors.required_for_excused')}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-document`}>{t('register.grid.excuseDocument')}</label>
          <input
            id={`${id}-document`}
            type="file"
            accept="application/pdf,image/jpeg,image/png"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            data-testid="excuse-document"
          />
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="excuse-confirm">
            {t('register.grid.excuseSave')}
          </button>
          <button type="button" className="button button-quiet" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
