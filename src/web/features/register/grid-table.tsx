/**
 * The register grid: students × sessions (attendance) or × assessments (grades). One focused cell
 * (roving tabindex); arrows, Tab, Home/End move; P/A/L/E (П/Н/О/У) mark attendance; digits open the
 * grade editor, Enter commits and moves down; Delete clears; Ctrl+Z / Ctrl+Shift+Z undo and redo;
 * a block pasted from a spreadsheet lands at the focused cell, all of it or none.
 */
import {
  type ClipboardEvent,
  type FocusEvent,
  type KeyboardEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../../api';
import { describeError, type Message } from '../../ui/errors';
import { GridExcuseDialog } from './grid-excuse-dialog';
import {
  type Cell,
  type Change,
  EMPTY_CELL,
  type GridMode,
  parseAttendance,
  parseGrade,
  parseTsv,
  type ScaleInfo,
  statusOfKey,
} from './grid-model';
import { type GridColumn, GridRow, type RowHandlers } from './grid-row';
import type { GridApi } from './grid-state';
import { GridToolbar } from './grid-toolbar';
import type { StudentRef } from './register-api';

interface Editing {
  r: number;
  c: number;
  text: string;
}

export function GridTable({
  grid,
  mode,
  students,
  columns,
  scale,
  summaries,
  readOnly,
  canOverride,
  caption,
}: {
  grid: GridApi;
  mode: GridMode;
  students: StudentRef[];
  columns: GridColumn[];
  scale: ScaleInfo;
  /** The last column (attendance rate or final grade) per student id. */
  summaries: Map<string, { text: string; warn: boolean }>;
  readOnly: boolean;
  canOverride: boolean;
  caption: string;
}) {
  const { t, i18n } = useTranslation();
  const locale: Locale = i18n.resolvedLanguage === 'ru' ? 'ru' : 'en';
  const tableRef = useRef<HTMLTableElement>(null);
  const [focus, setFocus] = useState({ r: 0, c: Math.max(0, columns.length - 1) });
  const focusRef = useRef(focus);
  focusRef.current = focus;
  const [editing, setEditing] = useState<Editing | null>(null);
  const editingRef = useRef<Editing | null>(null);
  editingRef.current = editing;
  const moveFocus = useRef(false);
  const [excuse, setExcuse] = useState<{ r: number; c: number } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const rows = students.length;
  const cols = columns.length;

  const cellAt = useCallback(
    (r: number, c: number) => {
      const student = students[r];
      const column = columns[c];
      if (!student || !column) return null;
      return {
        studentId: student.id,
        colId: column.id,
        cell: grid.current().rows[student.id]?.cells[column.id] ?? EMPTY_CELL,
      };
    },
    [students, columns, grid],
  );

  const go = useCallback(
    (r: number, c: number) => {
      const next = { r: Math.max(0, Math.min(rows - 1, r)), c: Math.max(0, Math.min(cols - 1, c)) };
      moveFocus.current = true;
      setFocus(next);
    },
    [rows, cols],
  );

  // Keep the DOM focus on the focused cell after keyboard moves (not on mere re-renders).
  useEffect(() => {
    if (!moveFocus.current || editing) return;
    moveFocus.current = false;
    tableRef.current?.querySelector<HTMLElement>(`td[data-r="${focus.r}"][data-c="${focus.c}"]`)?.focus();
  }, [focus, editing]);

  const set = useCallback(
    (r: number, c: number, after: Cell) => {
      const at = cellAt(r, c);
      if (!at || readOnly) return;
      grid.apply([{ studentId: at.studentId, colId: at.colId, before: at.cell, after }]);
    },
    [cellAt, grid, readOnly],
  );

  const commitEdit = useCallback(
    (input: HTMLInputElement | null) => {
      const edit = editingRef.current;
      if (!edit) return;
      editingRef.current = null;
      setEditing(null);
      const text = (input?.value ?? edit.text).trim();
      set(edit.r, edit.c, { value: text, reason: null });
    },
    [set],
  );

  const actions = {
    focusCell: (r: number, c: number) => {
      if (editingRef.current) commitEdit(tableRef.current?.querySelector('input.grid-editor') ?? null);
      go(r, c);
    },
    startEdit: (r: number, c: number, text: string | null) => {
      if (readOnly || mode !== 'grades') return;
      const at = cellAt(r, c);
      setFocus({ r, c });
      setEditing({ r, c, text: text ?? at?.cell.value ?? '' });
    },
  };
  const actionsRef = useRef(actions);
  actionsRef.current = actions;
  // Stable for the memoized rows; always calls the latest implementation.
  const handlers: RowHandlers = useMemo(
    () => ({
      focusCell: (r, c) => actionsRef.current.focusCell(r, c),
      startEdit: (r, c, text) => actionsRef.current.startEdit(r, c, text),
    }),
    [],
  );

  const describe = (changes: Change[] | null, key: string) => {
    if (!changes) return;
    setAnnouncement(t(key, { count: changes.length }));
    const first = changes[0];
    const r = students.findIndex((s) => s.id === first?.studentId);
    const c = columns.findIndex((col) => col.id === first?.colId);
    if (r >= 0 && c >= 0) go(r, c);
  };
  const undo = () => describe(grid.undo(), 'register.grid.undone');
  const redo = () => describe(grid.redo(), 'register.grid.redone');

  const onEditorKey = (event: KeyboardEvent<HTMLElement>, edit: Editing) => {
    const input = event.target as HTMLInputElement;
    let target: [number, number] | null = null;
    if (event.key === 'Enter') target = [edit.r + (event.shiftKey ? -1 : 1), edit.c];
    else if (event.key === 'Tab') target = [edit.r, edit.c + (event.shiftKey ? -1 : 1)];
    else if (event.key === 'ArrowDown') target = [edit.r + 1, edit.c];
    else if (event.key === 'ArrowUp') target = [edit.r - 1, edit.c];
    else if (event.key === 'Escape') {
      event.preventDefault();
      editingRef.current = null;
      setEditing(null);
      go(edit.r, edit.c);
      return;
    }
    if (!target) return;
    event.preventDefault();
    commitEdit(input);
    go(target[0], target[1]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    const edit = editingRef.current;
    if (edit && (event.target as HTMLElement).classList.contains('grid-editor')) {
      onEditorKey(event, edit);
      return;
    }
    const cell = (event.target as HTMLElement).closest('td[data-r]');
    if (!cell) return;
    const { r, c } = focusRef.current;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key;
    if (mod && (key === 'z' || key === 'Z' || key === 'я' || key === 'Я')) {
      event.preventDefault();
      if (event.shiftKey) redo();
      else undo();
      return;
    }
    if (mod && (key === 'y' || key === 'н')) {
      event.preventDefault();
      redo();
      return;
    }
    if (mod || event.altKey) return;
    let target: [number, number] | null = null;
    if (key === 'ArrowDown' || key === 'Enter') target = [r + (event.shiftKey && key === 'Enter' ? -1 : 1), c];
    else if (key === 'ArrowUp') target = [r - 1, c];
    else if (key === 'ArrowLeft') target = [r, c - 1];
    else if (key === 'ArrowRight') target = [r, c + 1];
    else if (key === 'Home') target = [r, 0];
    else if (key === 'End') target = [r, cols - 1];
    else if (key === 'PageDown') target = [r + 10, c];
    else if (key === 'PageUp') target = [r - 10, c];
    else if (key === 'Tab') {
      const index = r * cols + c + (event.shiftKey ? -1 : 1);
      if (index < 0 || index >= rows * cols) return; // Leave the grid at its ends.
      target = [Math.floor(index / cols), index % cols];
    }
    if (target) {
      event.preventDefault();
      go(target[0], target[1]);
      return;
    }
    if (readOnly) return;
    if (key === 'Delete' || key === 'Backspace') {
      event.preventDefault();
      set(r, c, EMPTY_CELL);
      return;
    }
    if (mode === 'attendance') {
      const status = statusOfKey(key);
      if (!status) return;
      event.preventDefault();
      if (status === 'excused') setExcuse({ r, c });
      else set(r, c, { value: status, reason: null });
      return;
    }
    if (key === 'F2') {
      event.preventDefault();
      handlers.startEdit(r, c, null);
    } else if (/^[0-9]$/.test(key)) {
      event.preventDefault();
      handlers.startEdit(r, c, key);
    }
  };

  const onBlur = (event: FocusEvent<HTMLTableElement>) => {
    if ((event.target as HTMLElement).classList.contains('grid-editor')) {
      commitEdit(event.target as unknown as HTMLInputElement);
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLTableElement>) => {
    if (readOnly) return;
    const text = event.clipboardData.getData('text/plain');
    const inEditor = (event.target as HTMLElement).classList.contains('grid-editor');
    if (inEditor && !/[\t\n]/.test(text.replace(/[\r\n]+$/, ''))) return; // One value: the editor takes it.
    event.preventDefault();
    const edit = editingRef.current;
    if (edit) {
      editingRef.current = null;
      setEditing(null);
    }
    const { r, c } = edit ?? focusRef.current;
    const block = parseTsv(text);
    const changes: Change[] = [];
    const errors: { studentId: string; colId: string; message: Message }[] = [];
    let cut = false;
    block.forEach((values, i) => {
      values.forEach((value, j) => {
        const at = cellAt(r + i, c + j);
        if (!at) {
          if (value.trim() !== '') cut = true;
          return;
        }
        const parsed = mode === 'attendance' ? parseAttendance(value) : parseGrade(value, scale);
        if (!parsed) return;
        if ('error' in parsed) errors.push({ studentId: at.studentId, colId: at.colId, message: parsed.error });
        else changes.push({ studentId: at.studentId, colId: at.colId, before: at.cell, after: parsed.cell });
      });
    });
    if (errors.length > 0) {
      grid.markErrors(errors);
      setAnnouncement(t('register.grid.pasteRefused', { count: errors.length }));
      return;
    }
    grid.apply(changes);
    setAnnouncement(t(cut ? 'register.grid.pastedCut' : 'register.grid.pasted', { count: changes.length }));
    go(r, c);
  };

  const fillColumn = (c: number, cell: Cell, onlyEmpty: boolean) => {
    const column = columns[c];
    if (!column || readOnly) return;
    const changes: Change[] = [];
    for (const student of students) {
      const before = grid.current().rows[student.id]?.cells[column.id] ?? EMPTY_CELL;
      if (onlyEmpty && before.value !== '') continue;
      changes.push({ studentId: student.id, colId: column.id, before, after: cell });
    }
    grid.apply(changes);
    setAnnouncement(
      t('register.grid.filled', { count: changes.filter((ch) => ch.before.value !== cell.value).length }),
    );
  };

  const data = grid.data;
  const focusColumn = columns[focus.c];
  const student = excuse ? students[excuse.r] : undefined;
  const excuseColumn = excuse ? columns[excuse.c] : undefined;

  return (
    <div className="register-grid-block">
      <GridToolbar
        grid={grid}
        mode={mode}
        scale={scale}
        readOnly={readOnly}
        canOverride={canOverride}
        column={focusColumn ?? null}
        onUndo={undo}
        onRedo={redo}
        onFill={(cell, onlyEmpty) => fillColumn(focus.c, cell, onlyEmpty)}
      />
      <p className="visually-hidden" aria-live="polite" data-testid="grid-announcement">
        {announcement}
      </p>
      {cols === 0 ? (
        <p className="notice notice-info" data-testid="grid-no-columns">
          {t(mode === 'attendance' ? 'register.grid.noSessions' : 'register.grid.noAssessments')}
        </p>
      ) : (
        <div className="register-grid-wrap">
          <table
            ref={tableRef}
            // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern (keyboard-operated cells).
            role="grid"
            className="register-grid"
            aria-rowcount={rows + 1}
            aria-colcount={cols + 2}
            aria-describedby="register-grid-help"
            data-testid={`grid-${mode}`}
            onKeyDown={onKeyDown}
            onBlur={onBlur}
            onPaste={onPaste}
          >
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr aria-rowindex={1}>
                <th scope="col" aria-colindex={1}>
                  {t('register.grid.student')}
                </th>
                {columns.map((column, c) => (
                  <th
                    key={column.id}
                    scope="col"
                    aria-colindex={c + 2}
                    title={column.title}
                    className={c === focus.c ? 'is-focus-column' : undefined}
                  >
                    {column.label}
                  </th>
                ))}
                <th scope="col" aria-colindex={cols + 2}>
                  {t(mode === 'attendance' ? 'register.grid.rate' : 'register.grid.final')}
                </th>
              </tr>
            </thead>
            <tbody>
              {students.map((s, r) => {
                const row = data.rows[s.id];
                if (!row) return null;
                const summary = summaries.get(s.id);
                return (
                  <GridRow
                    key={s.id}
                    student={s}
                    r={r}
                    columns={columns}
                    row={row}
                    mode={mode}
                    locale={locale}
                    focusCol={focus.r === r ? focus.c : -1}
                    editCol={editing?.r === r ? editing.c : -1}
                    editText={editing?.r === r ? editing.text : ''}
                    summary={summary?.text ?? '–'}
                    summaryWarn={summary?.warn ?? false}
                    readOnly={readOnly}
                    handlers={handlers}
                  />
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <GridExcuseDialog
        open={excuse !== null}
        who={student && excuseColumn ? `${student.nameLatin}, ${excuseColumn.title}` : ''}
        onCancel={() => {
          const at = excuse;
          setExcuse(null);
          if (at) go(at.r, at.c);
        }}
        onConfirm={(reason, file) => {
          const at = excuse;
          setExcuse(null);
          if (!at) return;
          set(at.r, at.c, { value: 'excused', reason });
          go(at.r, at.c);
          const who = students[at.r];
          const column = columns[at.c];
          if (!file || !who || !column) return;
          grid.attachExcuse(who.id, column.id, reason, file).then(
            () => setAnnouncement(t('register.grid.excuseAttached', { name: who.nameLatin })),
            (error: unknown) =>
              grid.markErrors([
                {
                  studentId: who.id,
                  colId: column.id,
                  message: describeError(error, []).general ?? { key: 'errors.generic' },
                },
              ]),
          );
        }}
      />
    </div>
  );
}
