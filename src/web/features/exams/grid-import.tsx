/** Import of results from a CSV or XLSX file, with upload progress and the refused rows listed by file row. */
import type { TFunction } from 'i18next';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import { i18n } from '../../i18n/i18n';
import { describeError, fieldMessage, type Message } from '../../ui/errors';
import { examsApi } from './exams-api';

type ImportState =
  | { kind: 'idle' }
  | { kind: 'uploading'; percent: number }
  | { kind: 'done'; saved: number }
  | { kind: 'failed'; message: Message; rows: { where: string; message: Message }[] };

function codeMessage(code: string): Message {
  const key = `exams.grid.errors.${code}`;
  return i18n.exists(key) ? { key } : fieldMessage('file', code);
}

/** "results.csv row 5.score" → "Row 5 (score)"; anything else as the server wrote it. */
function whereText(field: string, t: TFunction): string {
  const match = /row (\d+)(?:\.(\w+))?$/.exec(field);
  if (!match) return field === 'file' ? t('exams.import.theFile') : field;
  return match[2]
    ? t('exams.import.rowField', { row: match[1], field: match[2] })
    : t('exams.import.row', { row: match[1] });
}

export function GridImport({ slug, onImported }: { slug: string; onImported: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<ImportState>({ kind: 'idle' });
  const busy = state.kind === 'uploading';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = inputRef.current?.files?.[0];
    if (!file) {
      setState({ kind: 'failed', message: { key: 'exams.import.chooseFile' }, rows: [] });
      inputRef.current?.focus();
      return;
    }
    setState({ kind: 'uploading', percent: 0 });
    try {
      const result = await examsApi.importResults(slug, file, (fraction) =>
        setState({ kind: 'uploading', percent: Math.round(fraction * 100) }),
      );
      setState({ kind: 'done', saved: result.saved });
      if (inputRef.current) inputRef.current.value = '';
      onImported();
    } catch (error) {
      const rows =
        error instanceof ApiError
          ? error.fieldErrors.map((e) => ({ where: e.field, message: codeMessage(e.code) }))
          : [];
      const wrongType = error instanceof ApiError && (error.code === 'unsupported_file_type' || error.status === 415);
      const general = wrongType
        ? { key: 'exams.import.wrongType' }
        : (describeError(error, []).general ?? { key: 'errors.generic' });
      setState({
        kind: 'failed',
        message: rows.length > 0 ? { key: 'exams.import.refused', values: { count: rows.length } } : general,
        rows,
      });
    }
  };

  return (
    <form
      className="upload-form grid-import"
      onSubmit={submit}
      noValidate
      aria-busy={busy || undefined}
      data-testid="grid-import"
    >
      <div className="upload-row">
        <div className="field upload-file">
          <label htmlFor={id}>{t('exams.import.label')}</label>
          <input
            ref={inputRef}
            id={id}
            type="file"
            name="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={busy}
            aria-describedby={`${id}-hint ${id}-status`}
            data-testid="import-file"
          />
          <p className="field-hint" id={`${id}-hint`}>
            {t('exams.import.hint')}
          </p>
        </div>
        <button type="submit" className="button button-secondary" disabled={busy} data-testid="import-submit">
          {t('exams.import.submit')}
        </button>
      </div>
      {busy && (
        <progress className="upload-progress" max={100} value={state.percent} aria-label={t('exams.import.progress')} />
      )}
      <div id={`${id}-status`} role="status" aria-live="polite" data-testid="import-status">
        {state.kind === 'uploading' && (
          <p>{t('exams.import.uploading', { percent: Math.floor(state.percent / 25) * 25 })}</p>
        )}
        {state.kind === 'done' && (
          <p className="notice notice-success">{t('exams.import.done', { count: state.saved })}</p>
        )}
        {state.kind === 'failed' && (
          <div className="notice notice-error">
            <p>{t(state.message.key, state.message.values)}</p>
            {state.rows.length > 0 && (
              <ul className="import-errors" data-testid="import-errors">
                {state.rows.map((row) => (
                  <li key={`${row.where}:${row.message.key}`}>
                    <strong>{whereText(row.where, t)}:</strong> {t(row.message.key, row.message.values)}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </form>
  );
}
