/**
 * The fast results grid: applicants × exams, moved through with the arrow keys and Enter, filled by
 * typing or by pasting a block copied from a spreadsheet, saved automatically, with Undo.
 */
import { type ClipboardEvent, type KeyboardEvent, type ReactNode, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dateLocale, localeOf, pick } from '../catalog/format';
import { formatNumber } from '../reviews/score-model';
import type { ExamSlot, GridRow } from './exams-api';
import { type CellHandlers, GridCell } from './grid-cell';
import { type Change, EMPTY, type Entry, entryFromText, keyOf, parseClipboard } from './grid-model';
import { useGrid } from './use-grid';

export function ExamGrid({
  slug,
  slots,
  rows,
  readOnly,
  onSaved,
}: {
  slug: string;
  slots: ExamSlot[];
  rows: GridRow[];
  readOnly: boolean;
  /** Called after each successful save (the competitive scores follow). */
  onSaved?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.resolvedLanguage);
  const grid = useGrid(slug, slots, rows, onSaved);
  const inputs = useRef(new Map<string, HTMLInputElement>());
  const editStart = useRef<{ key: string; entry: Entry } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const entryAt = (key: string) => grid.current().entries[key] ?? EMPTY;
  const labelOf = (row: GridRow, slot: ExamSlot) =>
    t('exams.grid.cellLabel', { exam: pick(slot.title, locale), number: row.applicationNumber, name: row.fullName });

  const focusCell = (r: number, c: number) => {
    const row = rows[r];
    const slot = slots[c];
    if (!row || !slot) return;
    const element = inputs.current.get(keyOf(row.applicationNumber, slot.id));
    if (!element) return;
    element.focus();
    element.select();
    setAnnouncement(t('exams.grid.position', { row: r + 1, rows: rows.length, col: c + 1, cols: slots.length }));
  };

  const commit = (key: string) => {
    const start = editStart.current;
    if (!start || start.key !== key) return;
    editStart.current = null;
    grid.record({ key, before: start.entry, after: entryAt(key) });
  };

  const register = useCallback((key: string, element: HTMLInputElement | null) => {
    if (element) inputs.current.set(key, element);
    else inputs.current.delete(key);
  }, []);

  const handlers: CellHandlers = {
    register,
    onFocus: (key) => {
      editStart.current = { key, entry: entryAt(key) };
    },
    onBlur: commit,
    onText: (key, text) => grid.change([{ key, entry: entryFromText(text, entryAt(key)) }], null),
    onAbsent: (key, absent) => {
      const before = entryAt(key);
      const after = { ...before, absent, text: absent ? '' : before.text };
      grid.change([{ key, entry: after }], [{ key, before, after }]);
    },
    onRetake: (key) => {
      const before = entryAt(key);
      const after = { text: '', absent: false, retake: true };
      grid.change([{ key, entry: after }], [{ key, before, after }]);
      inputs.current.get(key)?.focus();
    },
    onKeyDown: (event: KeyboardEvent<HTMLInputElement>, r: number, c: number) => {
      const input = event.currentTarget;
      const length = input.value.length;
      const start = input.selectionStart ?? 0;
      const end = input.selectionEnd ?? length;
      const all = start === 0 && end === length;
      let target: [number, number] | null = null;
      if (event.key === 'ArrowDown' || (event.key === 'Enter' && !event.shiftKey)) target = [r + 1, c];
      else if (event.key === 'ArrowUp' || (event.key === 'Enter' && event.shiftKey)) target = [r - 1, c];
      else if (event.key === 'ArrowLeft' && (all || (start === 0 && end === 0))) target = [r, c - 1];
      else if (event.key === 'ArrowRight' && (all || start === length)) target = [r, c + 1];
      else if (event.key === 'Escape' && editStart.current) {
        const { key, entry } = editStart.current;
        grid.change([{ key, entry }], null);
        event.preventDefault();
        return;
      }
      if (!target) return;
      event.preventDefault();
      if (target[0] < 0 || target[0] >= rows.length || target[1] < 0 || target[1] >= slots.length) return;
      focusCell(target[0], target[1]);
    },
    onPaste: (event: ClipboardEvent<HTMLInputElement>, r: number, c: number) => {
      if (readOnly) return;
      const text = event.clipboardData.getData('text/plain');
      if (!/[\t\n\r]/.test(text.replace(/[\r\n]+$/, ''))) return; // One value: the input takes it as typed.
      event.preventDefault();
      const block = parseClipboard(text);
      const steps: Change[] = [];
      block.forEach((cells, i) => {
        cells.forEach((value, j) => {
          const row = rows[r + i];
          const slot = slots[c + j];
          if (!row || !slot) return;
          const key = keyOf(row.applicationNumber, slot.id);
          const before = entryAt(key);
          steps.push({ key, before, after: entryFromText(value, before) });
        });
      });
      const cut = block.length > rows.length - r || block.some((cells) => cells.length > slots.length - c);
      editStart.current = null;
      grid.change(
        steps.map((s) => ({ key: s.key, entry: s.after })),
        steps,
      );
      setAnnouncement(t(cut ? 'exams.grid.pastedCut' : 'exams.grid.pasted', { count: steps.length }));
    },
  };

  const undo = () => {
    const undone = grid.undo();
    if (undone) {
      setAnnouncement(t('exams.grid.undone', { count: undone.length }));
      const first = undone[0];
      if (first) inputs.current.get(first.key)?.focus();
    }
  };

  const { state } = grid;
  const canUndo = state.history.length > 0;
  let status: ReactNode = t('exams.grid.autosave');
  if (state.saving) status = t('exams.grid.saving');
  else if (state.failed) status = <span className="field-error">{t(state.failed.key, state.failed.values)}</span>;
  else if (grid.pending > 0) status = t('exams.grid.pending', { count: grid.pending });
  else if (grid.errorCount > 0)
    status = <span className="field-error">{t('exams.grid.invalid', { count: grid.errorCount })}</span>;
  else if (state.lastSaved) {
    const time = new Intl.DateTimeFormat(dateLocale(locale), {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).format(state.lastSaved.at);
    status = <span data-testid="grid-saved">{t('exams.grid.saved', { time })}</span>;
  }

  return (
    <div className="exam-grid-block">
      <p className="field-hint" id="grid-help">
        {t(readOnly ? 'exams.grid.readOnlyHelp' : 'exams.grid.help')}
      </p>
      {!readOnly && (
        <div className="grid-toolbar">
          <button
            type="button"
            className="button button-quiet"
            disabled={!canUndo}
            onClick={undo}
            data-testid="grid-undo"
          >
            {t('exams.grid.undo')}
          </button>
          <p className="grid-status" role="status" aria-live="polite" aria-atomic="true">
            {status}
          </p>
          {state.failed && (
            <button type="button" className="button button-secondary" onClick={() => void grid.retry()}>
              {t('exams.grid.retry')}
            </button>
          )}
        </div>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <div className="table-wrap grid-wrap">
        <table className="table exam-grid" data-testid="exam-grid" aria-describedby="grid-help">
          <caption className="visually-hidden">{t('exams.grid.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('exams.grid.applicant')}</th>
              {slots.map((slot) => (
                <th scope="col" key={slot.id}>
                  {pick(slot.title, locale)}
                  <div className="field-hint">
                    {t('exams.grid.slotHint', {
                      max: formatNumber(slot.maxScore, locale),
                      pass: formatNumber((slot.maxScore * slot.passPercent) / 100, locale),
                    })}
                  </div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={row.applicationNumber} data-testid={`grid-row-${row.applicationNumber}`}>
                <th scope="row">
                  <span className="grid-number">{row.applicationNumber}</span>
                  <span className="grid-name">{row.fullName}</span>
                </th>
                {slots.map((slot, c) => {
                  const key = keyOf(row.applicationNumber, slot.id);
                  return (
                    <td key={slot.id}>
                      <GridCell
                        cellKey={key}
                        testId={`${row.applicationNumber}-${slot.id}`}
                        row={r}
                        col={c}
                        label={labelOf(row, slot)}
                        entry={state.entries[key] ?? EMPTY}
                        saved={state.saved[key] ?? null}
                        slot={slot}
                        error={state.serverErrors[key] ?? state.clientErrors[key]}
                        readOnly={readOnly}
                        handlers={handlers}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
