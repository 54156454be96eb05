/** A file picker with an upload button, a progress bar and an announced outcome; used for new documents and versions. */
import { type FormEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { i18n } from '../../i18n/i18n';
import type { Message } from '../../ui/errors';
import { ACCEPT, type ApplicantDocument, type ProgressListener } from './documents-api';

type UploadState =
  | { kind: 'idle' }
  | { kind: 'uploading'; fraction: number }
  | { kind: 'done'; fileName: string }
  | { kind: 'failed'; message: Message };

const ACCEPTED_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];

/** Why an upload failed, in words: too large (413), not PDF/JPEG/PNG (415), image size (422), or the API's code. */
export function uploadMessage(error: unknown): Message {
  if (!(error instanceof ApiError)) return { key: 'errors.generic' };
  // The same code answers a missing consent to enrollment elsewhere; here it is the health-data consent.
  if (error.code === 'health_consent_required') return { key: 'privacy.consent.required' };
  if (i18n.exists(`errors.${error.code}`) && error.code !== 'unknown') return { key: `errors.${error.code}` };
  if (error.status === 413) return { key: 'errors.file_too_large' };
  if (error.status === 415) return { key: 'errors.unsupported_file_type' };
  if (error.status === 422) return { key: 'errors.image_dimensions' };
  return { key: 'errors.generic' };
}

export function FileUpload({
  label,
  hint,
  testId,
  submitTestId,
  submitLabel,
  disabled = false,
  children,
  upload,
  onDone,
}: {
  label: string;
  hint?: string;
  testId: string;
  submitTestId: string;
  submitLabel: string;
  disabled?: boolean;
  /** More inputs of the upload (which entry it is for, its issue date), placed before the file. */
  children?: ReactNode;
  upload: (file: File, onProgress: ProgressListener) => Promise<ApplicantDocument>;
  onDone: (document: ApplicantDocument) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<UploadState>({ kind: 'idle' });
  const busy = state.kind === 'uploading';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!file) {
      setState({ kind: 'failed', message: { key: 'documents.chooseFile' } });
      inputRef.current?.focus();
      return;
    }
    // The server decides by content; a type the browser already knows is wrong is refused here.
    if (file.type !== '' && !ACCEPTED_TYPES.includes(file.type)) {
      setState({ kind: 'failed', message: { key: 'errors.unsupported_file_type' } });
      return;
    }
    setState({ kind: 'uploading', fraction: 0 });
    try {
      const document = await upload(file, (fraction) => setState({ kind: 'uploading', fraction }));
      setState({ kind: 'done', fileName: file.name });
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
      onDone(document);
    } catch (error) {
      setState({ kind: 'failed', message: uploadMessage(error) });
    }
  };

  const percent = state.kind === 'uploading' ? Math.round(state.fraction * 100) : 0;
  // Screen readers hear the progress in quarters; the bar moves continuously.
  const spoken = Math.floor(percent / 25) * 25;
  const failed = state.kind === 'failed';
  return (
    <form className="upload-form" onSubmit={submit} noValidate aria-busy={busy || undefined}>
      {children}
      <div className="upload-row">
        <div className="field upload-file">
          <label htmlFor={id}>
            {label} <span className="label-note">{t('documents.formats')}</span>
          </label>
          <input
            ref={inputRef}
            id={id}
            type="file"
            name="file"
            accept={ACCEPT}
            data-testid={testId}
            disabled={disabled || busy}
            aria-invalid={failed ? true : undefined}
            aria-describedby={
              [hint ? `${id}-hint` : null, failed ? `${id}-status` : null].filter(Boolean).join(' ') || undefined
            }
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setState({ kind: 'idle' });
            }}
          />
          {hint && (
            <p className="field-hint" id={`${id}-hint`}>
              {hint}
            </p>
          )}
        </div>
        <button
          type="submit"
          className="button button-secondary"
          disabled={disabled || busy}
          data-testid={submitTestId}
        >
          {submitLabel}
        </button>
      </div>
      {busy && (
        <progress
          className="upload-progress"
          max={100}
          value={percent}
          aria-label={t('documents.progressLabel', { name: file?.name ?? '' })}
          data-testid={`${testId}-progress`}
        />
      )}
      <p
        className={`upload-status${failed ? ' field-error' : ''}`}
        id={`${id}-status`}
        role="status"
        aria-live="polite"
        data-testid={`${testId}-status`}
      >
        {state.kind === 'uploading' && t('documents.uploading', { percent: spoken })}
        {state.kind === 'done' && t('documents.uploaded', { name: state.fileName })}
        {failed && t(state.message.key, state.message.values)}
      </p>
    </form>
  );
}
