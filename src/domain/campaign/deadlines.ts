/**
 * A campaign's dated windows (documents, exams, enrollment), as an officer enters them for one year.
 * Times are instants ('YYYY-MM-DDTHH:mm:ssZ'): "until 29 September" in Moscow ends at 20:59:59Z.
 */

export type WindowKind = 'documents' | 'exams' | 'enrollment';
export type WindowState = 'not_open' | 'open' | 'closed';

export interface Window {
  kind: WindowKind;
  /** Null: open from the start of the campaign ("enrollment until 31 August"). */
  opens: string | null;
  /** Null: no stated end. The closing second itself is still inside the window. */
  closes: string | null;
  /** Throughout the academic year (S4-12): opens and closes are ignored. */
  yearRound?: boolean;
  /** Empty: every study form. */
  studyForms: string[];
  /** Empty: every kind of funding. */
  funding: string[];
  source: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

function instant(value: string): number {
  const ms = Date.parse(value);
  if (!INSTANT.test(value) || Number.isNaN(ms))
    throw new RangeError(`not a UTC instant (YYYY-MM-DDTHH:mm:ssZ): ${value}`);
  return ms;
}

/** The closing instant after an extension; an extension only ever moves the end later. Null = no end. */
function effectiveClose(window: Window, extensionUntil?: Date | null): number | null {
  if (window.yearRound || window.closes === null) return null;
  const closes = instant(window.closes);
  return extensionUntil && extensionUntil.getTime() > closes ? extensionUntil.getTime() : closes;
}

/** Whether a window is open at `now`; an officer's extension keeps it open past its printed end. */
export function windowState(window: Window, now: Date, extensionUntil?: Date | null): WindowState {
  if (window.yearRound) return 'open';
  const t = now.getTime();
  if (window.opens !== null && t < instant(window.opens)) return 'not_open';
  const close = effectiveClose(window, extensionUntil);
  return close !== null && t > close ? 'closed' : 'open';
}

function matches(window: Window, kind: WindowKind, studyForm: string, funding: string): boolean {
  return (
    window.kind === kind &&
    (window.studyForms.length === 0 || window.studyForms.includes(studyForm)) &&
    (window.funding.length === 0 || window.funding.includes(funding))
  );
}

/**
 * The last moment an applicant of this study form and funding can act: the latest end among the windows
 * that apply to them (S4-11 gives distance learners two more months), moved later by an extension.
 * Null when no window applies or one of them never closes (year-round, S4-12).
 */
export function cutoffFor(
  windows: readonly Window[],
  kind: WindowKind,
  studyForm: string,
  funding: string,
  extensionUntil?: Date | null,
): Date | null {
  const applicable = windows.filter((w) => matches(w, kind, studyForm, funding));
  let latest: number | null = null;
  for (const w of applicable) {
    const close = effectiveClose(w, extensionUntil);
    if (close === null) return null;
    latest = latest === null ? close : Math.max(latest, close);
  }
  return latest === null ? null : new Date(latest);
}
