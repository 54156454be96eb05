/**
 * State of the results grid: the cells, what the server holds, errors per cell, Undo, and the autosave
 * (debounced; only changed rows are sent; a row the server refuses waits until it is edited).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { i18n } from '../../i18n/i18n';
import { describeError, fieldMessage, type Message } from '../../ui/errors';
import { type ExamResult, type ExamSlot, examsApi, type GridRow, type ResultRowInput } from './exams-api';
import {
  type Change,
  type Entry,
  entryOf,
  keyOf,
  rowIndexOf,
  rowOf,
  sameEntry,
  savedFrom,
  splitKey,
} from './grid-model';

const DEBOUNCE_MS = 700;

interface GridState {
  entries: Record<string, Entry>;
  saved: Record<string, ExamResult | null>;
  /** Refused by the server: shown in the cell, not sent again until edited. */
  serverErrors: Record<string, Message>;
  /** Values that cannot be sent (not a number, out of range, cleared), found at the last save. */
  clientErrors: Record<string, Message>;
  history: Change[][];
  saving: boolean;
  failed: Message | null;
  lastSaved: { at: Date; count: number } | null;
}

function initial(rows: GridRow[], slots: ExamSlot[]): GridState {
  const entries: Record<string, Entry> = {};
  const saved: Record<string, ExamResult | null> = {};
  for (const row of rows) {
    for (const slot of slots) {
      const key = keyOf(row.applicationNumber, slot.id);
      saved[key] = row.results[slot.id] ?? null;
      entries[key] = entryOf(saved[key]);
    }
  }
  return {
    entries,
    saved,
    serverErrors: {},
    clientErrors: {},
    history: [],
    saving: false,
    failed: null,
    lastSaved: null,
  };
}

function serverMessage(code: string): Message {
  const key = `exams.grid.errors.${code}`;
  return i18n.exists(key) ? { key } : fieldMessage('rows', code);
}

function without<T>(record: Record<string, T>, keys: Iterable<string>): Record<string, T> {
  const next = { ...record };
  for (const key of keys) delete next[key];
  return next;
}

export function useGrid(slug: string, slots: ExamSlot[], rows: GridRow[], onSaved?: () => void) {
  const slotOf = useMemo(() => new Map(slots.map((s) => [s.id, s])), [slots]);
  const [state, setRendered] = useState<GridState>(() => initial(rows, slots));
  // The state lives in a ref, updated synchronously, so a save never reads cells older than the last change.
  const stateRef = useRef(state);
  const setState = useCallback((update: (s: GridState) => GridState) => {
    stateRef.current = update(stateRef.current);
    setRendered(stateRef.current);
  }, []);
  const timer = useRef<number | undefined>(undefined);
  const inFlight = useRef(false);
  const again = useRef(false);

  useEffect(() => () => window.clearTimeout(timer.current), []);

  const plan = useCallback(
    (s: GridState) => {
      const send: { key: string; row: ResultRowInput }[] = [];
      const errors: Record<string, Message> = {};
      for (const [key, entry] of Object.entries(s.entries)) {
        const slot = slotOf.get(splitKey(key)[1]);
        if (!slot || s.serverErrors[key]) continue;
        const planned = rowOf(key, entry, s.saved[key], slot);
        if (planned && 'error' in planned) errors[key] = planned.error;
        else if (planned) send.push({ key, row: planned.row });
      }
      return { send, errors };
    },
    [slotOf],
  );

  const flush = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const { send, errors } = plan(stateRef.current);
    setState((s) => ({ ...s, clientErrors: errors, failed: null, saving: send.length > 0 }));
    if (send.length === 0) return;
    inFlight.current = true;
    let retry = false;
    try {
      await examsApi.saveResults(
        slug,
        send.map((s) => s.row),
      );
      setState((s) => {
        const saved = { ...s.saved };
        const entries = { ...s.entries };
        for (const { key, row } of send) {
          const slot = slotOf.get(row.slotId);
          if (slot) saved[key] = savedFrom(row, s.saved[key], slot);
          const entry = entries[key];
          if (entry?.retake) entries[key] = { ...entry, retake: false };
        }
        return { ...s, saved, entries, saving: false, lastSaved: { at: new Date(), count: send.length } };
      });
      retry = true; // Whatever changed meanwhile goes next.
      onSaved?.();
    } catch (error) {
      const refused: Record<string, Message> = {};
      if (error instanceof ApiError && error.code === 'validation_failed') {
        for (const item of error.fieldErrors) {
          const index = rowIndexOf(item.field);
          const key = index === null ? undefined : send[index]?.key;
          if (key) refused[key] ??= serverMessage(item.code);
        }
      }
      const placed = Object.keys(refused).length > 0;
      setState((s) => ({
        ...s,
        saving: false,
        serverErrors: { ...s.serverErrors, ...refused },
        failed: placed ? null : (describeError(error, []).general ?? { key: 'errors.generic' }),
      }));
      retry = placed; // All or nothing: the other rows of the batch are sent again without the refused ones.
    } finally {
      inFlight.current = false;
    }
    if (retry || again.current) {
      again.current = false;
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void flush(), 0);
    }
  }, [plan, slotOf, slug, setState, onSaved]);

  const schedule = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), DEBOUNCE_MS);
  }, [flush]);

  /** Sets cells (typing, a toggle, a paste); with `record`, the change is one step of Undo. */
  const change = useCallback(
    (updates: { key: string; entry: Entry }[], record: Change[] | null) => {
      setState((s) => {
        const entries = { ...s.entries };
        for (const { key, entry } of updates) entries[key] = entry;
        const keys = updates.map((u) => u.key);
        const steps = record?.filter((c) => !sameEntry(c.before, c.after)) ?? [];
        return {
          ...s,
          entries,
          serverErrors: without(s.serverErrors, keys),
          clientErrors: without(s.clientErrors, keys),
          history: steps.length > 0 ? [...s.history, steps].slice(-100) : s.history,
        };
      });
      schedule();
    },
    [schedule, setState],
  );

  /** Records an edit made by typing, once the cell is left (one Undo step per cell edit, not per key). */
  const record = useCallback(
    (step: Change) => {
      if (sameEntry(step.before, step.after)) return;
      setState((s) => ({ ...s, history: [...s.history, [step]].slice(-100) }));
    },
    [setState],
  );

  /** Reverts the last change; returns it so the page can say what was undone. */
  const undo = useCallback((): Change[] | null => {
    const last = stateRef.current.history.at(-1);
    if (!last) return null;
    setState((s) => {
      const entries = { ...s.entries };
      for (const c of last) entries[c.key] = c.before;
      const keys = last.map((c) => c.key);
      return {
        ...s,
        entries,
        history: s.history.slice(0, -1),
        serverErrors: without(s.serverErrors, keys),
        clientErrors: without(s.clientErrors, keys),
      };
    });
    schedule();
    return last;
  }, [schedule, setState]);

  const pending = plan(state).send.length;
  const errorCount = Object.keys({ ...state.clientErrors, ...state.serverErrors }).length;
  const current = useCallback(() => stateRef.current, []);
  return { state, current, slotOf, change, record, undo, retry: flush, pending, errorCount };
}
