import type { TIntakeWindow } from './catalog.schema.js';

function monthDay(date: Date): string {
  return `${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

/** Whether a window that repeats every year is open on `date` (server time, UTC). Windows may span New Year. */
export function isWindowOpen(window: TIntakeWindow, date: Date): boolean {
  if (window.yearRound) return true;
  const today = monthDay(date);
  return window.opens <= window.closes
    ? today >= window.opens && today <= window.closes
    : today >= window.opens || today <= window.closes;
}

export function isAcceptingOn(windows: readonly TIntakeWindow[], date: Date): boolean {
  return windows.some((w) => isWindowOpen(w, date));
}
