/**
 * One student's row of the register grid. Memoized: a row re-renders only when its own cells, its
 * focus or its summary change, so typing in a 30 × 40 grid touches one row, not 1,200 cells.
 */
import { type MouseEvent, memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { EMPTY_CELL, type GridMode, letterOf, sameCell } from './grid-model';
import type { RowState } from './grid-state';
import type { StudentRef } from './register-api';

export interface GridColumn {
  id: string;
  /** Short header text ("12.03 10:00", "Test 1"). */
  label: string;
  /** Full description for assistive technology and the tooltip. */
  title: string;
}

export interface RowHandlers {
  focusCell: (row: number, col: number) => void;
  startEdit: (row: number, col: number, text: string | null) => void;
}

export function studentName(student: StudentRef, locale: Locale): string {
  return locale === 'ru' && student.nameCyrillic ? student.nameCyrillic : student.nameLatin;
}

function GridRowView({
  student,
  r,
  columns,
  row,
  mode,
  locale,
  focusCol,
  editCol,
  editText,
  summary,
  summaryWarn,
  readOnly,
  handlers,
}: {
  student: StudentRef;
  r: number;
  columns: GridColumn[];
  row: RowState;
  mode: GridMode;
  locale: Locale;
  /** The focused column in this row, -1 when the focus is elsewhere. */
  focusCol: number;
  /** The column being edited in this row, -1 when none. */
  editCol: number;
  editText: string;
  summary: string;
  summaryWarn: boolean;
  readOnly: boolean;
  handlers: RowHandlers;
}) {
  const { t } = useTranslation();
  const name = studentName(student, locale);
  return (
    <tr aria-rowindex={r + 2} data-testid={`grid-row-${student.number}`} data-student={student.id}>
      <th scope="row" aria-colindex={1} className="grid-student">
        <span className="grid-student-name">{name}</span>
        <span className="grid-student-number">{student.number}</span>
      </th>
      {columns.map((column, c) => {
        const cell = row.cells[column.id] ?? EMPTY_CELL;
        const error = row.errors[column.id];
        const dirty = !sameCell(cell, row.saved[column.id]);
        const status = row.status[column.id];
        const shownStatus = status === 'saved' && dirty ? undefined : status;
        const focused = c === focusCol;
        const editing = c === editCol;
        const text = mode === 'attendance' ? letterOf(cell.value, locale) : cell.value;
        const stateText = error
          ? t(error.key, error.values)
          : shownStatus === 'saving'
            ? t('register.grid.cellSaving')
            : shownStatus === 'saved'
              ? t('register.grid.cellSaved')
              : dirty
                ? t('register.grid.cellUnsaved')
                : '';
        const valueText =
          mode === 'attendance'
            ? cell.value
              ? t(`register.grid.status.${cell.value}`) + (cell.reason ? ` (${cell.reason})` : '')
              : t('register.grid.emptyCell')
            : cell.value || t('register.grid.emptyCell');
        const classes = [
          'grid-cell',
          mode === 'attendance' && cell.value ? `mark-${cell.value}` : '',
          dirty ? 'is-dirty' : '',
          error ? 'is-error' : '',
          shownStatus ? `is-${shownStatus}` : '',
        ]
          .filter(Boolean)
          .join(' ');
        return (
          <td
            key={column.id}
            // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern (keyboard-operated cells).
            role="gridcell"
            aria-colindex={c + 2}
            aria-invalid={error ? true : undefined}
            aria-readonly={readOnly || undefined}
            aria-label={`${name}, ${column.title}: ${valueText}${stateText ? `. ${stateText}` : ''}`}
            tabIndex={focused && !editing ? 0 : -1}
            className={classes}
            data-r={r}
            data-c={c}
            data-testid={`cell-${student.number}-${c}`}
            data-value={cell.value}
            data-state={error ? 'error' : (shownStatus ?? (dirty ? 'dirty' : ''))}
            title={error ? t(error.key, error.values) : (cell.reason ?? undefined)}
            onMouseDown={(event: MouseEvent) => {
              if (editing) return;
              event.preventDefault();
              handlers.focusCell(r, c);
            }}
            onDoubleClick={() => {
              if (!readOnly && mode === 'grades') handlers.startEdit(r, c, null);
            }}
          >
            {editing ? (
              <input
                className="grid-editor"
                defaultValue={editText}
                // biome-ignore lint/a11y/noAutofocus: the editor opens because the user started typing in this cell.
                autoFocus
                inputMode="numeric"
                autoComplete="off"
                aria-label={`${name}, ${column.title}`}
                data-testid="grid-editor"
                onFocus={(event) => {
                  const input = event.currentTarget;
                  input.setSelectionRange(input.value.length, input.value.length);
                }}
              />
            ) : (
              <span className="grid-value" aria-hidden="true">
                {text}
              </span>
            )}
            {shownStatus === 'saving' && <span className="grid-badge badge-saving" aria-hidden="true" />}
            {shownStatus === 'saved' && <span className="grid-badge badge-saved" aria-hidden="true" />}
            {error && <span className="grid-badge badge-error" aria-hidden="true" />}
          </td>
        );
      })}
      <td
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern (keyboard-operated cells).
        role="gridcell"
        tabIndex={-1}
        aria-colindex={columns.length + 2}
        aria-readonly
        className={`grid-summary${summaryWarn ? ' is-warning' : ''}`}
        data-testid={`summary-${student.number}`}
      >
        {summary}
      </td>
    </tr>
  );
}

export const GridRow = memo(GridRowView);
