/**
 * Where to go after signing in, kept across registration: the confirmation link of the e-mail opens a
 * new page (often a new tab), so the place the visitor came from (an agency invitation, say) is kept on
 * this device until they sign in.
 */
import { safeNext } from '../../app/guards';

const KEY = 'medadmit.next';

export function rememberNext(next: string | null): void {
  const safe = safeNext(next);
  try {
    if (safe) window.localStorage.setItem(KEY, safe);
  } catch {
    // Storage can be disabled: the visitor then comes back by the link again.
  }
}

export function pendingNext(): string | null {
  try {
    return safeNext(window.localStorage.getItem(KEY));
  } catch {
    return null;
  }
}

export function forgetNext(): void {
  try {
    window.localStorage.removeItem(KEY);
  } catch {
    // See rememberNext.
  }
}

/** "/login" or "/login?next=…". */
export function withNext(path: string, next: string | null): string {
  const safe = safeNext(next);
  return safe ? `${path}?next=${encodeURIComponent(safe)}` : path;
}
