import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, onUnauthenticated, type Session, setCsrfToken, type User } from '../api';
import { adoptAccountLocale } from '../i18n/i18n';

export interface SessionValue {
  /** "loading" until the first answer of GET /auth/session. */
  status: 'loading' | 'ready';
  user: User | null;
  csrfToken: string | null;
  /** Asks the server who is signed in. */
  refresh: () => Promise<void>;
  /** Signs out on the server (when possible) and here. */
  logout: () => Promise<void>;
  /** Takes the session a successful sign-in returned. */
  signIn: (session: Session) => void;
  /** Takes a fresher copy of the signed-in user (after a profile change). */
  updateUser: (user: User) => void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionValue['status']>('loading');
  const [session, setSession] = useState<Session | null>(null);

  const apply = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setSession(next);
    setStatus('ready');
    if (next) adoptAccountLocale(next.user.locale);
  }, []);

  const refresh = useCallback(async () => {
    try {
      apply(await api.session());
    } catch (error) {
      // 401 means nobody is signed in; on other failures we cannot tell, and show the public view.
      if (!(error instanceof ApiError) || error.status !== 401) console.warn('Session check failed', error);
      apply(null);
    }
  }, [apply]);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // The session may already be gone on the server; either way it ends here.
    }
    apply(null);
  }, [apply]);

  const updateUser = useCallback((user: User) => {
    setSession((current) => (current ? { ...current, user } : current));
  }, []);

  useEffect(() => {
    void refresh();
    return onUnauthenticated(() => apply(null));
  }, [refresh, apply]);

  const value = useMemo<SessionValue>(
    () => ({
      status,
      user: session?.user ?? null,
      csrfToken: session?.csrfToken ?? null,
      refresh,
      logout,
      signIn: apply,
      updateUser,
    }),
    [status, session, refresh, logout, apply, updateUser],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside <SessionProvider>');
  return value;
}
