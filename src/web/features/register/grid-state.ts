/**
 * State of one register grid (attendance or grades): cells per student row, what the server holds,
 * per-cell saving/saved/error, undo/redo, and the autosave (debounced; only changed cells are sent;
 * all or nothing per request, so a refused batch leaves the server untouched and its cells marked).
 * Rows are replaced only when one of their cells changes, so a memoized row re-renders alone.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { i18n } from '../../i18n/i18n';
import { describeError, type Message } from '../../ui/errors';
import {
  type Cell,
  type Change,
  cellsFromSheet,
  checkGradeText,
  type GridMode,
  itemIndexOf,
  sameCell,
} from './grid-model';
import {
  type AttendanceMarkInput,
  type AttendanceStatus,
  type GradeInput,
  registerApi,
  type Sheet,
} from './register-api';

const DEBOUNCE_MS = 600;

export type CellStatus = 'saving' | 'saved' | 'error';

export interface RowState {
  cells: Record<string, Cell>;
  saved: Record<string, Cell>;
  status: Record<string, CellStatus>;
  errors: Record<string, Message>;
}

export interface GridData {
  rows: Record<string, RowState>;
  undo: Change[][];
  redo: Change[][];
  saving: boolean;
  failed: Message | null;
  lastSaved: Date | null;
  /** The term is closed: saves wait for an officer's override reason. */
  needsOverride: boolean;
}

interface Pending {
  studentId: string;
  colId: string;
  cell: Cell;
}

function initial(sheet: Sheet, mode: GridMode): GridData {
  const rows: Record<string, RowState> = {};
  for (const [studentId, cells] of cellsFromSheet(sheet, mode)) {
    rows[studentId] = { cells, saved: cells, status: {}, errors: {} };
  }
  return { rows, undo: [], redo: [], saving: false, failed: null, lastSaved: null, needsOverride: false };
}

function serverMessage(code: string): Message {
  const key = `register.grid.errors.${code}`;
  return i18n.exists(key) ? { key } : { key: 'register.grid.errors.refused', values: { code } };
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

export interface GridApi {
  data: GridData;
  current: () => GridData;
  /** Sets cells; with `record`, one step of undo (a paste, a bulk fill, a keystroke). */
  apply: (changes: Change[], record?: boolean) => void;
  /** Marks cells with client-side errors (a refused paste), changing nothing else. */
  markErrors: (errors: { studentId: string; colId: string; message: Message }[]) => void;
  undo: () => Change[] | null;
  redo: () => Change[] | null;
  retry: () => void;
  setOverride: (reason: string) => void;
  overrideReason: string | null;
  pendingCount: number;
  /** Saves an excused mark with its reason at once, then attaches the justification document to it. */
  attachExcuse: (studentId: string, sessionId: string, reason: string, file: File) => Promise<void>;
}

export function useGridState(
  courseId: string,
  sheet: Sheet,
  mode: GridMode,
  options: { termClosed: boolean; onSaved: () => void },
): GridApi {
  const [data, setRendered] = useState<GridData>(() => ({
    ...initial(sheet, mode),
    needsOverride: options.termClosed,
  }));
  const ref = useRef(data);
  const setData = useCallback((update: (d: GridData) => GridData) => {
    ref.current = update(ref.current);
    setRendered(ref.current);
  }, []);
  const timer = useRef<number | undefined>(undefined);
  const inFlight = useRef(false);
  const again = useRef(false);
  const override = useRef<string | null>(null);
  const [overrideReason, setOverrideReason] = useState<string | null>(null);
  const onSaved = useRef(options.onSaved);
  onSaved.current = options.onSaved;
  const scale = { scale: sheet.course.scale, min: sheet.course.min, max: sheet.course.max };
  const scaleRef = useRef(scale);
  scaleRef.current = scale;

  useEffect(() => () => window.clearTimeout(timer.current), []);

  /** Changed cells not yet sent, without the ones waiting for an edit after an error. */
  const collect = useCallback(
    (d: GridData): { send: Pending[]; invalid: { pending: Pending; message: Message }[] } => {
      const send: Pending[] = [];
      const invalid: { pending: Pending; message: Message }[] = [];
      for (const [studentId, row] of Object.entries(d.rows)) {
        for (const [colId, cell] of Object.entries(row.cells)) {
          if (row.errors[colId] || row.status[colId] === 'saving' || sameCell(cell, row.saved[colId])) continue;
          const pending = { studentId, colId, cell };
          if (mode === 'grades') {
            const checked = checkGradeText(cell.value, scaleRef.current);
            if ('error' in checked) invalid.push({ pending, message: checked.error });
            else send.push(pending);
          } else send.push(pending);
        }
      }
      return { send, invalid };
    },
    [mode],
  );

  const setStatus = useCallback(
    (items: Pending[], update: (row: RowState, item: Pending) => RowState) => {
      setData((d) => {
        const rows = { ...d.rows };
        for (const item of items) {
          const row = rows[item.studentId];
          if (row) rows[item.studentId] = update(row, item);
        }
        return { ...d, rows };
      });
    },
    [setData],
  );

  const send = useCallback(
    async (batch: Pending[]) => {
      const reason = override.current;
      const extra = reason ? { override: { reason } } : {};
      if (mode === 'grades') {
        const grades: GradeInput[] = batch.map((p) => {
          const checked = checkGradeText(p.cell.value, scaleRef.current);
          return { assessmentId: p.colId, studentId: p.studentId, value: 'value' in checked ? checked.value : null };
        });
        await registerApi.saveGrades(courseId, { grades, ...extra });
        return;
      }
      const marks: AttendanceMarkInput[] = batch.map((p) => ({
        studentId: p.studentId,
        status: p.cell.value === '' ? null : (p.cell.value as AttendanceStatus),
        ...(p.cell.value === 'excused' && p.cell.reason ? { reason: p.cell.reason } : {}),
      }));
      await registerApi.saveAttendance(courseId, { sessionId: batch[0]?.colId ?? '', marks, ...extra });
    },
    [courseId, mode],
  );

  const flush = useCallback(async (): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const { send: all, invalid } = collect(ref.current);
    if (invalid.length > 0) {
      setStatus(
        invalid.map((i) => i.pending),
        (row, item) => {
          const message = invalid.find((i) => i.pending === item)?.message ?? { key: 'errors.generic' };
          return {
            ...row,
            errors: { ...row.errors, [item.colId]: message },
            status: { ...row.status, [item.colId]: 'error' },
          };
        },
      );
    }
    if (all.length === 0 || (ref.current.needsOverride && override.current === null)) return;
    // Attendance is saved per session; grades in one request.
    const batches: Pending[][] = [];
    if (mode === 'attendance') {
      const bySession = new Map<string, Pending[]>();
      for (const p of all) bySession.set(p.colId, [...(bySession.get(p.colId) ?? []), p]);
      batches.push(...bySession.values());
    } else batches.push(all);

    inFlight.current = true;
    setData((d) => ({ ...d, saving: true, failed: null }));
    let retry = false;
    let savedAny = false;
    try {
      for (const batch of batches) {
        setStatus(batch, (row, item) => ({ ...row, status: { ...row.status, [item.colId]: 'saving' } }));
        try {
          await send(batch);
          savedAny = true;
          setStatus(batch, (row, item) => ({
            ...row,
            saved: { ...row.saved, [item.colId]: item.cell },
            status: { ...row.status, [item.colId]: 'saved' },
          }));
          retry = true; // Whatever changed meanwhile goes next.
        } catch (error) {
          const refused = new Map<Pending, Message>();
          if (error instanceof ApiError) {
            for (const item of error.fieldErrors) {
              const index = itemIndexOf(item.field);
              const pending = index === null ? undefined : batch[index];
              if (pending && !refused.has(pending)) refused.set(pending, serverMessage(item.code));
            }
          }
          setStatus(batch, (row, item) => {
            const message = refused.get(item);
            return message
              ? {
                  ...row,
                  errors: { ...row.errors, [item.colId]: message },
                  status: { ...row.status, [item.colId]: 'error' },
                }
              : { ...row, status: omit(row.status, item.colId) };
          });
          if (error instanceof ApiError && error.code === 'term_closed') {
            override.current = null;
            setOverrideReason(null);
            setData((d) => ({ ...d, needsOverride: true }));
            break;
          }
          if (refused.size > 0) {
            retry = true; // The rest of the batch goes again without the refused cells.
            continue;
          }
          setData((d) => ({ ...d, failed: describeError(error, []).general ?? { key: 'errors.generic' } }));
          retry = false;
          break;
        }
      }
    } finally {
      inFlight.current = false;
      setData((d) => ({ ...d, saving: false, ...(savedAny ? { lastSaved: new Date() } : {}) }));
    }
    if (savedAny) onSaved.current();
    if ((retry && collect(ref.current).send.length > 0) || again.current) {
      again.current = false;
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void flush(), 0);
    }
  }, [collect, mode, send, setData, setStatus]);

  const schedule = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), DEBOUNCE_MS);
  }, [flush]);

  const write = useCallback(
    (changes: Change[], cellOf: (c: Change) => Cell) => {
      setData((d) => {
        const rows = { ...d.rows };
        for (const change of changes) {
          const row = rows[change.studentId];
          if (!row) continue;
          rows[change.studentId] = {
            cells: { ...row.cells, [change.colId]: cellOf(change) },
            saved: row.saved,
            status: omit(row.status, change.colId),
            errors: omit(row.errors, change.colId),
          };
        }
        return { ...d, rows };
      });
    },
    [setData],
  );

  const apply = useCallback(
    (changes: Change[], record = true) => {
      const real = changes.filter((c) => !sameCell(c.before, c.after));
      if (real.length === 0) return;
      write(real, (c) => c.after);
      if (record) setData((d) => ({ ...d, undo: [...d.undo, real].slice(-200), redo: [] }));
      schedule();
    },
    [schedule, setData, write],
  );

  const markErrors = useCallback(
    (errors: { studentId: string; colId: string; message: Message }[]) => {
      setData((d) => {
        const rows = { ...d.rows };
        for (const { studentId, colId, message } of errors) {
          const row = rows[studentId];
          if (row)
            rows[studentId] = {
              ...row,
              errors: { ...row.errors, [colId]: message },
              status: { ...row.status, [colId]: 'error' },
            };
        }
        return { ...d, rows };
      });
    },
    [setData],
  );

  const undo = useCallback((): Change[] | null => {
    const last = ref.current.undo.at(-1);
    if (!last) return null;
    write(last, (c) => c.before);
    setData((d) => ({ ...d, undo: d.undo.slice(0, -1), redo: [...d.redo, last] }));
    schedule();
    return last;
  }, [schedule, setData, write]);

  const redo = useCallback((): Change[] | null => {
    const last = ref.current.redo.at(-1);
    if (!last) return null;
    write(last, (c) => c.after);
    setData((d) => ({ ...d, redo: d.redo.slice(0, -1), undo: [...d.undo, last] }));
    schedule();
    return last;
  }, [schedule, setData, write]);

  const setOverride = useCallback(
    (reason: string) => {
      override.current = reason;
      setOverrideReason(reason);
      setData((d) => ({ ...d, needsOverride: false }));
      void flush();
    },
    [flush, setData],
  );

  const current = useCallback(() => ref.current, []);
  const retry = useCallback(() => void flush(), [flush]);
  const pendingCount = collect(data).send.length;
  const attachExcuse = useCallback(
    async (studentId: string, sessionId: string, reason: string, file: File) => {
      const overrideReason = override.current;
      // The document belongs to a saved excused mark: save this one now (the autosave's own write of
      // the same value changes nothing), then upload.
      await registerApi.saveAttendance(courseId, {
        sessionId,
        marks: [{ studentId, status: 'excused', reason }],
        ...(overrideReason ? { override: { reason: overrideReason } } : {}),
      });
      await registerApi.attachExcuseDocument(sessionId, studentId, file, overrideReason);
    },
    [courseId],
  );

  return {
    data,
    current,
    apply,
    markErrors,
    undo,
    redo,
    retry,
    setOverride,
    overrideReason,
    pendingCount,
    attachExcuse,
  };
}
