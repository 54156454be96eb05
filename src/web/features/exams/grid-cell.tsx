/** One cell of the results grid: the score input, the "absent" toggle, the outcome, a retake, an error. */
import type { ClipboardEvent, KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../ui/errors';
import type { ExamResult, ExamSlot } from './exams-api';
import { canRetake, type Entry, entryOf, sameEntry, shownOutcome } from './grid-model';

export interface CellHandlers {
  onFocus: (key: string) => void;
  onBlur: (key: string) => void;
  onText: (key: string, text: string) => void;
  onAbsent: (key: string, absent: boolean) => void;
  onRetake: (key: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLInputElement>, row: number, col: number) => void;
  onPaste: (event: ClipboardEvent<HTMLInputElement>, row: number, col: number) => void;
  register: (key: string, element: HTMLInputElement | null) => void;
}

export function GridCell({
  cellKey,
  testId,
  row,
  col,
  label,
  entry,
  saved,
  slot,
  error,
  readOnly,
  handlers: h,
}: {
  cellKey: string;
  /** "<applicationNumber>-<slotId>". */
  testId: string;
  row: number;
  col: number;
  label: string;
  entry: Entry;
  saved: ExamResult | null;
  slot: ExamSlot;
  error: Message | undefined;
  readOnly: boolean;
  handlers: CellHandlers;
}) {
  const { t } = useTranslation();
  const outcome = shownOutcome(entry, saved, slot);
  const dirty = !sameEntry(entry, entryOf(saved));
  const attempt = entry.retake && saved ? saved.attempt + 1 : (saved?.attempt ?? 1);
  const metaId = `meta-${testId}`;
  const errorId = `error-${testId}`;
  return (
    <div className={`grid-cell${dirty ? ' is-dirty' : ''}${error ? ' is-invalid' : ''}`} data-outcome={outcome ?? ''}>
      <div className="grid-cell-inputs">
        <input
          ref={(element) => h.register(cellKey, element)}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          className="grid-input"
          data-testid={`cell-${testId}`}
          data-row={row}
          data-col={col}
          aria-label={label}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${errorId} ${metaId}` : metaId}
          value={entry.absent ? '' : entry.text}
          readOnly={readOnly}
          onFocus={() => h.onFocus(cellKey)}
          onBlur={() => h.onBlur(cellKey)}
          onChange={(event) => h.onText(cellKey, event.target.value)}
          onKeyDown={(event) => h.onKeyDown(event, row, col)}
          onPaste={(event) => h.onPaste(event, row, col)}
        />
        <label className="absent-toggle" title={t('exams.grid.absentFor', { label })}>
          <input
            type="checkbox"
            checked={entry.absent}
            disabled={readOnly}
            data-testid={`absent-${testId}`}
            aria-label={t('exams.grid.absentFor', { label })}
            onChange={(event) => h.onAbsent(cellKey, event.target.checked)}
          />
          <span aria-hidden="true">{t('exams.grid.absentShort')}</span>
        </label>
      </div>
      <span className="cell-meta" id={metaId}>
        {outcome && (
          <span className={`cell-outcome outcome-${outcome}`} data-testid={`outcome-${testId}`}>
            {t(`exams.outcome.${outcome}`)}
          </span>
        )}
        {(attempt > 1 || entry.retake) && <span> · {t('exams.grid.attempt', { n: attempt })}</span>}
        {dirty && !error && <span className="cell-unsaved"> · {t('exams.grid.unsaved')}</span>}
      </span>
      {!readOnly && !entry.retake && !dirty && canRetake(saved, slot) && (
        <button
          type="button"
          className="link-button"
          onClick={() => h.onRetake(cellKey)}
          data-testid={`retake-${testId}`}
        >
          {t('exams.grid.retake', { n: (saved?.attempt ?? 1) + 1 })}
        </button>
      )}
      {error && (
        <span className="cell-error" id={errorId}>
          {t(error.key, error.values)}
        </span>
      )}
    </div>
  );
}
