/** Above the grid: undo/redo, bulk fill of the focused column, and the autosave status. */
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Cell, checkGradeText, type GridMode, type ScaleInfo } from './grid-model';
import type { GridColumn } from './grid-row';
import type { GridApi } from './grid-state';

function errorCount(grid: GridApi): number {
  let count = 0;
  for (const row of Object.values(grid.data.rows)) count += Object.keys(row.errors).length;
  return count;
}

export function GridToolbar({
  grid,
  mode,
  scale,
  readOnly,
  canOverride,
  column,
  onUndo,
  onRedo,
  onFill,
}: {
  grid: GridApi;
  mode: GridMode;
  scale: ScaleInfo;
  readOnly: boolean;
  canOverride: boolean;
  column: GridColumn | null;
  onUndo: () => void;
  onRedo: () => void;
  onFill: (cell: Cell, onlyEmpty: boolean) => void;
}) {
  const { t, i18n } = useTranslation();
  const [fillText, setFillText] = useState('');
  const [fillError, setFillError] = useState<string | null>(null);
  const { data } = grid;
  const errors = errorCount(grid);

  let status: ReactNode = t('register.grid.autosave');
  if (data.saving) status = t('register.grid.saving');
  else if (data.failed) status = <span className="field-error">{t(data.failed.key, data.failed.values)}</span>;
  else if (data.needsOverride && grid.pendingCount > 0)
    status = (
      <span className="field-error">
        {t(canOverride ? 'register.grid.waitingOverride' : 'register.grid.closedUnsaved', { count: grid.pendingCount })}
      </span>
    );
  else if (grid.pendingCount > 0) status = t('register.grid.pending', { count: grid.pendingCount });
  else if (errors > 0) status = <span className="field-error">{t('register.grid.invalid', { count: errors })}</span>;
  else if (data.lastSaved) {
    const time = new Intl.DateTimeFormat(i18n.resolvedLanguage === 'ru' ? 'ru' : 'en-GB', {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(data.lastSaved);
    status = <span data-testid="grid-saved">{t('register.grid.saved', { time })}</span>;
  }

  const fillGrades = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkGradeText(fillText, scale);
    if ('error' in checked || checked.value === null) {
      setFillError(
        'error' in checked ? t(checked.error.key, checked.error.values) : t('register.grid.fillValueNeeded'),
      );
      return;
    }
    setFillError(null);
    onFill({ value: String(checked.value), reason: null }, true);
  };

  return (
    <div className="register-grid-toolbar">
      {!readOnly && (
        <div className="grid-actions">
          <button
            type="button"
            className="button button-quiet"
            disabled={data.undo.length === 0}
            onClick={onUndo}
            aria-keyshortcuts="Control+Z"
            data-testid="grid-undo"
          >
            {t('register.grid.undo')}
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={data.redo.length === 0}
            onClick={onRedo}
            aria-keyshortcuts="Control+Shift+Z"
            data-testid="grid-redo"
          >
            {t('register.grid.redo')}
          </button>
          {column && mode === 'attendance' && (
            <>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => onFill({ value: 'present', reason: null }, false)}
                data-testid="grid-all-present"
              >
                {t('register.grid.allPresent', { column: column.label })}
              </button>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => onFill({ value: 'present', reason: null }, true)}
                data-testid="grid-fill-empty"
              >
                {t('register.grid.fillEmptyPresent')}
              </button>
            </>
          )}
          {column && mode === 'grades' && (
            <form className="grid-fill-form" onSubmit={fillGrades} noValidate>
              <label htmlFor="grid-fill-value">{t('register.grid.fillEmptyWith', { column: column.label })}</label>
              <input
                id="grid-fill-value"
                className="grid-fill-input"
                value={fillText}
                inputMode="numeric"
                onChange={(event) => setFillText(event.target.value)}
                aria-invalid={fillError ? true : undefined}
                aria-describedby={fillError ? 'grid-fill-error' : undefined}
                data-testid="grid-fill-value"
              />
              <button type="submit" className="button button-quiet" data-testid="grid-fill-empty">
                {t('register.grid.fill')}
              </button>
              {fillError && (
                <span className="field-error" id="grid-fill-error">
                  {fillError}
                </span>
              )}
            </form>
          )}
        </div>
      )}
      <p className="grid-status" role="status" aria-live="polite" aria-atomic="true" data-testid="grid-status">
        {status}
      </p>
      {data.failed && (
        <button type="button" className="button button-secondary" onClick={grid.retry}>
          {t('register.grid.retry')}
        </button>
      )}
    </div>
  );
}
